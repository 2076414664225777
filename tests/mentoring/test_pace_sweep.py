"""The pace sweep against a real database: who it judges, what it stores, which nudges it
records, and what it never does (nudge twice, break a cap, leak a pair's private words).

The pace rules themselves are tested table-driven in test_pace_rules.py; these tests build
people through the real services and run `sweep(now=...)` as Beat would, day after day.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.models import CadenceAgreement, MentoringSession
from mentoring.selectors.pace import gather
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.pace import _store, lead_digests, plan, sweep
from mentoring.services.pairing import pair
from mentoring.services.session import reflect_on_session, save_session, start_session
from mentoring.templatetags.text import text_blocks
from programmes.models import (
    NUDGE_KINDS,
    Delivery,
    EmailStatus,
    Membership,
    Notification,
    NotificationKind,
    PaceStatus,
    Phase,
    Programme,
    Role,
)
from programmes.services.membership import pause
from programmes.services.notification import (
    due_email_ids,
    email_notification,
    record_action,
    snooze,
    update_settings,
)
from programmes.services.programme import change_programme
from programmes.services.progress import enrol
from tests.factories import make_mentor, make_programme, make_user

PRIVATE = "PRIVATE-7Q3X"  # planted in what a pair writes; must never reach a notification


@pytest.fixture
def now() -> datetime:
    """Tomorrow at noon UTC: after every row the test makes, at a known time of day."""
    tomorrow = timezone.now().astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(12), tzinfo=UTC)


@pytest.fixture
def lead(db):
    return make_user("Lena Lead", "lead@example.org")


@pytest.fixture
def programme(lead) -> Programme:
    return calm_programme(lead)


def calm_programme(lead, name: str = "Social Adoption Programme") -> Programme:
    """A programme whose phases have no planned length, so that only sessions and silence
    decide a mentee's pace in these tests."""
    found = make_programme(lead, name=name)
    Phase.objects.filter(programme=found).update(expected_weeks=None)
    return found


def log_session(
    membership: Membership, *, held_at: datetime, topics: str = "", resonated: str = ""
) -> MentoringSession:
    pairing = membership.mentee_pairings.get(ended_at__isnull=True)
    mentor = pairing.mentor.user
    session = start_session(pairing=pairing, by=mentor, at=held_at)
    return save_session(
        session=session,
        by=mentor,
        version=session.version,
        fields={"topics": topics, "resonated": resonated, "learning_shared": topics},
        log=True,
    )


def paired_mentee(
    programme: Programme,
    *,
    cadence: str,
    silent_days: int,
    now: datetime,
    mentor: Membership | None = None,
    user=None,
) -> Membership:
    """A mentee who joined two months ago, agreed `cadence` with their mentor, and last met
    them (or did anything at all) `silent_days` before `now`."""
    lead = programme.memberships.get(role=Role.LEAD).user
    mentor = mentor or make_mentor(programme)
    mentee = enrol(
        programme=programme,
        user=user or make_user(),
        role=Role.MENTEE,
        by=lead,
        at=now - timedelta(days=60),
    )
    pairing = pair(mentor=mentor, mentee=mentee, by=lead, at=now - timedelta(days=59))
    proposal = propose_cadence(pairing=pairing, by=mentor.user, cadence=cadence)
    answer_cadence(agreement=proposal, by=mentee.user, accept=True)
    # Agreed when they paired: the sessions since are all under this rhythm.
    CadenceAgreement.objects.filter(pk=proposal.pk).update(
        proposed_at=now - timedelta(days=59), answered_at=now - timedelta(days=59)
    )
    log_session(mentee, held_at=now - timedelta(days=silent_days))
    quiet_since(mentee, now - timedelta(days=silent_days))
    return mentee


def quiet_since(membership: Membership, at: datetime) -> None:
    """The services keep `last_active_at` at the real time of each action; these tests build
    two months of history in a moment, so they set it to when the mentee last acted."""
    Membership.objects.filter(pk=membership.pk).update(last_active_at=at)


def nudges_to(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind__in=NUDGE_KINDS))


def due_again(*memberships: Membership, at: datetime) -> None:
    """As if each one's next check had come: the cap and back-off are what is tested."""
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(pace_due_at=at)


def status_of(membership: Membership) -> str:
    membership.refresh_from_db()
    return membership.pace_status


# --- Judged against their own rhythm ------------------------------------------------------


def test_a_weekly_and_a_monthly_pair_with_the_same_silence_are_judged_differently(programme, now):
    weekly = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    monthly = paired_mentee(programme, cadence="monthly", silent_days=10, now=now)

    result = sweep(now=now)

    assert result.judged == 2
    assert status_of(weekly) == PaceStatus.SLIPPING
    assert status_of(monthly) == PaceStatus.ON_PACE
    [nudge] = nudges_to(weekly.user)
    assert nudge.kind == NotificationKind.SESSION_DUE
    assert "weekly" in nudge.body
    assert nudge.about_id == weekly.pk
    assert nudge.reason.startswith("You were marked slipping")
    assert nudges_to(monthly.user) == []


def test_before_its_start_date_a_programmes_mentees_are_not_behind_and_not_nudged(programme, now):
    silent = paired_mentee(programme, cadence="weekly", silent_days=40, now=now)
    starts_on = timezone.localdate(now) + timedelta(days=10)
    Programme.objects.filter(pk=programme.pk).update(starts_on=starts_on)

    sweep(now=now)

    silent.refresh_from_db()
    assert silent.pace_status == PaceStatus.ON_PACE
    assert silent.pace_reason.startswith(f"The programme starts on {starts_on.day} ")
    assert nudges_to(silent.user) == []
    # Looked at again on the morning it starts, not before.
    assert timezone.localtime(silent.pace_due_at).date() == starts_on


def test_moving_a_programmes_start_date_has_its_mentees_judged_again_at_the_next_sweep(
    programme, now
):
    silent = paired_mentee(programme, cadence="weekly", silent_days=40, now=now)
    sweep(now=now)
    assert status_of(silent) == PaceStatus.STALLED
    said = Notification.objects.filter(programme=programme, kind__in=NUDGE_KINDS)
    assert said.filter(email_status=EmailStatus.PENDING).exists()
    lead = programme.memberships.get(role=Role.LEAD).user
    starts_on = timezone.localdate() + timedelta(days=10)

    change_programme(programme=programme, by=lead, starts_on=starts_on)

    # What was said stays in the app; its emails no longer go before the start.
    assert said.exists() and not said.filter(email_status=EmailStatus.PENDING).exists()
    sweep(now=timezone.now())
    assert status_of(silent) == PaceStatus.ON_PACE


def test_the_mentor_is_nudged_only_once_their_partner_is_twice_their_interval_late(programme, now):
    slipping = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    far_behind = paired_mentee(programme, cadence="weekly", silent_days=16, now=now)

    sweep(now=now)

    assert NotificationKind.PARTNER_SLIPPING not in {
        n.kind for n in nudges_to(slipping.mentee_pairings.get().mentor.user)
    }
    [to_mentor] = nudges_to(far_behind.mentee_pairings.get().mentor.user)
    assert to_mentor.kind == NotificationKind.PARTNER_SLIPPING
    assert far_behind.user.name in to_mentor.title + to_mentor.body


def test_sweeping_twice_records_nothing_twice_and_judges_nobody_the_second_time(programme, now):
    mentees = [
        paired_mentee(programme, cadence="weekly", silent_days=days, now=now)
        for days in (3, 10, 16, 30)
    ]

    nudges = Notification.objects.nudges()

    first = sweep(now=now)
    recorded = sorted(nudges.values_list("recipient_id", "kind", "period"))
    second = sweep(now=now)

    assert first.judged == 4
    assert first.nudges == len(recorded) > 0
    assert second.judged == 0
    assert second.nudges == 0
    assert sorted(nudges.values_list("recipient_id", "kind", "period")) == recorded
    for mentee in mentees:
        mentee.refresh_from_db()
        assert mentee.pace_checked_at == now
        assert mentee.pace_due_at > now


def test_forcing_everyone_due_again_the_same_day_adds_no_duplicate(programme, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=16, now=now)
    sweep(now=now)
    before = Notification.objects.count()

    due_again(mentee, at=now)
    again = sweep(now=now + timedelta(minutes=15))

    assert again.judged == 1
    assert Notification.objects.count() == before


def test_the_next_check_moves_forward_to_the_morning_the_rules_name(programme, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)

    sweep(now=now)

    mentee.refresh_from_db()
    # 10 days of a weekly rhythm: the next step is at twice the interval, 14 days.
    expected_day = timezone.localdate(now) + timedelta(days=4)
    assert timezone.localtime(mentee.pace_due_at).date() == expected_day
    assert timezone.localtime(mentee.pace_due_at).time() == time(6)
    assert sweep(now=mentee.pace_due_at - timedelta(minutes=1)).judged == 0
    assert sweep(now=mentee.pace_due_at).judged == 1


# --- Who is left alone -------------------------------------------------------------------


def test_a_paused_mentee_is_judged_paused_and_not_nudged(programme, lead, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=30, now=now)
    until = timezone.localdate(now) + timedelta(days=7)
    pause(membership=mentee, until=until, by=lead)

    assert sweep(now=now).judged == 0  # the pause put their next check after it ends

    due_again(mentee, at=now)
    assert sweep(now=now).judged == 1
    mentee.refresh_from_db()
    assert mentee.pace_status == PaceStatus.PAUSED
    assert nudges_to(mentee.user) == []
    assert nudges_to(mentee.mentee_pairings.get().mentor.user) == []
    assert timezone.localtime(mentee.pace_due_at).date() == until + timedelta(days=1)


def test_a_snoozed_mentee_gets_no_nudge_but_their_mentor_still_hears(programme, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=16, now=now)
    snooze(by=mentee.user, until=timezone.localdate(now) + timedelta(days=7))

    sweep(now=now)

    assert status_of(mentee) == PaceStatus.SLIPPING  # snoozing changes what is said, not pace
    assert nudges_to(mentee.user) == []
    [to_mentor] = nudges_to(mentee.mentee_pairings.get().mentor.user)
    assert to_mentor.kind == NotificationKind.PARTNER_SLIPPING


def test_a_snoozed_mentor_gets_no_nudge_about_their_partner(programme, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=16, now=now)
    mentor = mentee.mentee_pairings.get().mentor.user
    snooze(by=mentor, until=timezone.localdate(now) + timedelta(days=7))

    sweep(now=now)

    assert nudges_to(mentor) == []
    assert [n.kind for n in nudges_to(mentee.user)] == [NotificationKind.SESSION_DUE]


def test_a_kind_the_person_muted_is_not_recorded(programme, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    update_settings(
        by=mentee.user,
        delivery=Delivery.BOTH,
        quiet_from=None,
        quiet_until=None,
        muted_kinds=[NotificationKind.SESSION_DUE],
    )

    sweep(now=now)

    assert status_of(mentee) == PaceStatus.SLIPPING
    assert nudges_to(mentee.user) == []


def test_a_kind_the_programme_switched_off_is_not_recorded(programme, now):
    programme.nudges_off = [NotificationKind.SESSION_DUE, NotificationKind.PARTNER_SLIPPING]
    programme.save()
    mentee = paired_mentee(programme, cadence="weekly", silent_days=16, now=now)

    sweep(now=now)

    assert status_of(mentee) == PaceStatus.SLIPPING
    assert nudges_to(mentee.user) == []
    assert nudges_to(mentee.mentee_pairings.get().mentor.user) == []


# --- Caps and back-off, sweep after sweep ----------------------------------------------------


def test_a_person_gets_at_most_one_nudge_every_two_days_across_their_programmes(lead, now):
    person = make_user("Pat Twoprogrammes", "pat@example.org")
    here = paired_mentee(
        calm_programme(lead), cadence="weekly", silent_days=10, now=now, user=person
    )
    there = paired_mentee(
        calm_programme(lead, name="Second Cohort"),
        cadence="weekly",
        silent_days=10,
        now=now,
        user=person,
    )

    sent_by_day = []
    for day in range(5):
        at = now + timedelta(days=day)
        due_again(here, there, at=at)
        sweep(now=at)
        sent_by_day.append(len(nudges_to(person)))

    assert sent_by_day == [1, 1, 2, 2, 3]


def test_a_programme_can_make_the_cap_stricter_for_its_own_nudges_but_not_looser(lead, now):
    strict, loose = calm_programme(lead), calm_programme(lead, name="Loose Cohort")
    strict.nudge_every_days = 5
    strict.save()
    loose.nudge_every_days = 1
    loose.save()
    in_strict = paired_mentee(strict, cadence="weekly", silent_days=10, now=now)
    in_loose = paired_mentee(loose, cadence="weekly", silent_days=10, now=now)

    sent_by_day: dict[str, list[int]] = {"strict": [], "loose": []}
    for day in range(3):
        at = now + timedelta(days=day)
        due_again(in_strict, in_loose, at=at)
        sweep(now=at)
        sent_by_day["strict"].append(len(nudges_to(in_strict.user)))
        sent_by_day["loose"].append(len(nudges_to(in_loose.user)))

    assert sent_by_day == {"strict": [1, 1, 1], "loose": [1, 1, 2]}


def test_a_mentor_of_several_slipping_partners_gets_one_nudge_a_sweep(programme, now):
    mentor = make_mentor(programme)
    for _ in range(3):
        paired_mentee(programme, cadence="weekly", silent_days=20, now=now, mentor=mentor)

    sweep(now=now)

    assert len(nudges_to(mentor.user)) == 1


def test_an_ignored_nudge_doubles_the_wait_before_the_next(programme, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    sweep(now=now)
    assert len(nudges_to(mentee.user)) == 1

    # Three days on, the plain cap (two days) would allow another; the first went
    # unanswered, so the wait is four days.
    due_again(mentee, at=now + timedelta(days=3))
    sweep(now=now + timedelta(days=3))
    assert len(nudges_to(mentee.user)) == 1

    due_again(mentee, at=now + timedelta(days=4))
    sweep(now=now + timedelta(days=4))
    assert len(nudges_to(mentee.user)) == 2


def test_two_ignored_nudges_flag_the_mentee_as_stalled_for_the_lead(programme, now):
    mentee = paired_mentee(programme, cadence="fortnightly", silent_days=18, now=now)
    sweep(now=now)  # 18 days of a fortnightly rhythm: slipping, nudged
    assert status_of(mentee) == PaceStatus.SLIPPING
    due_again(mentee, at=now + timedelta(days=4))
    sweep(now=now + timedelta(days=4))  # one ignored: nudged again after four days
    assert len(nudges_to(mentee.user)) == 2

    due_again(mentee, at=now + timedelta(days=7))
    sweep(now=now + timedelta(days=7))

    # 25 days is less than twice their interval, but two nudges went unanswered.
    assert status_of(mentee) == PaceStatus.STALLED


# --- Quiet hours, in the recipient's own time zone ---------------------------------------------


def quiet_at_night(mentee: Membership, zone: str) -> None:
    """The mentee lives in `zone`, hears by app and email, and is quiet from 22:00 to 07:00."""
    mentee.user.time_zone = zone
    mentee.user.save(update_fields=["time_zone"])
    update_settings(
        by=mentee.user,
        delivery=Delivery.BOTH,
        quiet_from=time(22),
        quiet_until=time(7),
        muted_kinds=[],
    )


def test_quiet_hours_defer_a_nudge_to_their_end_in_the_recipients_own_time_zone(programme, now):
    in_tokyo = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    in_london = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    for mentee, zone in ((in_tokyo, "Asia/Tokyo"), (in_london, "Europe/London")):
        quiet_at_night(mentee, zone)
    # 15:00 UTC is midnight in Tokyo (quiet until 07:00 there, 22:00 UTC) and mid-afternoon
    # in London (not quiet).
    at = now.replace(hour=15)

    sweep(now=at)

    [deferred] = nudges_to(in_tokyo.user)
    assert deferred.created_at == at
    assert deferred.visible_from == deferred.email_after == at.replace(hour=22)
    [at_once] = nudges_to(in_london.user)
    assert at_once.visible_from == at_once.email_after == at
    assert not Notification.objects.visible_to(in_tokyo.user).nudges().shown(at).exists()


def test_a_nudge_held_by_quiet_hours_is_emailed_once_they_end_and_only_once(
    programme, now, django_capture_on_commit_callbacks
):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    quiet_at_night(mentee, "Asia/Tokyo")
    at = now.replace(hour=15)  # midnight in Tokyo
    sweep(now=at)
    [held] = nudges_to(mentee.user)

    # During their night: not emailed, not shown.
    assert held.pk not in due_email_ids(now=at.replace(hour=21, minute=59))
    assert not Notification.objects.visible_to(mentee.user).nudges().shown(at).exists()

    # At 07:00 in Tokyo (22:00 UTC) it is due, shown, and emailed by the first claim only.
    morning = at.replace(hour=22)
    assert held.pk in due_email_ids(now=morning)
    assert Notification.objects.visible_to(mentee.user).nudges().shown(morning).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert email_notification(held.pk) is True
        assert email_notification(held.pk) is False
    held.refresh_from_db()
    assert held.email_status == EmailStatus.SENT
    assert [m.to for m in mail.outbox] == [[mentee.user.email]]
    assert held.pk not in due_email_ids(now=morning + timedelta(hours=1))


def test_a_programmes_default_quiet_hours_do_not_override_a_persons_own(lead, now):
    programme = calm_programme(lead)
    programme.quiet_from, programme.quiet_until = time(9), time(17)
    programme.save()
    mentee = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    quiet_at_night(mentee, "UTC")

    sweep(now=now)  # noon UTC: inside the programme's default, outside their own

    [nudge] = nudges_to(mentee.user)
    assert nudge.visible_from == nudge.email_after == now


# --- Fixed queries ----------------------------------------------------------------------


def test_the_sweeps_query_count_does_not_grow_with_the_number_of_mentees(programme, now):
    mentors = [make_mentor(programme) for _ in range(5)]

    def add(count: int) -> None:
        for n in range(count):
            paired_mentee(
                programme,
                cadence=("weekly", "fortnightly", "monthly")[n % 3],
                silent_days=(3, 10, 16, 40)[n % 4],
                now=now,
                mentor=mentors[n % len(mentors)],
            )

    add(5)
    with CaptureQueriesContext(connection) as five:
        assert sweep(now=now).judged == 5
    add(45)
    due_again(*Membership.objects.filter(role=Role.MENTEE), at=now)
    with CaptureQueriesContext(connection) as fifty:
        assert sweep(now=now).judged == 50

    assert Notification.objects.filter(kind__in=NUDGE_KINDS).count() > 5
    assert len(fifty) == len(five)
    assert len(five) <= 30


# --- The lead's digest ------------------------------------------------------------------


def test_each_lead_gets_one_digest_a_week(programme, lead, now):
    behind = paired_mentee(programme, cadence="weekly", silent_days=30, now=now)
    paired_mentee(programme, cadence="monthly", silent_days=5, now=now)
    second_lead = make_user("Sam Secondlead", "second-lead@example.org")
    enrol(programme=programme, user=second_lead, role=Role.LEAD, by=lead)
    sweep(now=now)

    lead_digests(now=now)
    lead_digests(now=now + timedelta(hours=1))
    end_of_week = now + timedelta(days=6 - now.weekday())
    lead_digests(now=end_of_week)

    digests = Notification.objects.filter(kind=NotificationKind.LEAD_DIGEST)
    assert sorted(digests.values_list("recipient_id", flat=True)) == sorted(
        [lead.pk, second_lead.pk]
    )
    digest = digests.get(recipient=lead)
    assert "1 stalled" in digest.title
    assert behind.user.name in digest.body
    # It opens the dashboard's at-risk list, where the lead can act on each of them.
    assert digest.link == f"/programmes/{programme.slug}/dashboard/#at-risk"

    lead_digests(now=now + timedelta(days=7))
    assert digests.filter(recipient=lead).count() == 2


def test_the_digest_lists_people_in_the_dashboards_order_and_reads_as_a_list(programme, lead, now):
    for name in ("Zoe Zed", "Amy Ace", "Max Mid"):
        paired_mentee(programme, cadence="weekly", silent_days=30, now=now, user=make_user(name))
    sweep(now=now)
    Membership.objects.filter(user__name="Max Mid").update(pace_behind=9)
    Membership.objects.filter(user__name__in=["Zoe Zed", "Amy Ace"]).update(pace_behind=3)
    lead_digests(now=now)
    digest = Notification.objects.get(kind=NotificationKind.LEAD_DIGEST, recipient=lead)
    names = [line.split(" (")[0] for line in digest.body.splitlines()]
    assert names == ["- Max Mid", "- Amy Ace", "- Zoe Zed"]
    # The notification list and the email draw its "- " lines as a list.
    html = text_blocks(digest.body, "notification__body")
    assert html.startswith('<ul class="notification__body"><li>Max Mid (stalled): ')


def test_a_programme_with_nobody_at_risk_sends_its_lead_no_digest(programme, lead, now):
    paired_mentee(programme, cadence="monthly", silent_days=5, now=now)
    sweep(now=now)

    assert lead_digests(now=now) == 0
    assert not Notification.objects.filter(kind=NotificationKind.LEAD_DIGEST).exists()


# --- Privacy ------------------------------------------------------------------------------


def test_no_notification_carries_what_a_pair_wrote_in_private(programme, now):
    mentee = paired_mentee(programme, cadence="weekly", silent_days=40, now=now)
    # Two more sessions with private words, each answered "meet more often", so the pair is
    # also asked to rethink their rhythm; the newest is still 16 days ago.
    for days in (30, 16):
        session = log_session(
            mentee,
            held_at=now - timedelta(days=days),
            topics=f"topics {PRIVATE}",
            resonated=f"resonated {PRIVATE}",
        )
        reflect_on_session(
            session=session, by=mentee.user, body=f"reflection {PRIVATE}", frequency="more"
        )
    quiet_since(mentee, now - timedelta(days=16))

    sweep(now=now)
    lead_digests(now=now)

    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {
        NotificationKind.SESSION_DUE,
        NotificationKind.PARTNER_SLIPPING,
        NotificationKind.LEAD_DIGEST,
    } <= kinds
    for notification in Notification.objects.all():
        text = " ".join(
            [notification.title, notification.body, notification.reason, notification.link]
        )
        assert PRIVATE not in text, notification.kind
    mentee.refresh_from_db()
    assert PRIVATE not in mentee.pace_reason


# --- Two sweeps at once -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_judge_each_mentee_once_and_keep_the_caps(now):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the sweeps' lock is PostgreSQL's")
    lead = make_user("Lena Lead", "lead@example.org")
    programme = calm_programme(lead)
    mentors = [make_mentor(programme) for _ in range(3)]
    mentees = [
        paired_mentee(
            programme,
            cadence="weekly",
            silent_days=(10, 16, 30)[n % 3],
            now=now,
            mentor=mentors[n % 3],
        )
        for n in range(12)
    ]
    start = threading.Barrier(2)
    results = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            results.append(sweep(now=now, batch=2))
        except BaseException as exc:  # reported below, on the test's own thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(r.judged for r in results) == len(mentees)
    nudges = list(Notification.objects.filter(kind__in=NUDGE_KINDS).values("recipient_id"))
    recipients = [n["recipient_id"] for n in nudges]
    assert len(recipients) == len(set(recipients))  # one per person: the cap held
    assert set(recipients) == {m.user_id for m in mentees} | {m.user_id for m in mentors}
    assert Membership.objects.filter(role=Role.MENTEE, pace_due_at__lte=now).count() == 0


def test_someone_who_acts_while_their_batch_is_judged_is_still_looked_at_again_soon(cast):
    if connection.vendor != "postgresql":
        pytest.skip("the guard is in the PostgreSQL update; SQLite has one writer at a time")
    mentee = cast.mentee_membership
    now = timezone.now()
    subjects = gather([mentee.pk], now=now)
    verdicts, _ = plan(subjects, now=now)
    # The mentee ticks something off after their facts were read, before the verdict lands.
    record_action(user=cast.mentee, action="completion", mentee=mentee)
    _store(subjects, verdicts, now)
    mentee.refresh_from_db()
    assert mentee.pace_due_at <= timezone.now()
    assert mentee.pace_checked_at == now
