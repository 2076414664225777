"""The facts the pace rules need, for many mentees at once.

`gather(ids, now)` answers for a batch of mentee memberships with a fixed number of
set-based queries (eleven), whatever the batch's size: no query per person. It reads every
app's data (sessions, cadence, completions, sections, nudges), so it lives at the top of the
import graph.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Max, Min, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from mentoring.cadence import CADENCE_DAYS
from mentoring.models import AgreedAction, CadenceAgreement, MentoringSession, SessionFeedback
from mentoring.pace import PaceFacts
from playbooks.models import Completion, PersonalTarget, Section
from playbooks.models.playbook import SectionStatus
from programmes.models import NUDGE_KINDS, Membership, Notification, NotificationKind, Pairing

# A nudge not acted on after this long counts as ignored.
IGNORED_AFTER = timedelta(days=2)
RECENT_SESSIONS = 4


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


def _date(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value)
    return value


def gather(ids: Sequence[int], *, now: datetime) -> list[Subject]:
    """Facts for the mentee memberships `ids`."""
    if not ids:
        return []
    today = timezone.localdate(now)
    fortnight_ago = today - timedelta(days=14)
    members = list(
        Membership.objects.filter(pk__in=ids).values(
            "pk",
            "user_id",
            "user__name",
            "user__email",
            "programme_id",
            "programme__slug",
            "joined_at",
            "current_phase__name",
            "current_phase__exit_criterion",
            "current_phase__expected_weeks",
            "phase_started_at",
            "operationalised_at",
            "paused_until",
            "last_active_at",
        )
    )
    pairings = {
        row["mentee_id"]: row
        for row in Pairing.objects.active()
        .filter(mentee_id__in=ids, mentor__is_active=True)
        .values("pk", "mentee_id", "mentor__user_id", "started_at")
    }
    pairing_ids = [row["pk"] for row in pairings.values()]
    agreed = dict(
        CadenceAgreement.objects.filter(pairing_id__in=pairing_ids, status="accepted").values_list(
            "pairing_id", "cadence"
        )
    )
    sessions: dict[int, list[Any]] = defaultdict(list)
    for row in (
        MentoringSession.objects.filter(mentee_id__in=ids, status="logged")
        .annotate(
            rn=Window(RowNumber(), partition_by=[F("mentee_id")], order_by=F("held_at").desc())
        )
        .filter(rn__lte=RECENT_SESSIONS)
        .values("mentee_id", "held_at", "next_session_on")
        .order_by("mentee_id", "-held_at")
    ):
        sessions[row["mentee_id"]].append(row)
    answers: dict[int, list[str]] = defaultdict(list)
    for answer in (
        SessionFeedback.objects.filter(session__mentee_id__in=ids, session__status="logged")
        .exclude(frequency="")
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("session__mentee_id")],
                order_by=F("session__held_at").desc(),
            )
        )
        .filter(rn__lte=2)
        .values("session__mentee_id", "frequency")
        .order_by("session__mentee_id", "-session__held_at")
    ):
        answers[answer["session__mentee_id"]].append(answer["frequency"])
    actions = {
        row["mentee_id"]: row
        for row in AgreedAction.objects.filter(
            mentee_id__in=ids, done_at__isnull=True, session__status="logged"
        )
        .values("mentee_id")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=today)),
            oldest_overdue=Min("due_on", filter=Q(due_on__lt=today)),
        )
    }
    completions = {
        row["membership_id"]: row
        for row in Completion.objects.filter(membership_id__in=ids)
        .values("membership_id")
        .annotate(
            last=Max("done_on"),
            recent=Count("id", filter=Q(done_on__gt=fortnight_ago, done_on__lte=today)),
        )
    }
    targets = dict(
        PersonalTarget.objects.filter(membership_id__in=ids).values_list(
            "membership_id", "per_week"
        )
    )
    sections = {
        row["playbook__membership_id"]: row
        for row in Section.objects.filter(playbook__membership_id__in=ids)
        .values("playbook__membership_id")
        .annotate(
            last=Max("updated_at"),
            ready=Count("id", filter=Q(status=SectionStatus.READY)),
            ready_since=Min("status_changed_at", filter=Q(status=SectionStatus.READY)),
        )
    }
    next_sections = dict(
        Section.objects.filter(
            playbook__membership_id__in=ids,
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
        .values_list("playbook__membership_id", "template_section__title")
    )
    # Nudges to the mentee since they last acted, not acted on: ignored ones.
    ignored: dict[int, int] = defaultdict(int)
    for nudge in Notification.objects.filter(
        about_id__in=ids,
        recipient_id=F("about__user_id"),
        kind__in=NUDGE_KINDS - {NotificationKind.CHECK_IN},
        acted_at__isnull=True,
        created_at__gte=now - timedelta(days=60),
        created_at__lt=now - IGNORED_AFTER,
    ).values("about_id", "created_at"):
        ignored[nudge["about_id"]] += 1

    subjects = []
    for m in members:
        pk = m["pk"]
        pairing = pairings.get(pk)
        cadence = agreed.get(pairing["pk"], "") if pairing else ""
        interval = CADENCE_DAYS.get(cadence) if cadence else None
        held = sessions.get(pk, [])
        last_session = _date(held[0]["held_at"]) if held else None
        held_dates = [_date(s["held_at"]) for s in held]
        gaps = tuple((a - b).days for a, b in itertools.pairwise(held_dates) if a and b)
        acts: Mapping[str, Any] = actions.get(pk, {})
        done: Mapping[str, Any] = completions.get(pk, {})
        written: Mapping[str, Any] = sections.get(pk, {})
        last_active = max(
            (
                d
                for d in (
                    _date(m["last_active_at"]),
                    last_session,
                    done.get("last"),
                    _date(written.get("last")),
                )
                if d is not None
            ),
            default=None,
        )
        facts = PaceFacts(
            today=today,
            name=m["user__name"] or m["user__email"].split("@")[0],
            phase_name=m["current_phase__name"] or "",
            phase_criterion=m["current_phase__exit_criterion"] or "",
            phase_started_on=_date(m["phase_started_at"]),
            expected_weeks=m["current_phase__expected_weeks"],
            operationalised_on=_date(m["operationalised_at"]),
            paused_until=m["paused_until"],
            joined_on=_date(m["joined_at"]),
            has_mentor=pairing is not None,
            paired_on=_date(pairing["started_at"]) if pairing else None,
            cadence=cadence if interval else "",
            interval_days=interval,
            last_session_on=last_session,
            planned_session_on=held[0]["next_session_on"] if held else None,
            open_actions=acts.get("open", 0),
            overdue_actions=acts.get("overdue", 0),
            oldest_overdue_on=acts.get("oldest_overdue"),
            frequency_answers=tuple(answers.get(pk, ())),
            recent_gaps=gaps,
            target_per_week=targets.get(pk),
            done_last_fortnight=done.get("recent", 0),
            last_completion_on=done.get("last"),
            last_section_on=_date(written.get("last")),
            next_section=next_sections.get(pk, ""),
            sections_waiting_review=written.get("ready", 0),
            review_waiting_since=_date(written.get("ready_since")),
            last_active_on=last_active,
            ignored_nudges=ignored.get(pk, 0),
            variant=pk + today.isocalendar().week,
        )
        subjects.append(
            Subject(
                membership_id=pk,
                user_id=m["user_id"],
                programme_id=m["programme_id"],
                slug=m["programme__slug"],
                mentor_user_id=pairing["mentor__user_id"] if pairing else None,
                pairing_id=pairing["pk"] if pairing else None,
                last_active_at=m["last_active_at"],
                facts=facts,
            )
        )
    return subjects
