"""The facts the pace rules need, for many mentees at once.

`gather(ids, now)` answers for a batch of mentee memberships with a fixed number of
set-based queries (nine), whatever the batch's size: no query per person. It reads every
app's data (sessions, cadence, completions, sections, nudges), so it lives at the top of the
import graph.

The sweep runs it over every mentee who is due, so it is written for speed as well as
clarity: the batch's ids travel as one array on PostgreSQL (`among`), the database turns
times into local dates and does the counting, and each query returns plain tuples.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone

from mentoring.cadence import CADENCE_DAYS
from mentoring.models import AgreedAction, CadenceAgreement, MentoringSession, SessionFeedback
from mentoring.pace import PaceFacts
from playbooks.models import Completion, PersonalTarget, Section
from playbooks.models.playbook import SectionStatus
from programmes.lookups import among
from programmes.models import NUDGE_KINDS, Membership, Notification, NotificationKind, Pairing

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["Subject", "among", "gather"]

# A nudge not acted on after this long counts as ignored.
IGNORED_AFTER = timedelta(days=2)
RECENT_SESSIONS = 4


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
    fortnight_ago = today - timedelta(days=14)

    # The answers to "how often?" after their last sessions, newest first: one index lookup
    # per mentee, where a window over all their sessions' answers read them all.
    answered = (
        SessionFeedback.objects.filter(session__mentee=OuterRef("pk"), session__status="logged")
        .exclude(frequency="")
        .order_by("-session__held_at")
        .values("frequency")
    )
    members = (
        Membership.objects.filter(among("pk", ids))
        .order_by()
        .annotate(
            last_answer=Subquery(answered[:1]),
            answer_before=Subquery(answered[1:2]),
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
    agreed = dict(
        CadenceAgreement.objects.filter(
            among("pairing_id", [pk for pk, _, _ in pairings.values()]), status="accepted"
        )
        .order_by()
        .values_list("pairing_id", "cadence")
    )
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
    # (the last day a section was saved, how many wait for review, since when)
    written: dict[int, tuple[date | None, int, date | None]] = {
        membership_id: (last, ready, ready_since)
        for membership_id, last, ready, ready_since in Section.objects.filter(
            among("playbook__membership_id", ids)
        )
        .order_by()
        .values("playbook__membership_id")
        .annotate(
            last=_LocalDate(Max("updated_at")),
            ready=Count("id", filter=Q(status=SectionStatus.READY)),
            ready_since=_LocalDate(Min("status_changed_at", filter=Q(status=SectionStatus.READY))),
        )
        .values_list("playbook__membership_id", "last", "ready", "ready_since")
    }
    next_sections = dict(
        Section.objects.filter(
            among("playbook__membership_id", ids),
            template_section__archived_at__isnull=True,
            status__in=[SectionStatus.NOT_STARTED, SectionStatus.DRAFTING],
        )
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("playbook__membership_id")],
                order_by=[F("template_section__position").asc(), F("pk").asc()],
            )
        )
        .filter(rn=1)
        .order_by()
        .values_list("playbook__membership_id", "template_section__title")
    )
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

    week = today.isocalendar().week
    no_actions: tuple[int, int, None] = (0, 0, None)
    no_completions: tuple[None, int] = (None, 0)
    no_sections: tuple[None, int, None] = (None, 0, None)
    subjects = []
    for (
        pk,
        user_id,
        name,
        email,
        programme_id,
        slug,
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
    ) in members:
        pairing = pairings.get(pk)
        cadence = agreed.get(pairing[0], "") if pairing else ""
        interval = CADENCE_DAYS.get(cadence) if cadence else None
        held = sessions.get(pk, ())
        held_dates = [held_on for held_on, _ in held]
        last_session = held_dates[0] if held_dates else None
        open_actions, overdue_actions, oldest_overdue = actions.get(pk, no_actions)
        last_completion, done_last_fortnight = completions.get(pk, no_completions)
        last_section, ready, ready_since = written.get(pk, no_sections)
        facts = PaceFacts(
            today=today,
            name=name or email.split("@")[0],
            phase_name=phase_name or "",
            phase_criterion=phase_criterion or "",
            phase_started_on=phase_started_on,
            expected_weeks=expected_weeks,
            operationalised_on=operationalised_on,
            paused_until=paused_until,
            joined_on=joined_on,
            has_mentor=pairing is not None,
            paired_on=pairing[2] if pairing else None,
            cadence=cadence if interval else "",
            interval_days=interval,
            last_session_on=last_session,
            planned_session_on=held[0][1] if held else None,
            open_actions=open_actions,
            overdue_actions=overdue_actions,
            oldest_overdue_on=oldest_overdue,
            frequency_answers=tuple(a for a in (last_answer, answer_before) if a),
            recent_gaps=tuple((a - b).days for a, b in itertools.pairwise(held_dates)),
            target_per_week=targets.get(pk),
            done_last_fortnight=done_last_fortnight,
            last_completion_on=last_completion,
            last_section_on=last_section,
            next_section=next_sections.get(pk, ""),
            sections_waiting_review=ready,
            review_waiting_since=ready_since,
            last_active_on=_latest(last_active_on, last_session, last_completion, last_section),
            ignored_nudges=ignored_by.get((pk, user_id), 0),
            variant=pk + week,
        )
        subjects.append(
            Subject(
                membership_id=pk,
                user_id=user_id,
                programme_id=programme_id,
                slug=slug,
                mentor_user_id=pairing[1] if pairing else None,
                pairing_id=pairing[0] if pairing else None,
                last_active_at=last_active_at,
                facts=facts,
            )
        )
    return subjects


def _latest(*days: date | None) -> date | None:
    return max((d for d in days if d is not None), default=None)
