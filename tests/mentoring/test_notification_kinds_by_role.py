"""The settings page offers each person only the kinds of notification that can reach them
through the roles they hold, and saving it never changes the kinds it hides."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from mentoring.notification_kinds import KINDS_BY_ROLE, kinds_for
from mentoring.pace import PaceFacts, judge
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.reminder import remind_mentor
from programmes.models import (
    EVENT_KINDS,
    NUDGE_KINDS,
    Delivery,
    Membership,
    Notification,
    NotificationKind,
    NotificationSettings,
    Pairing,
    Role,
)
from programmes.services.notification import update_settings
from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_mentor, make_user

SETTINGS = reverse("mentoring:notification_settings")
Kind = NotificationKind


def _offered(client, user) -> set[str]:
    client.force_login(user)
    html = client.get(SETTINGS).content.decode()
    return set(re.findall(r'name="(?:nudges|events)" value="([a-z_]+)"', html))


def _mute(user, *kinds) -> None:
    update_settings(
        by=user, delivery=Delivery.BOTH, quiet_from=None, quiet_until=None, muted_kinds=kinds
    )


def _ticked(kinds) -> dict:
    return {
        "delivery": Delivery.BOTH,
        "nudges": sorted(k for k in kinds if k in NUDGE_KINDS),
        "events": sorted(k for k in kinds if k in EVENT_KINDS),
    }


def _muted(user) -> set[str]:
    return set(NotificationSettings.objects.get(user=user).muted_kinds)


# --- What each person is offered ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "role"), [("mentee", Role.MENTEE), ("mentor", Role.MENTOR), ("lead", Role.LEAD)]
)
def test_each_role_is_offered_exactly_the_kinds_that_reach_it(client, cast, who, role):
    assert _offered(client, getattr(cast, who)) == KINDS_BY_ROLE[role]


def test_a_mentee_is_not_offered_what_only_mentors_and_leads_get(client, cast):
    offered = _offered(client, cast.mentee)
    assert {Kind.NEXT_STEP, Kind.CHECK_IN, Kind.SECTION_REVIEWED, Kind.WORKSHOP_BOOKED} <= offered
    for kind in (Kind.PARTNER_SLIPPING, Kind.LEAD_DIGEST, Kind.REVIEW_WAITING, Kind.LOG_SESSION):
        assert kind not in offered
        assert Kind(kind).label not in client.get(SETTINGS).content.decode()


def test_a_mentor_is_not_offered_a_mentees_own_nudges(client, cast):
    offered = _offered(client, cast.mentor)
    assert {Kind.PARTNER_SLIPPING, Kind.LOG_SESSION, Kind.LEAD_REMINDER} <= offered
    assert not offered & {Kind.NEXT_STEP, Kind.CHECK_IN, Kind.LEAD_DIGEST, Kind.WORKSHOP_BOOKED}


def test_a_lead_is_offered_the_digest_phase_changes_and_people_joining_only(client, cast):
    offered = _offered(client, cast.lead)
    assert offered == {Kind.LEAD_DIGEST, Kind.PHASE_CHANGED, Kind.PERSON_JOINED}


def test_someone_mentoring_in_one_programme_and_mentored_in_another_is_offered_both(client, cast):
    make_mentee(cast.other_programme, user=cast.mentor)
    offered = _offered(client, cast.mentor)
    assert offered == KINDS_BY_ROLE[Role.MENTOR] | KINDS_BY_ROLE[Role.MENTEE]
    assert {Kind.NEXT_STEP, Kind.PARTNER_SLIPPING} <= offered
    assert Kind.LEAD_DIGEST not in offered


def test_a_lead_who_also_mentors_in_the_same_programme_is_offered_both(client, cast):
    make_mentor(cast.programme, user=cast.lead)
    assert _offered(client, cast.lead) == KINDS_BY_ROLE[Role.LEAD] | KINDS_BY_ROLE[Role.MENTOR]


def test_a_role_that_ended_no_longer_counts(client, cast):
    make_mentee(cast.other_programme, user=cast.mentor)
    Membership.objects.filter(user=cast.mentor, role=Role.MENTOR).update(is_active=False)
    assert _offered(client, cast.mentor) == KINDS_BY_ROLE[Role.MENTEE]


@pytest.mark.parametrize("ended", [False, True])
def test_someone_in_no_programme_is_told_why_there_is_nothing_to_choose(client, cast, ended):
    person = make_user()
    if ended:
        membership = make_mentee(cast.programme, user=person)
        Membership.objects.filter(pk=membership.pk).update(is_active=False)
    client.force_login(person)
    html = client.get(SETTINGS).content.decode()
    assert "Nothing to choose just now" in html
    assert "You aren't taking part in a programme at the moment" in html
    assert 'name="nudges"' not in html and "Save settings" not in html


# --- Saving never touches what is hidden ----------------------------------------------------


def test_saving_keeps_a_hidden_kind_muted_and_a_hidden_kind_unmuted(client, cast):
    _mute(cast.mentee, Kind.PARTNER_SLIPPING, Kind.NEXT_STEP)
    client.force_login(cast.mentee)
    told = KINDS_BY_ROLE[Role.MENTEE] - {Kind.SIGNED_OFF}
    response = client.post(SETTINGS, _ticked(told))
    assert response.status_code == 302
    # Shown: ticked is told, unticked is muted. Hidden: as it was.
    assert _muted(cast.mentee) == {Kind.PARTNER_SLIPPING, Kind.SIGNED_OFF}


def test_a_hidden_kind_posted_ticked_stays_muted(client, cast):
    """A page loaded while they still mentored, saved after: what is hidden now keeps its
    setting, and the save goes through."""
    _mute(cast.mentee, Kind.LEAD_DIGEST, Kind.LOG_SESSION)
    client.force_login(cast.mentee)
    response = client.post(
        SETTINGS,
        {
            "delivery": Delivery.BOTH,
            "nudges": [Kind.NEXT_STEP, Kind.LOG_SESSION],
            "events": [Kind.PHASE_CHANGED, Kind.LEAD_REMINDER],
        },
    )
    assert response.status_code == 302
    muted = _muted(cast.mentee)
    assert {Kind.LEAD_DIGEST, Kind.LOG_SESSION} <= muted
    assert Kind.LEAD_REMINDER not in muted  # hidden and never muted: still not muted
    assert Kind.NEXT_STEP not in muted and Kind.SESSION_DUE in muted


def test_a_kind_muted_as_a_mentee_is_muted_again_when_they_return_as_one(client, cast):
    _mute(cast.mentor, Kind.NEXT_STEP)
    client.force_login(cast.mentor)
    client.post(SETTINGS, _ticked(KINDS_BY_ROLE[Role.MENTOR]))
    make_mentee(cast.other_programme, user=cast.mentor)
    html = client.get(SETTINGS).content.decode()
    assert re.search(r'value="next_step"', html)
    assert not re.search(r'value="next_step"[^>]*checked', html)
    assert re.search(r'value="session_due"[^>]*checked', html)


# --- The map agrees with the senders --------------------------------------------------------


def test_every_kind_reaches_someone():
    assert kinds_for(Role.values) == set(Kind.values)


def test_each_pace_nudge_goes_to_a_role_that_is_offered_it():
    today = date(2026, 6, 15)

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    weekly = {"has_mentor": True, "cadence": "weekly", "interval_days": 7}
    facts = [
        # A weekly pair silent for a month, a section waiting: mentee and mentor hear.
        PaceFacts(
            today=today,
            paired_on=ago(90),
            last_session_on=ago(30),
            last_active_on=ago(30),
            sections_waiting_review=1,
            review_waiting_since=ago(5),
            **weekly,
        ),
        # A little behind, with no mentor: only the mentee hears.
        PaceFacts(today=today, joined_on=ago(40), last_active_on=ago(20)),
        # They set a date for two days ago and logged nothing.
        PaceFacts(
            today=today,
            paired_on=ago(30),
            last_session_on=ago(9),
            planned_session_on=ago(2),
            last_active_on=ago(1),
            **weekly,
        ),
        # Asked "more often?" twice.
        PaceFacts(
            today=today,
            has_mentor=True,
            paired_on=ago(90),
            cadence="monthly",
            interval_days=30,
            last_session_on=ago(3),
            last_active_on=ago(1),
            frequency_answers=("more", "more"),
            recent_gaps=(30, 30),
        ),
        PaceFacts(today=today, operationalised_on=ago(40)),
        # Two agreed actions a month overdue, meeting as agreed otherwise.
        PaceFacts(
            today=today,
            paired_on=ago(90),
            last_session_on=ago(3),
            last_active_on=ago(3),
            open_actions=2,
            overdue_actions=2,
            oldest_overdue_on=ago(30),
            **weekly,
        ),
    ]
    sent = {(n.audience, n.kind) for f in facts for n in judge(f).nudges}
    assert {kind for _, kind in sent} == NUDGE_KINDS - {Kind.LEAD_DIGEST}
    for audience, kind in sent:
        assert kind in KINDS_BY_ROLE[audience], (audience, kind)


def test_each_event_goes_to_someone_offered_it(cast):
    """Pairing, a phase change, a cadence proposed and answered, a lead's reminder: every
    notification they record is one its recipient's roles are offered."""
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    advance_phase(membership=cast.mentee_membership, by=cast.lead)
    answer_cadence(
        agreement=propose_cadence(pairing=pairing, by=cast.mentee, cadence="weekly"),
        by=cast.mentor,
        accept=True,
    )
    remind_mentor(mentee=cast.mentee_membership, by=cast.lead)
    sent = list(Notification.objects.values_list("recipient_id", "programme_id", "kind"))
    assert {kind for _, _, kind in sent} >= {
        Kind.PAIRING_CHANGED,
        Kind.PHASE_CHANGED,
        Kind.CADENCE_PROPOSED,
        Kind.LEAD_REMINDER,
    }
    for user_id, programme_id, kind in sent:
        roles = Membership.objects.filter(
            user_id=user_id, programme_id=programme_id, is_active=True
        ).values_list("role", flat=True)
        assert kind in kinds_for(roles), (user_id, kind)


# --- An invalid form says so at the top ------------------------------------------------------


def test_a_refused_save_is_summed_up_at_the_top_with_links_to_the_fields(client, cast):
    client.force_login(cast.mentee)
    response = client.post(
        SETTINGS, {"delivery": Delivery.BOTH, "quiet_from": "22:00", "quiet_until": ""}
    )
    html = response.content.decode()
    summary = html.index('id="settings-errors"')
    assert summary < html.index("How to tell you") < html.index('id="id_quiet_until"')
    assert 'role="alert"' in html[html.rindex("<div", 0, summary) : summary + 40]
    assert re.search(
        r'<a href="#id_quiet_until">Quiet hours, until: Give quiet hours an end too', html
    )
    assert "Your settings are not saved yet." in html


def test_a_refusal_from_the_service_is_in_the_summary_too(client, cast):
    client.force_login(cast.mentee)
    html = client.post(
        SETTINGS, {"delivery": Delivery.BOTH, "quiet_from": "09:00", "quiet_until": "09:00"}
    ).content.decode()
    summary = html[html.index('id="settings-errors"') : html.index("How to tell you")]
    assert "Quiet hours must start and end at different times." in summary


def test_a_valid_page_has_no_summary(client, cast):
    client.force_login(cast.mentee)
    assert 'id="settings-errors"' not in client.get(SETTINGS).content.decode()
