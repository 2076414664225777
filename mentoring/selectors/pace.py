"""The facts the pace rules need, for many mentees at once.

`gather(ids, now)` answers for a batch of mentee memberships with a fixed number of
set-based queries, whatever the batch's size: no query per person. On PostgreSQL that is
one statement (`_rows_postgresql`); elsewhere nine ORM queries (`_rows_portably`) read the
same facts, and a test holds the two to the same answers. It reads every
app's data (sessions, cadence, completions, playbooks, nudges), so it lives at the top of the
import graph.

The sweep runs it over every mentee who is due, so it is written for speed as well as
clarity: the batch's ids travel as one array on PostgreSQL (`among`), the database turns
times into local dates and does the counting, and each query returns plain tuples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from mentoring.cadence import CADENCE_DAYS
from mentoring.models import AgreedAction, CadenceAgreement, MentoringSession, SessionFeedback
from mentoring.pace import PaceFacts, since_agreed
from playbooks.models import Completion, PersonalTarget, Playbook, TemplateSection
from programmes.lookups import among
from programmes.models import (
    NUDGE_KINDS,
    Membership,
    Notification,
    NotificationKind,
    Pairing,
    Phase,
    Programme,
)

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["Subject", "among", "gather"]

# A nudge not acted on after this long counts as ignored.
IGNORED_AFTER = timedelta(days=2)
RECENT_SESSIONS = 4
User = get_user_model()


class _LocalDate(TruncDate):
    """TruncDate without its own converter, which changes only datetimes and is a function
    call for each of the million dates a sweep of 100,000 reads. The backend's converters
    (SQLite's text to date) still apply."""

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list[Any]:
        return self.output_field.get_db_converters(connection)


@dataclass(frozen=True)
class Subject:
    """One mentee in the batch, with who else their nudges may go to."""

    membership_id: int
    user_id: int
    programme_id: int
    slug: str
    mentor_user_id: int | None
    pairing_id: int | None
    last_active_at: datetime | None
    facts: PaceFacts


def gather(ids: Sequence[int], *, now: datetime) -> list[Subject]:
    """Facts for the mentee memberships `ids`."""
    if not ids:
        return []
    today = timezone.localdate(now)
    if connection.vendor == "postgresql":
        rows = _rows_postgresql(ids, now, today)
    else:
        rows = _rows_portably(ids, now, today)
    week = today.isocalendar().week
    return [_subject(row, today, week) for row in rows]


# One mentee's facts as both ways of gathering them return them, in this order:
#   pk, user_id, name, email, programme_id, slug, starts_on (the programme's),
#   phase_name, phase_criterion, expected_weeks, paused_until, last_active_at,
#   joined_on, phase_started_on, operationalised_on, last_active_on (local dates),
#   answers (to "how often?" after their last logged sessions, newest first, at most two,
#            each as [answer, the local date its session was held]),
#   pairing_id, mentor_user_id, paired_on, cadence (the accepted one, or ""),
#   agreed_on (the local date it was accepted, if known),
#   held (their last RECENT_SESSIONS logged sessions' local dates, newest first),
#   planned (the next date the newest of them set),
#   open_actions, overdue_actions, oldest_overdue,
#   last_completion, done_last_fortnight, target_per_week,
#   last_section, sections_ready, ready_since, next_section,
#   ignored (nudges to the mentee about themselves, not acted on)
Row = tuple[Any, ...]


def _subject(row: Row, today: date, week: int) -> Subject:
    (
        pk,
        user_id,
        name,
        email,
        programme_id,
        slug,
        starts_on,
        phase_name,
        phase_criterion,
        expected_weeks,
        paused_until,
        last_active_at,
        joined_on,
        phase_started_on,
        operationalised_on,
        last_active_on,
        answers,
        pairing_id,
        mentor_user_id,
        paired_on,
        cadence,
        agreed_on,
        held,
        planned,
        open_actions,
        overdue_actions,
        oldest_overdue,
        last_completion,
        done_last_fortnight,
        target_per_week,
        last_section,
        ready,
        ready_since,
        next_section,
        ignored,
    ) = row
    interval = CADENCE_DAYS.get(cadence) if cadence else None
    last_session = held[0] if held else None
    frequency_answers, recent_gaps = since_agreed(
        agreed_on, [(a, _day(on)) for a, on in answers], held
    )
    facts = PaceFacts(
        today=today,
        name=name or email.split("@")[0],
        phase_name=phase_name or "",
        phase_criterion=phase_criterion or "",
        phase_started_on=phase_started_on,
        expected_weeks=expected_weeks,
        programme_starts_on=starts_on,
        operationalised_on=operationalised_on,
        paused_until=paused_until,
        joined_on=joined_on,
        has_mentor=pairing_id is not None,
        paired_on=paired_on,
        cadence=cadence if interval else "",
        interval_days=interval,
        last_session_on=last_session,
        planned_session_on=planned,
        open_actions=open_actions,
        overdue_actions=overdue_actions,
        oldest_overdue_on=oldest_overdue,
        frequency_answers=frequency_answers,
        recent_gaps=recent_gaps,
        target_per_week=target_per_week,
        done_last_fortnight=done_last_fortnight,
        last_completion_on=last_completion,
        last_section_on=last_section,
        next_section=next_section,
        sections_waiting_review=ready,
        review_waiting_since=ready_since,
        last_active_on=_latest(last_active_on, last_session, last_completion, last_section),
        ignored_nudges=ignored,
        variant=pk + week,
    )
    return Subject(
        membership_id=pk,
        user_id=user_id,
        programme_id=programme_id,
        slug=slug,
        mentor_user_id=mentor_user_id,
        pairing_id=pairing_id,
        last_active_at=last_active_at,
        facts=facts,
    )


def _ignored_kinds() -> list[str]:
    return sorted(NUDGE_KINDS - {NotificationKind.CHECK_IN})


def _rows_postgresql(ids: Sequence[int], now: datetime, today: date) -> list[Row]:
    """Every fact for the batch in one statement (the same facts `_rows_portably` reads in
    nine): one round trip and no query to compile, which was most of Python's share of a
    batch. Where the history is long it reads only its end, through an index: the latest
    completion and the last fortnight's on (membership, done_on), the last sessions and
    answers backwards on (mentee, status, held_at), rather than every row and a ranking."""
    with connection.cursor() as cursor:
        cursor.execute(
            _GATHER_SQL,
            {
                "ids": "{" + ",".join(str(int(pk)) for pk in ids) + "}",
                "zone": timezone.get_current_timezone_name(),
                "today": today,
                "fortnight_ago": today - timedelta(days=14),
                "ignored_from": now - timedelta(days=60),
                "ignored_before": now - IGNORED_AFTER,
                "kinds": "{" + ",".join(_ignored_kinds()) + "}",
                "recent": RECENT_SESSIONS,
            },
        )
        return cursor.fetchall()


def _local(column: str) -> str:
    return f"({column} AT TIME ZONE %(zone)s)::date"


_GATHER_SQL = f"""
WITH ignored AS (
    SELECT n.about_id, n.recipient_id, count(*) AS n
    FROM {Notification._meta.db_table} n
    WHERE n.about_id = ANY(%(ids)s::bigint[]) AND n.kind = ANY(%(kinds)s::text[])
      AND n.acted_at IS NULL
      AND n.created_at >= %(ignored_from)s AND n.created_at < %(ignored_before)s
    GROUP BY n.about_id, n.recipient_id
)
SELECT m.id, m.user_id, u.name, u.email, m.programme_id, p.slug, p.starts_on,
       phase.name, phase.exit_criterion, phase.expected_weeks, m.paused_until, m.last_active_at,
       {_local("m.joined_at")}, {_local("m.phase_started_at")},
       {_local("m.operationalised_at")}, {_local("m.last_active_at")},
       ARRAY(
           SELECT ARRAY[f.frequency, {_local("s.held_at")}::text]
           FROM {MentoringSession._meta.db_table} s
           JOIN {SessionFeedback._meta.db_table} f ON f.session_id = s.id
           WHERE s.mentee_id = m.id AND s.status = 'logged' AND f.frequency <> ''
           ORDER BY s.held_at DESC LIMIT 2
       ),
       pairing.id, pairing.mentor_user_id, pairing.paired_on, coalesce(pairing.cadence, ''),
       pairing.agreed_on,
       ARRAY(
           SELECT {_local("s.held_at")}
           FROM {MentoringSession._meta.db_table} s
           WHERE s.mentee_id = m.id AND s.status = 'logged'
           ORDER BY s.held_at DESC LIMIT %(recent)s
       ),
       (SELECT s.next_session_on
        FROM {MentoringSession._meta.db_table} s
        WHERE s.mentee_id = m.id AND s.status = 'logged'
        ORDER BY s.held_at DESC LIMIT 1),
       actions.open, actions.overdue, actions.oldest,
       (SELECT max(c.done_on) FROM {Completion._meta.db_table} c WHERE c.membership_id = m.id),
       (SELECT count(*) FROM {Completion._meta.db_table} c
        WHERE c.membership_id = m.id
          AND c.done_on > %(fortnight_ago)s AND c.done_on <= %(today)s),
       target.per_week,
       written.last, coalesce(written.ready, 0), written.since, coalesce(written.next, ''),
       coalesce(ignored.n, 0)
FROM {Membership._meta.db_table} m
-- Lookups of one row per mentee, through the index (OFFSET 0 keeps them so): left to
-- itself the planner read and hashed the whole of each table for a batch's 2,000 rows.
JOIN LATERAL (
    SELECT u.name, u.email FROM {User._meta.db_table} u WHERE u.id = m.user_id OFFSET 0
) u ON true
JOIN {Programme._meta.db_table} p ON p.id = m.programme_id
LEFT JOIN {Phase._meta.db_table} phase ON phase.id = m.current_phase_id
LEFT JOIN LATERAL (
    SELECT pr.id, mentor.user_id AS mentor_user_id,
           {_local("pr.started_at")} AS paired_on, agreed.cadence,
           {_local("agreed.answered_at")} AS agreed_on
    FROM {Pairing._meta.db_table} pr
    JOIN {Membership._meta.db_table} mentor ON mentor.id = pr.mentor_id AND mentor.is_active
    LEFT JOIN {CadenceAgreement._meta.db_table} agreed
        ON agreed.pairing_id = pr.id AND agreed.status = 'accepted'
    WHERE pr.mentee_id = m.id AND pr.ended_at IS NULL
    OFFSET 0
) pairing ON true
LEFT JOIN LATERAL (
    SELECT count(*) AS open,
           count(*) FILTER (WHERE a.due_on < %(today)s) AS overdue,
           min(a.due_on) FILTER (WHERE a.due_on < %(today)s) AS oldest
    FROM {AgreedAction._meta.db_table} a
    JOIN {MentoringSession._meta.db_table} s ON s.id = a.session_id AND s.status = 'logged'
    WHERE a.mentee_id = m.id AND a.done_at IS NULL
) actions ON true
LEFT JOIN LATERAL (
    SELECT t.per_week FROM {PersonalTarget._meta.db_table} t
    WHERE t.membership_id = m.id OFFSET 0
) target ON true
-- Where their sections stand, as the playbook services keep it on the playbook.
LEFT JOIN LATERAL (
    SELECT {_local("pb.written_at")} AS last, pb.sections_ready AS ready,
           {_local("pb.ready_since")} AS since, ts.title AS next
    FROM {Playbook._meta.db_table} pb
    LEFT JOIN {TemplateSection._meta.db_table} ts ON ts.id = pb.next_section_id
    WHERE pb.membership_id = m.id
    OFFSET 0
) written ON true
LEFT JOIN ignored ON ignored.about_id = m.id AND ignored.recipient_id = m.user_id
WHERE m.id = ANY(%(ids)s::bigint[])
"""  # nosec B608 # the models' own table names; every value is a parameter


def _rows_portably(ids: Sequence[int], now: datetime, today: date) -> list[Row]:
    """The same facts as `_rows_postgresql`, in nine set-based queries (SQLite, tests)."""
    fortnight_ago = today - timedelta(days=14)
    # The answers to "how often?" after their last sessions, newest first: one index lookup
    # per mentee, where a window over all their sessions' answers read them all.
    answered = (
        SessionFeedback.objects.filter(session__mentee=OuterRef("pk"), session__status="logged")
        .exclude(frequency="")
        .order_by("-session__held_at")
        .values("frequency")
    )
    answered_on = answered.values(on=_LocalDate("session__held_at"))
    members = (
        Membership.objects.filter(among("pk", ids))
        .order_by()
        .annotate(
            last_answer=Subquery(answered[:1]),
            answer_before=Subquery(answered[1:2]),
            last_answer_on=Subquery(answered_on[:1]),
            answer_before_on=Subquery(answered_on[1:2]),
            joined_on=_LocalDate("joined_at"),
            phase_started_on=_LocalDate("phase_started_at"),
            operationalised_on=_LocalDate("operationalised_at"),
            last_active_on=_LocalDate("last_active_at"),
        )
        .values_list(
            "pk",
            "user_id",
            "user__name",
            "user__email",
            "programme_id",
            "programme__slug",
            "programme__starts_on",
            "current_phase__name",
            "current_phase__exit_criterion",
            "current_phase__expected_weeks",
            "paused_until",
            "last_active_at",
            "joined_on",
            "phase_started_on",
            "operationalised_on",
            "last_active_on",
            "last_answer",
            "answer_before",
            "last_answer_on",
            "answer_before_on",
        )
    )
    pairings: dict[int, tuple[int, int, date]] = {
        mentee_id: (pk, mentor_user_id, started_on)
        for pk, mentee_id, mentor_user_id, started_on in Pairing.objects.active()
        .filter(among("mentee_id", ids), mentor__is_active=True)
        .order_by()
        .annotate(started_on=_LocalDate("started_at"))
        .values_list("pk", "mentee_id", "mentor__user_id", "started_on")
    }
    # (cadence, the day it was agreed)
    agreed: dict[int, tuple[str, date | None]] = {
        pairing_id: (cadence, agreed_on)
        for pairing_id, cadence, agreed_on in CadenceAgreement.objects.filter(
            among("pairing_id", [pk for pk, _, _ in pairings.values()]), status="accepted"
        )
        .order_by()
        .annotate(agreed_on=_LocalDate("answered_at"))
        .values_list("pairing_id", "cadence", "agreed_on")
    }
    # The last few logged sessions, newest first: (held on, the next date they set).
    sessions: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for mentee_id, held_on, next_on in (
        MentoringSession.objects.filter(among("mentee_id", ids), status="logged")
        .annotate(
            rn=Window(RowNumber(), partition_by=[F("mentee_id")], order_by=F("held_at").desc()),
            held_on=_LocalDate("held_at"),
        )
        .filter(rn__lte=RECENT_SESSIONS)
        .order_by("mentee_id", "-held_at")
        .values_list("mentee_id", "held_on", "next_session_on")
    ):
        sessions[mentee_id].append((held_on, next_on))
    # (open, overdue, the oldest overdue due date)
    actions: dict[int, tuple[int, int, date | None]] = {
        mentee_id: (open_, overdue, oldest)
        for mentee_id, open_, overdue, oldest in AgreedAction.objects.filter(
            among("mentee_id", ids), done_at__isnull=True, session__status="logged"
        )
        .order_by()
        .values("mentee_id")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            oldest_overdue=Min("due_on", filter=Q(due_on__lt=today)),
        )
        .values_list("mentee_id", "open", "overdue", "oldest_overdue")
    }
    # (the last day they did one, how many in the last fortnight)
    completions: dict[int, tuple[date, int]] = {
        membership_id: (last, recent)
        for membership_id, last, recent in Completion.objects.filter(among("membership_id", ids))
        .order_by()
        .values("membership_id")
        .annotate(
            last=Max("done_on"),
            recent=Count("id", filter=Q(done_on__gt=fortnight_ago, done_on__lte=today)),
        )
        .values_list("membership_id", "last", "recent")
    }
    targets = dict(
        PersonalTarget.objects.filter(among("membership_id", ids))
        .order_by()
        .values_list("membership_id", "per_week")
    )
    # (the last day a section was saved, how many wait for review, since when, what next)
    written: dict[int, tuple[date | None, int, date | None, str]] = {
        membership_id: (last, ready, ready_since, next_section or "")
        for membership_id, last, ready, ready_since, next_section in Playbook.objects.filter(
            among("membership_id", ids)
        )
        .annotate(last=_LocalDate("written_at"), since=_LocalDate("ready_since"))
        .values_list("membership_id", "last", "sections_ready", "since", "next_section__title")
    }
    # Nudges to the mentee since they last acted, not acted on: ignored ones. (Counted per
    # recipient and matched to the mentee below: comparing with the membership's user in
    # SQL joined every membership.)
    ignored_by: dict[tuple[int, int], int] = {
        (about_id, recipient_id): n
        for about_id, recipient_id, n in Notification.objects.filter(
            among("about_id", ids),
            kind__in=NUDGE_KINDS - {NotificationKind.CHECK_IN},
            acted_at__isnull=True,
            created_at__gte=now - timedelta(days=60),
            created_at__lt=now - IGNORED_AFTER,
        )
        .order_by()
        .values("about_id", "recipient_id")
        .annotate(n=Count("id"))
        .values_list("about_id", "recipient_id", "n")
    }

    no_actions: tuple[int, int, None] = (0, 0, None)
    no_completions: tuple[None, int] = (None, 0)
    no_sections: tuple[None, int, None, str] = (None, 0, None, "")
    rows = []
    for (
        pk,
        user_id,
        name,
        email,
        programme_id,
        slug,
        starts_on,
        phase_name,
        phase_criterion,
        expected_weeks,
        paused_until,
        last_active_at,
        joined_on,
        phase_started_on,
        operationalised_on,
        last_active_on,
        last_answer,
        answer_before,
        last_answer_on,
        answer_before_on,
    ) in members:
        pairing_id, mentor_user_id, paired_on = pairings.get(pk, (None, None, None))
        cadence, agreed_on = (
            agreed.get(pairing_id, ("", None)) if pairing_id is not None else ("", None)
        )
        held = sessions.get(pk, [])
        rows.append(
            (
                pk,
                user_id,
                name,
                email,
                programme_id,
                slug,
                starts_on,
                phase_name,
                phase_criterion,
                expected_weeks,
                paused_until,
                last_active_at,
                joined_on,
                phase_started_on,
                operationalised_on,
                last_active_on,
                [
                    (a, on)
                    for a, on in ((last_answer, last_answer_on), (answer_before, answer_before_on))
                    if a
                ],
                pairing_id,
                mentor_user_id,
                paired_on,
                cadence,
                agreed_on,
                [held_on for held_on, _ in held],
                held[0][1] if held else None,
                *actions.get(pk, no_actions),
                *completions.get(pk, no_completions),
                targets.get(pk),
                *written.get(pk, no_sections),
                ignored_by.get((pk, user_id), 0),
            )
        )
    return rows


def _day(value: date | str) -> date:
    # PostgreSQL sends the day of an answer inside a text array; SQLite, as a date.
    return date.fromisoformat(value) if isinstance(value, str) else value


def _latest(*days: date | None) -> date | None:
    return max((d for d in days if d is not None), default=None)
