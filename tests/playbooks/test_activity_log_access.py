"""The form to log an activity is its owner's alone, to open as much as to send: the mentee
does the work, and a mentor or lead who opens a mentee's tick form by its address gets the
product's 403 page saying why, not a form that would only be refused once sent."""

import pytest
from django.urls import reverse

from playbooks.models import Activity, Completion
from tests.test_error_pages import assert_product_page

RIGHT = "\N{RIGHT SINGLE QUOTATION MARK}"


def _log_url(cast, membership, activity) -> str:
    return reverse(
        "playbooks:log_completion", args=[cast.programme.slug, membership.pk, activity.pk]
    )


def _activity(cast) -> Activity:
    return Activity.objects.filter(programme=cast.programme).earliest("position", "pk")


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("mentee", 200),
        ("mentor", 403),
        ("lead", 403),
        ("other_mentee", 404),
        ("other_mentor", 404),
        ("other_lead", 404),
    ],
)
def test_only_the_mentee_opens_the_form_to_log_their_activity(client, cast, person, status):
    client.force_login(cast.people()[person])
    response = client.get(_log_url(cast, cast.mentee_membership, _activity(cast)))
    assert response.status_code == status
    html = response.content.decode()
    assert ('name="done_on"' in html) == (status == 200)


def test_an_anonymous_visitor_is_sent_to_sign_in_not_shown_the_form(client, cast):
    response = client.get(_log_url(cast, cast.mentee_membership, _activity(cast)))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_mentor_who_opens_a_mentees_tick_form_gets_the_products_403_with_the_reason(client, cast):
    client.force_login(cast.mentor)
    response = client.get(_log_url(cast, cast.mentee_membership, _activity(cast)))
    assert response.status_code == 403
    html = response.content.decode()
    assert_product_page(html)
    assert f"You can{RIGHT}t do that here" in html
    assert "Only the person who did an activity can log it." in html
    assert f'href="{reverse("programmes:detail", args=[cast.programme.slug])}"' in html
    assert 'name="done_on"' not in html
    assert not Completion.objects.exists()


def test_a_mentor_still_opens_the_form_for_their_own_activity(client, cast):
    client.force_login(cast.mentor)
    response = client.get(_log_url(cast, cast.mentor_membership, _activity(cast)))
    assert response.status_code == 200
    assert 'name="what_worked"' in response.content.decode()
