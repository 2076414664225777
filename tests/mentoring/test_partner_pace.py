"""The partner page, where the mentor's "partner slipping" nudge leads, shows the mentee's
pace as the last sweep judged it, and gives their mentor the Sessions list's way to log a
session."""

from django.urls import reverse

from mentoring.models import MentoringSession, SessionStatus
from programmes.models import Membership


def _partner(cast) -> str:
    return reverse("mentoring:partner", args=[cast.programme.slug, cast.mentee_membership.pk])


def _slipping(cast) -> str:
    reason = "2 agreed actions overdue, the oldest since 26 October."
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(
        pace_status="slipping", pace_reason=reason
    )
    return reason


def test_the_mentor_sees_the_pace_and_logs_a_session_from_the_partner_page(client, cast):
    reason = _slipping(cast)
    client.force_login(cast.mentor)
    html = client.get(_partner(cast)).content.decode()
    assert '<span class="status status--pace status--warn">Slipping</span>' in html
    assert reason in html
    start = reverse(
        "mentoring:session_start", args=[cast.programme.slug, cast.mentee_membership.pk]
    )
    assert f'<form method="post" action="{start}">' in html
    assert ">Log a session<" in html

    # The form starts the log, as the Sessions list's does; back on the page it continues it.
    response = client.post(start)
    draft = MentoringSession.objects.get(pairing__mentee=cast.mentee_membership)
    assert draft.status == SessionStatus.DRAFT
    assert response.url == reverse("mentoring:session_edit", args=[cast.programme.slug, draft.pk])
    assert ">Continue draft<" in client.get(_partner(cast)).content.decode()


def test_the_lead_sees_the_pace_but_no_log_button(client, cast):
    reason = _slipping(cast)
    client.force_login(cast.lead)
    html = client.get(_partner(cast)).content.decode()
    assert "Slipping" in html and reason in html
    assert "Log a session" not in html
    assert (
        reverse("mentoring:session_start", args=[cast.programme.slug, cast.mentee_membership.pk])
        not in html
    )


def test_another_mentor_sees_nothing_of_it(client, cast):
    _slipping(cast)
    client.force_login(cast.other_mentor)
    assert client.get(_partner(cast)).status_code == 404
