"""The sweep's faster paths on PostgreSQL, held to what the plain paths do: arrays sent as one
literal, nudges inserted with one INSERT ... SELECT FROM unnest, and the next batch's facts
read ahead on a second connection while this batch is judged.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mentoring.selectors.pace import gather
from mentoring.services import pace
from mentoring.services.pace import _Ahead, _can_gather_ahead, _record, _store, plan, sweep
from programmes.lookups import array_literal
from programmes.models import NUDGE_KINDS, Membership, Notification, NotificationKind, Role
from programmes.services.notification import people, prepare, record_action
from tests.factories import make_mentor, make_user
from tests.mentoring.test_pace_sweep import calm_programme, paired_mentee


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
        'She said "yes", then {no}',
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
            "SELECT %s::text[], %s::bigint[], %s::float8[], %s::timestamptz[], %s::boolean[]",
            [
                array_literal(texts),
                array_literal([1, None, 2**40]),
                array_literal([0.0, 1.333, None, 2.5e-7]),
                array_literal(times),
                array_literal([True, False, None]),
            ],
        )
        got_texts, ids, floats, got_times, flags = cursor.fetchone()
    assert got_texts == texts
    assert ids == [1, None, 2**40]
    assert floats == [0.0, 1.333, None, 2.5e-7]
    assert got_times == times
    assert flags == [True, False, None]


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
    assert read_ahead == gather([a.pk, c.pk], now=now)


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
        subjects = ahead.take([mentee.pk])
    finally:
        ahead.close()
    assert subjects is not None
    verdicts, _ = plan(subjects, now=sweep_started)
    record_action(user=mentee.user, action="completion", mentee=mentee)
    _store(subjects, verdicts, sweep_started)
    mentee.refresh_from_db()
    assert mentee.pace_due_at <= timezone.now()
    assert mentee.pace_checked_at == sweep_started
