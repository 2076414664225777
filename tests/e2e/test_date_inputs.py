"""In a real browser, a stored date shows in its date input and survives a save: the
session log's due dates (once lost on every save) and the checklist's "Log with details"."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.services.session import save_session, start_session
from playbooks.models import Completion
from playbooks.services.activity import add_activity, today_for
from programmes.models import Pairing
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()


def test_a_session_logs_due_dates_show_in_the_browser_and_survive_saving_it(page, live_server):
    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentor = make_mentor(programme, user=make_user("Mo Mentor", "mo@example.org"))
    mentee = make_mentee(programme, mentor=mentor)
    session = start_session(
        pairing=Pairing.objects.get(mentee=mentee),
        by=mentor.user,
        at=timezone.now() - timedelta(days=2),
    )
    due = timezone.localdate() + timedelta(days=9)
    session = save_session(
        session=session,
        by=mentor.user,
        version=session.version,
        fields={"topics": "Headlines", "next_session_on": due + timedelta(days=5)},
        actions=[{"text": "Rewrite the headline", "owner": "mentee", "due_on": due}],
    )

    _sign_in(page, live_server, "mo@example.org")
    page.goto(f"{live_server.url}{session.get_absolute_url()}edit/")
    # What the browser holds, not what the server wrote: a value it can't read is "".
    expect(page.locator("#id_actions-0-due_on")).to_have_value(due.isoformat())
    expect(page.locator("#id_next_session_on")).to_have_value((due + timedelta(days=5)).isoformat())
    expect(page.locator("#id_held_at")).not_to_have_value("")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    assert session.actions.get().due_on == due
    assert page.console_errors == []


def test_log_with_details_shows_today_where_the_person_is(page, live_server):
    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentee = make_mentee(programme, user=make_user("Mia Mentee", "mia@example.org"))
    activity = add_activity(
        programme=programme, by=lead, title="Post about a lesson", recurrence="week"
    )
    _sign_in(page, live_server, "mia@example.org")
    page.goto(
        f"{live_server.url}/programmes/{programme.slug}/checklist/{mentee.pk}/log/{activity.pk}/"
    )
    their_today = today_for(mentee.user)
    expect(page.get_by_label("Done on")).to_have_value(their_today.isoformat())
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Well done.")).to_be_visible()
    assert Completion.objects.get().done_on == their_today
