"""Pausing a mentee for a holiday or leave, and resuming: who may, what it changes, and that
the pace sweep then leaves them alone."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from mentoring.pace import PaceFacts, judge
from mentoring.services.pace import sweep
from programmes.errors import Invalid, NotAllowed
from programmes.models import Membership, Notification, PaceStatus
from programmes.policy import SYSTEM
from programmes.services.membership import one_year_after, pause, resume
from tests.factories import make_user


def _url(cast, name: str) -> str:
    return reverse(name, kwargs={"slug": cast.programme.slug, "member": cast.mentee_membership.pk})


def _pace_fields(membership: Membership) -> tuple:
    membership.refresh_from_db()
    return (
        membership.paused_until,
        membership.pace_status,
        membership.pace_reason,
        membership.pace_due_at,
    )


def _staff():
    staff = make_user("Sam Staff", "staff@example.org")
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    return staff


def _everyone(cast) -> dict:
    return cast.people() | {"staff": _staff()}


# --- Who may ---------------------------------------------------------------------------------

PAUSE_STATUS = {
    "lead": 302,
    "mentee": 302,
    "mentor": 403,  # may see the journey, may not pause it
    "other_mentee": 404,
    "other_mentor": 404,
    "other_lead": 404,
    "staff": 404,
}


@pytest.mark.parametrize("who", sorted(PAUSE_STATUS))
def test_only_a_lead_or_the_mentee_themself_may_pause(client, cast, who):
    person = _everyone(cast)[who]
    before = _pace_fields(cast.mentee_membership)
    until = timezone.localdate() + timedelta(days=10)
    client.force_login(person)
    response = client.post(_url(cast, "programmes:member_pause"), {"until": until.isoformat()})
    assert response.status_code == PAUSE_STATUS[who]
    paused_until = _pace_fields(cast.mentee_membership)[0]
    if PAUSE_STATUS[who] == 302:
        assert paused_until == until
    else:
        assert _pace_fields(cast.mentee_membership) == before


def test_someone_who_may_not_pause_is_refused_before_the_date_is_read(client, cast):
    client.force_login(cast.mentor)
    assert client.post(_url(cast, "programmes:member_pause"), {"until": ""}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_paused(client, cast):
    before = _pace_fields(cast.mentee_membership)
    until = timezone.localdate() + timedelta(days=3)
    response = client.post(_url(cast, "programmes:member_pause"), {"until": until.isoformat()})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(_url(cast, "programmes:member_resume"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert _pace_fields(cast.mentee_membership) == before


@pytest.mark.parametrize("who", sorted(PAUSE_STATUS))
def test_only_a_lead_or_the_mentee_themself_may_resume(client, cast, who):
    pause(
        membership=cast.mentee_membership,
        until=timezone.localdate() + timedelta(days=5),
        by=cast.lead,
    )
    before = _pace_fields(cast.mentee_membership)
    client.force_login(_everyone(cast)[who])
    response = client.post(_url(cast, "programmes:member_resume"))
    assert response.status_code == PAUSE_STATUS[who]
    if PAUSE_STATUS[who] == 302:
        assert _pace_fields(cast.mentee_membership)[0] is None
    else:
        assert _pace_fields(cast.mentee_membership) == before


def test_pause_and_resume_go_back_to_the_page_they_came_from(client, cast):
    until = (timezone.localdate() + timedelta(days=3)).isoformat()
    client.force_login(cast.mentee)
    response = client.post(_url(cast, "programmes:member_pause"), {"until": until})
    assert response.url == reverse("programmes:my_journey", kwargs={"slug": cast.programme.slug})
    client.force_login(cast.lead)
    response = client.post(_url(cast, "programmes:member_resume"))
    assert response.url == _url(cast, "programmes:member_journey")


def test_pausing_is_a_post_only(client, cast):
    client.force_login(cast.lead)
    assert client.get(_url(cast, "programmes:member_pause")).status_code == 405
    assert client.get(_url(cast, "programmes:member_resume")).status_code == 405


def test_the_services_refuse_a_mentor_and_an_outsider_and_let_the_system_through(cast):
    until = timezone.localdate() + timedelta(days=3)
    for by in (cast.mentor, cast.other_mentee, cast.other_lead, AnonymousUser()):
        with pytest.raises(NotAllowed):
            pause(membership=cast.mentee_membership, until=until, by=by)
    assert _pace_fields(cast.mentee_membership)[0] is None
    pause(membership=cast.mentee_membership, until=until, by=SYSTEM)
    for by in (cast.mentor, cast.other_mentor, cast.other_lead, AnonymousUser()):
        with pytest.raises(NotAllowed):
            resume(membership=cast.mentee_membership, by=by)
    assert _pace_fields(cast.mentee_membership)[0] == until
    resume(membership=cast.mentee_membership, by=SYSTEM)
    assert _pace_fields(cast.mentee_membership)[0] is None


# --- What it does ----------------------------------------------------------------------------


def test_a_pause_marks_them_paused_with_the_reason_and_looks_again_the_day_after(cast):
    until = timezone.localdate() + timedelta(days=20)
    pause(membership=cast.mentee_membership, until=until, by=cast.mentee)
    paused_until, status, reason, due = _pace_fields(cast.mentee_membership)
    assert paused_until == until
    assert status == PaceStatus.PAUSED
    assert reason == f"Paused until {until.day} {until:%B}."
    assert timezone.localtime(due) == timezone.make_aware(
        datetime.combine(until + timedelta(days=1), time(6))
    )
    assert cast.mentee_membership.pace_behind == 0


def test_the_reason_is_the_one_the_pace_rules_give(cast):
    until = timezone.localdate() + timedelta(days=40)
    pause(membership=cast.mentee_membership, until=until, by=cast.lead)
    verdict = judge(PaceFacts(today=timezone.localdate(), paused_until=until))
    assert _pace_fields(cast.mentee_membership)[2] == verdict.reason


def test_resuming_clears_the_pause_and_asks_the_sweep_to_look_now(cast):
    pause(
        membership=cast.mentee_membership,
        until=timezone.localdate() + timedelta(days=9),
        by=cast.lead,
    )
    before = timezone.now()
    resume(membership=cast.mentee_membership, by=cast.mentee)
    paused_until, status, reason, due = _pace_fields(cast.mentee_membership)
    assert paused_until is None and status == "" and reason == ""
    assert before <= due <= timezone.now()


def test_pausing_again_moves_the_end_date(cast):
    today = timezone.localdate()
    pause(membership=cast.mentee_membership, until=today + timedelta(days=3), by=cast.lead)
    pause(membership=cast.mentee_membership, until=today + timedelta(days=30), by=cast.mentee)
    assert _pace_fields(cast.mentee_membership)[0] == today + timedelta(days=30)


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "from today onwards"), (400, "a year at most")],
    ids=["yesterday", "more than a year"],
)
def test_a_pause_outside_today_to_a_year_is_refused_and_changes_nothing(
    client, cast, days, message
):
    before = _pace_fields(cast.mentee_membership)
    until = timezone.localdate() + timedelta(days=days)
    with pytest.raises(Invalid, match=message):
        pause(membership=cast.mentee_membership, until=until, by=cast.lead)
    client.force_login(cast.lead)
    response = client.post(
        _url(cast, "programmes:member_pause"), {"until": until.isoformat()}, follow=True
    )
    assert message in response.content.decode()
    assert _pace_fields(cast.mentee_membership) == before


def test_today_and_exactly_a_year_ahead_are_allowed(cast):
    today = timezone.localdate()
    assert pause(membership=cast.mentee_membership, until=today, by=cast.lead).is_paused()
    pause(membership=cast.mentee_membership, until=one_year_after(today), by=cast.lead)
    assert _pace_fields(cast.mentee_membership)[0] == one_year_after(today)


def test_a_pause_without_a_date_says_so_and_changes_nothing(client, cast):
    before = _pace_fields(cast.mentee_membership)
    client.force_login(cast.mentee)
    response = client.post(_url(cast, "programmes:member_pause"), {"until": ""}, follow=True)
    assert "Choose the last day of the pause." in response.content.decode()
    assert _pace_fields(cast.mentee_membership) == before


def test_resuming_someone_not_paused_says_so(client, cast):
    before = _pace_fields(cast.mentee_membership)
    client.force_login(cast.lead)
    response = client.post(_url(cast, "programmes:member_resume"), follow=True)
    assert "Not paused at the moment" in response.content.decode()
    assert _pace_fields(cast.mentee_membership) == before


def test_only_mentees_are_paused(cast):
    with pytest.raises(Invalid):
        pause(
            membership=cast.mentor_membership,
            until=timezone.localdate() + timedelta(days=3),
            by=cast.lead,
        )


def test_the_sweep_sends_a_paused_mentee_nothing_and_judges_them_again_after_resume(cast):
    long_ago = timezone.now() - timedelta(days=60)
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(
        joined_at=long_ago, phase_started_at=long_ago
    )
    pause(
        membership=cast.mentee_membership,
        until=timezone.localdate() + timedelta(days=7),
        by=cast.mentee,
    )
    sweep()
    assert not Notification.objects.nudges().filter(about=cast.mentee_membership).exists()
    assert _pace_fields(cast.mentee_membership)[1] == PaceStatus.PAUSED
    resume(membership=cast.mentee_membership, by=cast.mentee)
    sweep()
    assert _pace_fields(cast.mentee_membership)[1] == PaceStatus.STALLED
    assert Notification.objects.nudges().filter(about=cast.mentee_membership).exists()


# --- The journey page ------------------------------------------------------------------------


def test_the_mentee_sees_the_pause_form_on_their_own_journey_with_iso_dates(client, cast):
    client.force_login(cast.mentee)
    html = client.get(
        reverse("programmes:my_journey", kwargs={"slug": cast.programme.slug})
    ).content.decode()
    assert "Holiday or leave?" in html
    assert _url(cast, "programmes:member_pause") in html
    today = timezone.localdate()
    assert f'min="{today:%Y-%m-%d}"' in html
    assert f'max="{one_year_after(today):%Y-%m-%d}"' in html


def test_the_lead_sees_the_pause_form_and_the_mentor_does_not(client, cast):
    url = _url(cast, "programmes:member_journey")
    client.force_login(cast.lead)
    assert _url(cast, "programmes:member_pause") in client.get(url).content.decode()
    client.force_login(cast.mentor)
    html = client.get(url).content.decode()
    assert "Holiday or leave?" not in html
    assert _url(cast, "programmes:member_pause") not in html


def test_a_paused_journey_says_until_when_and_offers_to_resume(client, cast):
    until = timezone.localdate() + timedelta(days=12)
    pause(membership=cast.mentee_membership, until=until, by=cast.lead)
    client.force_login(cast.mentee)
    html = client.get(
        reverse("programmes:my_journey", kwargs={"slug": cast.programme.slug})
    ).content.decode()
    assert f"{until.day} {until:%B %Y}" in html
    assert "Resume now" in html and _url(cast, "programmes:member_resume") in html


def test_a_pause_and_its_end_are_told_to_the_mentee_and_their_mentor_with_who_did_it(cast):
    from programmes.models import NotificationKind
    from programmes.services.membership import pause, resume

    until = timezone.localdate() + timedelta(days=10)
    pause(membership=cast.mentee_membership, until=until, by=cast.lead)
    told = {n.recipient: n for n in Notification.objects.filter(kind=NotificationKind.PAUSED)}
    assert set(told) == {cast.mentee, cast.mentor}
    assert told[cast.mentee].title == f"You are paused until {until.day} {until:%B}"
    assert told[cast.mentee].body.startswith(f"{cast.lead.display_name} paused you")
    assert "is paused until" in told[cast.mentor].title
    resume(membership=cast.mentee_membership, by=cast.mentee)
    ended = Notification.objects.filter(kind=NotificationKind.PAUSED, title__contains="ended")
    # The mentee ended it themselves: only their mentor is told.
    assert [n.recipient for n in ended] == [cast.mentor]
