"""The dashboard's monthly tallies of what people answered (`mentoring.models.tally`), kept
in the same transaction as the answers.

A tally is never adjusted by a difference: a person's rows are counted again from their
sessions and written whole (a mentee's feedback, and the self-checks made in their sessions,
after any of their sessions is logged or edited, or they answer), so a missed
or repeated call cannot leave a count off by one. `rebuild` counts a whole programme
again, for data written in bulk (the demo, the bench) and the `rebuild_tallies` command.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mentoring.models import (
    FeedbackMonth,
    GuidelineCheck,
    MentoringSession,
    SelfCheckMonth,
    SessionStatus,
)
from programmes.models import Membership, Programme

FREQUENCIES = ("more", "right", "less")


def month_of(moment: datetime) -> date:
    """The first day of the calendar month `moment` falls in, in the site's time zone."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date().replace(day=1)


def feedback_months(sessions: Iterable[tuple], model: type = FeedbackMonth) -> list:
    """(programme, mentee, mentor, held_at, rating, good way to meet, frequency) of logged
    sessions with feedback, added up per mentee, mentor and month, as unsaved `model`
    rows (the migration that first counted them passes its own)."""
    counted: dict[tuple[int, int, date], Any] = {}
    for programme_id, mentee_id, mentor_id, held_at, rating, good, frequency in sessions:
        pulsed = good is not None or bool(frequency)
        if rating is None and not pulsed:
            continue
        key = (mentee_id, mentor_id, month_of(held_at))
        row = counted.get(key)
        if row is None:
            row = counted[key] = model(
                programme_id=programme_id, mentee_id=mentee_id, mentor_id=mentor_id, month=key[2]
            )
        if rating is not None:
            row.ratings += 1
            row.rating_sum += rating
            setattr(row, f"r{rating}", getattr(row, f"r{rating}") + 1)
        if pulsed:
            row.pulses += 1
        if good is True:
            row.good_yes += 1
        elif good is False:
            row.good_no += 1
        if frequency in FREQUENCIES:
            setattr(row, frequency, getattr(row, frequency) + 1)
    return list(counted.values())


def check_months(checks: Iterable[tuple], model: type = SelfCheckMonth) -> list:
    """(programme, mentee, mentor, guideline, answer, held_at) of answered self-checks in
    logged sessions, counted per mentee, mentor, guideline, answer and month, as unsaved
    `model` rows."""
    counted: dict[tuple[int, int, int, str, date], Any] = {}
    for programme_id, mentee_id, mentor_id, guideline_id, answer, held_at in checks:
        key = (mentee_id, mentor_id, guideline_id, answer, month_of(held_at))
        row = counted.get(key)
        if row is None:
            row = counted[key] = model(
                programme_id=programme_id,
                mentee_id=mentee_id,
                mentor_id=mentor_id,
                guideline_id=guideline_id,
                answer=answer,
                month=key[4],
                checks=0,
            )
        row.checks += 1
    return list(counted.values())


def feedback_rows(sessions: QuerySet) -> Iterable[tuple]:
    """What `feedback_months` counts, of the logged ones of `sessions` that have feedback."""
    return (
        sessions.filter(status=SessionStatus.LOGGED, feedback__isnull=False)
        .order_by()
        .values_list(
            "programme_id",
            "mentee_id",
            "mentor_id",
            "held_at",
            "feedback__rating",
            "feedback__good_way_to_meet",
            "feedback__frequency",
        )
        .iterator(chunk_size=5000)
    )


def check_rows(checks: QuerySet) -> Iterable[tuple]:
    """What `check_months` counts, of the answered ones of `checks` in logged sessions."""
    return (
        checks.filter(session__status=SessionStatus.LOGGED)
        .exclude(answer="")
        .order_by()
        .values_list(
            "session__programme_id",
            "session__mentee_id",
            "session__mentor_id",
            "guideline_id",
            "answer",
            "session__held_at",
        )
        .iterator(chunk_size=5000)
    )


@transaction.atomic
def refresh(session: MentoringSession, *, checks: bool = True) -> None:
    """Count again the feedback of the session's mentee and, with `checks`, the self-checks
    made in their sessions. Their membership is locked first (against other writers, not
    against rows that merely point at it), so two saves at once cannot write the same
    person's rows from different counts."""
    mentee = session.mentee_id
    list(
        Membership.objects.select_for_update(no_key=True)
        .filter(pk=mentee)
        .values_list("pk", flat=True)
    )
    FeedbackMonth.objects.filter(mentee_id=mentee).delete()
    FeedbackMonth.objects.bulk_create(
        feedback_months(feedback_rows(MentoringSession.objects.filter(mentee_id=mentee)))
    )
    if checks:
        SelfCheckMonth.objects.filter(mentee_id=mentee).delete()
        SelfCheckMonth.objects.bulk_create(
            check_months(check_rows(GuidelineCheck.objects.filter(session__mentee_id=mentee)))
        )


@transaction.atomic
def rebuild(programme: Programme) -> None:
    """Count the whole programme's tallies again."""
    FeedbackMonth.objects.filter(programme=programme).delete()
    FeedbackMonth.objects.bulk_create(
        feedback_months(feedback_rows(MentoringSession.objects.filter(programme=programme))),
        batch_size=2000,
    )
    SelfCheckMonth.objects.filter(programme=programme).delete()
    SelfCheckMonth.objects.bulk_create(
        check_months(check_rows(GuidelineCheck.objects.filter(session__programme=programme))),
        batch_size=2000,
    )
