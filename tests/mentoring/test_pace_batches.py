"""The sweep's faster paths on PostgreSQL, held to what the plain paths do: arrays sent as one
literal, nudges inserted with one INSERT ... SELECT FROM unnest, and the next batch's facts
read ahead on a second connection while this batch is judged.
"""

from __future__ import annotations

import gc
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AgreedAction, SessionFeedback
from mentoring.selectors.pace import _day, _rows_portably, _rows_postgresql, gather
from mentoring.services import pace
from mentoring.services.pace import (
    _Ahead,
    _can_gather_ahead,
    _record,
    _store,
    judge_batch,
    plan,
    sweep,
)
from playbooks.models import Activity, Completion, PersonalTarget, Playbook, Section
from playbooks.models.playbook import SectionStatus
from playbooks.services.playbook import summarise
from programmes.lookups import _element, array_literal
from programmes.models import NUDGE_KINDS, Membership, Notification, NotificationKind, Role
from programmes.services.notification import people, prepare, record_action
from tests.factories import make_mentee, make_mentor, make_user
from tests.mentoring.test_pace_sweep import calm_programme, log_session, paired_mentee


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL path; SQLite takes the plain one")


@pytest.fixture
def now() -> datetime:
    tomorrow = timezone.now().astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(12), tzinfo=UTC)


# --- Arrays as one literal ----------------------------------------------------------------


@pytest.mark.django_db
def test_an_array_literal_reads_back_exactly_what_was_written():
    postgresql_only()
    texts = [
        'She said "yes", then {no}","',
        "ends in a backslash\\",
        "a\\b\\\\c",
        "NULL",
        "",
        "  spaced  ",
        "line\nbreak, and a comma",
        "Pick up “Goals” where you left it — 10 minutes?",
        None,
    ]
    times = [datetime(2026, 12, 2, 6, 0, tzinfo=UTC), None, timezone.now()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[], %s::float8[], %s::timestamptz[], %s::boolean[], "
            "%s::text[], %s::bigint[], %s::float8[]",
            [
                array_literal(texts),
                array_literal([1, None, 2**40]),
                array_literal([0.0, 1.333, None, 2.5e-7]),
                array_literal(times),
                array_literal([True, False, None]),
                # Each kind alone, without NULLs, as a sweep's columns are: written whole.
                array_literal(texts[:-1]),
                array_literal([1, 2**40]),
                array_literal([0.0, -0.0, 1.333]),
            ],
        )
        got_texts, ids, floats, got_times, flags, whole_texts, whole_ids, whole_floats = (
            cursor.fetchone()
        )
    assert got_texts == texts
    assert ids == [1, None, 2**40]
    assert floats == [0.0, 1.333, None, 2.5e-7]
    assert got_times == times
    assert flags == [True, False, None]
    assert whole_texts == texts[:-1]
    assert whole_ids == [1, 2**40]
    assert whole_floats == [0.0, -0.0, 1.333]
    assert str(whole_floats[1]) == "-0.0"


class _Colour(models.TextChoices):
    RED = "red"


_TEXTS = ['She said "yes", then {no}', "a\\b\\\\c", "NULL", "", "line\nbreak, and a comma"]
_AT = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(_TEXTS, id="texts"),
        pytest.param(["only one"], id="one text"),
        pytest.param([""], id="one empty text"),
        pytest.param([_Colour.RED, "blue", _Colour.RED], id="choices among texts"),
        pytest.param(["nul \x00 inside", "b"], id="a NUL: one at a time"),
        pytest.param([1, 2**40, 0, -5], id="ids"),
        pytest.param([True, 1, False, 0], id="flags and numbers mixed"),
        pytest.param([0.0, -0.0, 1.333, 2.5e-7], id="floats"),
        pytest.param([1.0, None, 1], id="floats, numbers and NULL"),
        pytest.param([_AT, None, _AT, _AT + timedelta(hours=1)], id="times and NULL"),
        pytest.param([date(2026, 12, 2), date(2026, 12, 2)], id="days"),
        pytest.param((v for v in ["from", "a", "generator"]), id="a generator"),
        pytest.param([], id="empty"),
    ],
)
def test_an_array_literal_is_written_whole_as_it_would_be_value_by_value(values):
    values = list(values)
    one_at_a_time = "{" + ",".join(_element(v) for v in values) + "}"
    assert array_literal(values) == one_at_a_time
    assert array_literal(iter(values)) == one_at_a_time


def test_an_array_literal_refuses_what_it_cannot_write_exactly():
    with pytest.raises(ValueError, match="naive"):
        array_literal([datetime(2026, 12, 2, 6, 0)])
    with pytest.raises(TypeError):
        array_literal([object()])


# --- Nudges inserted with one statement ---------------------------------------------------


@pytest.mark.django_db
def test_recorded_nudges_hold_every_field_and_one_already_there_wins(now):
    # On SQLite `_record` is `record`; on PostgreSQL it is its own statement: the same rows.
    lead = make_user("Lena Lead", "lead@example.org")
    programme = calm_programme(lead)
    mentee = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    other = make_user("Quinn Quote", "quinn@example.org")
    persons = people({mentee.user_id, other.pk})
    first = [
        prepare(
            persons[mentee.user_id],
            kind=NotificationKind.SESSION_DUE,
            period=f"{mentee.pk}:{now.date()}",
            title='Time to meet "again"',
            body="No session since 1 May; a \\ backslash, {braces} and “quotes”.",
            reason="You were marked slipping.",
            link="/p/x/sessions/",
            programme_id=programme.pk,
            about_id=mentee.pk,
            now=now,
        ),
        prepare(
            persons[other.pk],
            kind=NotificationKind.CHECK_IN,
            period="7:2026-12",
            title="A monthly check-in",
            now=now,
        ),
    ]
    _record(first)
    _record(
        [
            prepare(
                persons[mentee.user_id],
                kind=NotificationKind.SESSION_DUE,
                period=f"{mentee.pk}:{now.date()}",
                title="A second try the same day",
                now=now,
            )
        ]
    )

    stored = {n.recipient_id: n for n in Notification.objects.filter(created_at=now)}
    assert len(stored) == 2
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    for made in first:
        found = stored[made.recipient_id]
        for f in fields:
            assert getattr(found, f.attname) == getattr(made, f.attname), f.name


@pytest.mark.django_db
def test_recording_nothing_writes_nothing():
    _record([])
    assert Notification.objects.count() == 0


# --- Reading the next batch ahead ---------------------------------------------------------


@pytest.mark.django_db
def test_inside_a_callers_transaction_the_sweep_reads_nothing_ahead():
    # A second connection could not see the caller's uncommitted rows.
    assert _can_gather_ahead() is False


@pytest.mark.django_db(transaction=True)
def test_facts_read_ahead_are_used_only_for_exactly_the_batch_they_were_read_for(now):
    postgresql_only()
    assert _can_gather_ahead() is True
    programme = calm_programme(make_user("Lena Lead", "lead@example.org"))
    mentor = make_mentor(programme)
    a, b, c = (
        paired_mentee(programme, cadence="weekly", silent_days=days, now=now, mentor=mentor)
        for days in (3, 10, 30)
    )
    ahead = _Ahead.start(now)
    try:
        ahead.gather([a.pk, b.pk])
        assert ahead.take([a.pk, c.pk]) is None  # another batch came up: dropped
        assert ahead.take([a.pk, b.pk]) is None  # and used up: nothing is kept
        ahead.gather([a.pk, c.pk])
        read_ahead = ahead.take([a.pk, c.pk])
    finally:
        ahead.close()
    assert read_ahead is not None
    assert read_ahead.subjects == gather([a.pk, c.pk], now=now)
    # Judged ahead as the batch would be judged when its turn came.
    assert read_ahead.verdicts == judge_batch(read_ahead.subjects).verdicts


@pytest.mark.django_db(transaction=True)
def test_a_sweep_that_reads_ahead_stores_and_records_what_one_that_does_not_would(now, monkeypatch):
    postgresql_only()
    programme = calm_programme(make_user("Lena Lead", "lead@example.org"))
    mentors = [make_mentor(programme) for _ in range(2)]
    mentees = [
        paired_mentee(
            programme,
            cadence=("weekly", "fortnightly", "monthly")[n % 3],
            silent_days=(2, 10, 16, 30, 45)[n % 5],
            now=now,
            mentor=mentors[n % 2],
        )
        for n in range(7)
    ]
    used = []
    take = _Ahead.take

    def counted(self, ids):
        found = take(self, ids)
        used.append(found is not None)
        return found

    monkeypatch.setattr(_Ahead, "take", counted)

    def outcome():
        verdicts = sorted(
            Membership.objects.filter(role=Role.MENTEE).values_list(
                "pk", "pace_status", "pace_reason", "pace_behind", "pace_due_at", "pace_checked_at"
            )
        )
        nudges = sorted(
            Notification.objects.filter(kind__in=NUDGE_KINDS).values_list(
                "recipient_id", "kind", "period", "title", "body", "reason", "link", "visible_from"
            )
        )
        return verdicts, nudges

    ahead_result = sweep(now=now, batch=2)
    with_ahead = outcome()
    assert ahead_result.judged == len(mentees)
    assert used.count(True) == 3  # batches 2, 3 and 4 of 4 were read ahead

    Notification.objects.filter(kind__in=NUDGE_KINDS).delete()
    Membership.objects.filter(role=Role.MENTEE).update(
        pace_due_at=now - timedelta(days=1), pace_status="", pace_reason="", pace_behind=0
    )
    monkeypatch.setattr(pace, "_can_gather_ahead", lambda: False)
    used.clear()
    plain_result = sweep(now=now, batch=2)
    assert used == []
    assert plain_result.judged == len(mentees)
    assert plain_result.nudges == ahead_result.nudges > 0
    assert outcome() == with_ahead


@pytest.mark.django_db(transaction=True)
def test_someone_who_acts_after_their_facts_were_read_ahead_is_looked_at_again_soon(now):
    postgresql_only()
    programme = calm_programme(make_user("Lena Lead", "lead@example.org"))
    mentee = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    sweep_started = timezone.now()
    ahead = _Ahead.start(sweep_started)
    try:
        ahead.gather([mentee.pk])
        read_ahead = ahead.take([mentee.pk])
    finally:
        ahead.close()
    assert read_ahead is not None
    subjects = read_ahead.subjects
    verdicts, _ = plan(subjects, now=sweep_started, judged=read_ahead)
    record_action(user=mentee.user, action="completion", mentee=mentee)
    _store(subjects, verdicts, sweep_started)
    mentee.refresh_from_db()
    assert mentee.pace_due_at <= timezone.now()
    assert mentee.pace_checked_at == sweep_started


# --- A batch's facts in one statement -----------------------------------------------------


def _varied_mentees(programme, now: datetime) -> list[Membership]:
    """Mentees whose facts differ in every way the pace rules read: paired or not, answers
    to "how often?", long and short session histories, open and overdue actions, practice
    against a target, sections waiting for review, nudges ignored, paused."""
    mentor = make_mentor(programme)
    found = [
        paired_mentee(programme, cadence=cadence, silent_days=days, now=now, mentor=mentor)
        for cadence, days in (("weekly", 3), ("fortnightly", 20), ("monthly", 45), ("weekly", 9))
    ]
    found.append(make_mentee(programme))  # no mentor, nothing done yet
    busy, answered, practising, writing = found[0], found[1], found[2], found[3]
    for n in range(6):  # more sessions than the rules read, with answers on some
        session = log_session(busy, held_at=now - timedelta(days=10 + 7 * n))
        AgreedAction.objects.create(
            session=session,
            mentee=busy,
            text=f"Action {n}",
            due_on=(now + timedelta(days=2 - 3 * n)).date(),
        )
        if n % 2:
            SessionFeedback.objects.create(session=session, frequency=("more", "less")[n % 3 == 0])
    for n in range(3):
        session = log_session(answered, held_at=now - timedelta(days=25 + 14 * n))
        SessionFeedback.objects.create(session=session, frequency=("", "right", "more")[n])
    PersonalTarget.objects.create(membership=practising, per_week=2)
    activity = Activity.objects.filter(programme=programme).first()
    if activity is not None:
        for days in (0, 1, 5, 13, 14, 15, 40, -1):  # the fortnight's edges, and one ahead
            Completion.objects.create(
                activity=activity,
                membership=practising,
                done_on=(now - timedelta(days=days)).date(),
            )
    sections = list(Section.objects.filter(playbook__membership=writing).order_by("pk"))
    for n, section in enumerate(sections[:2]):
        Section.objects.filter(pk=section.pk).update(
            status=SectionStatus.READY,
            status_changed_at=now - timedelta(days=3 + n),
            updated_at=now - timedelta(days=3 + n),
        )
    summarise(Playbook.objects.filter(membership=writing))  # as the services keep it
    for n in range(3):
        Notification.objects.create(
            recipient=writing.user,
            kind=NotificationKind.NEXT_STEP,
            period=f"{writing.pk}:old-{n}",
            title="A nudge left unanswered",
            about=writing,
            programme=programme,
            created_at=now - timedelta(days=3 + 35 * n),  # the last one too old to count
        )
    Membership.objects.filter(pk=found[4].pk).update(paused_until=(now + timedelta(days=5)).date())
    return found


ANSWERS = 16  # the answers' column in a gathered row: (answer, day held) pairs


def _same_days(row: tuple) -> tuple:
    """The row with each answer's day as a date: PostgreSQL sends it inside a text array."""
    answers = [(a, _day(on)) for a, on in row[ANSWERS]]
    return (*row[:ANSWERS], answers, *row[ANSWERS + 1 :])


@pytest.mark.django_db
def test_one_statement_gathers_exactly_the_facts_the_portable_queries_do(now):
    postgresql_only()
    programme = calm_programme(make_user("Lena Lead", "lead@example.org"))
    mentees = _varied_mentees(programme, now)
    ids = [m.pk for m in mentees]
    for at in (now, now + timedelta(days=9), now + timedelta(days=40)):
        today = timezone.localdate(at)
        fast = sorted(map(_same_days, _rows_postgresql(ids, at, today)))
        portable = sorted(map(_same_days, _rows_portably(ids, at, today)))
        assert fast == portable
        assert len(fast) == len(mentees)
    # The facts vary as the rules need them to: this compares more than empty histories.
    facts = {s.membership_id: s.facts for s in gather(ids, now=now)}
    assert facts[mentees[0].pk].open_actions and facts[mentees[0].pk].overdue_actions
    assert len(facts[mentees[0].pk].recent_gaps) == 3
    assert facts[mentees[0].pk].frequency_answers
    # The newest session's empty answer is passed over; the two before it count.
    assert facts[mentees[1].pk].frequency_answers == ("right", "more")
    assert facts[mentees[3].pk].sections_waiting_review == 2
    assert facts[mentees[3].pk].ignored_nudges == 2
    assert facts[mentees[4].pk].has_mentor is False


@pytest.mark.django_db
def test_a_nudges_link_to_a_page_about_the_mentee_is_the_pages_own_address(now):
    programme = calm_programme(make_user("Lena Lead", "lead@example.org"))
    mentee = paired_mentee(programme, cadence="weekly", silent_days=30, now=now)
    (subject,) = gather([mentee.pk], now=now)
    assert pace._link("partner", subject) == reverse(
        "mentoring:partner", kwargs={"slug": programme.slug, "member": mentee.pk}
    )
    # The review nudge lands on the sections waiting, at the top of the mentee's playbook.
    assert (
        pace._link("review", subject)
        == reverse(
            "playbooks:member_playbook", kwargs={"slug": programme.slug, "member": mentee.pk}
        )
        + "#review"
    )


def test_the_sweep_leaves_the_cycle_collector_as_it_found_it():
    thresholds = gc.get_threshold()
    with pace._fewer_collections():
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] >= thresholds[0]
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0


def test_two_sweeps_at_once_in_one_process_leave_the_collector_as_they_found_it():
    thresholds = gc.get_threshold()
    first, second = pace._fewer_collections(), pace._fewer_collections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first to begin ends first
    assert gc.get_freeze_count() > 0  # the other still runs
    second.__exit__(None, None, None)
    assert gc.get_threshold() == thresholds
    assert gc.get_freeze_count() == 0
