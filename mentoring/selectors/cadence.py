"""A pair's rhythm: the cadence they agreed, and when their next session is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from mentoring.cadence import CADENCE_DAYS, days_late, next_session_on
from mentoring.models import (
    Cadence,
    CadenceAgreement,
    MentoringSession,
    SessionFeedback,
    SessionStatus,
)
from mentoring.pace import cadence_suggestion, since_agreed
from programmes.models import Pairing


def agreed_cadence(pairing: Pairing) -> CadenceAgreement | None:
    return CadenceAgreement.objects.filter(
        pairing=pairing, status=CadenceAgreement.Status.ACCEPTED
    ).first()


@dataclass(frozen=True)
class NextSession:
    """When a pair meets next (`on`, by `mentoring.cadence.next_session_on`), and the facts
    it was worked out from."""

    on: date | None
    last_held: datetime | None
    latest_session_id: int | None
    cadence: str | None
    today: date

    @property
    def days_late(self) -> int:
        return days_late(self.on, self.today)


def with_next_session(pairings: QuerySet[Pairing]) -> QuerySet[Pairing]:
    """`pairings` with what `next_session_of` needs, as subqueries on each pair's latest
    logged session (on the (pairing, status, held_at) index) and agreed cadence: a page that
    lists pairings gets their next sessions in the same query."""
    latest = MentoringSession.objects.filter(
        pairing_id=OuterRef("pk"), status=SessionStatus.LOGGED
    ).order_by("-held_at", "-pk")
    agreement = CadenceAgreement.objects.filter(
        pairing_id=OuterRef("pk"), status=CadenceAgreement.Status.ACCEPTED
    )
    return pairings.annotate(
        latest_id=Subquery(latest.values("pk")[:1]),
        last_held=Subquery(latest.values("held_at")[:1]),
        agreed_on=Subquery(latest.values("next_session_on")[:1]),
        agreed_cadence=Subquery(agreement.values("cadence")[:1]),
        programme_starts_on=F("programme__starts_on"),
    )


def next_session_of(pairing: Pairing, today: date) -> NextSession:
    """The next session of a pairing from `with_next_session`."""
    return _next_session(
        pairing.started_at,
        pairing.latest_id,  # type: ignore[attr-defined]
        pairing.last_held,  # type: ignore[attr-defined]
        pairing.agreed_on,  # type: ignore[attr-defined]
        pairing.agreed_cadence,  # type: ignore[attr-defined]
        today,
        pairing.programme_starts_on,  # type: ignore[attr-defined]
    )


def _next_session(
    started_at: datetime,
    latest_id: int | None,
    last_held: datetime | None,
    agreed_on: date | None,
    cadence: str | None,
    today: date,
    starts_on: date | None = None,
) -> NextSession:
    on = next_session_on(
        agreed=agreed_on,
        last_held=timezone.localdate(last_held) if last_held else None,
        cadence=cadence,
        since=timezone.localdate(started_at),
        today=today,
        starts_on=starts_on,
    )
    return NextSession(on, last_held, latest_id, cadence, today)


def next_sessions(
    pairings: Iterable[Pairing], *, today: date | None = None
) -> dict[int, NextSession]:
    """The next session of each pairing, by its id: one query, however many pairings.

    Every page, email and calendar that shows a pair's next session takes it from here
    (or, listing the pairings themselves, from `with_next_session`)."""
    today = today or timezone.localdate()
    ids = [pairing.pk for pairing in pairings]
    if not ids:
        return {}
    rows = with_next_session(Pairing.objects.filter(pk__in=ids)).only("pk", "started_at")
    return {pairing.pk: next_session_of(pairing, today) for pairing in rows}


def next_session_after(session: MentoringSession) -> NextSession | None:
    """For a pair's latest logged session (of a pairing that goes on), the pair's next
    session; for an earlier one, None: its own agreed date is history."""
    if session.pairing.ended_at is not None:
        return None
    found = next_sessions([session.pairing]).get(session.pairing_id)
    return found if found and found.latest_session_id == session.pk else None


@dataclass(frozen=True)
class RhythmSuggestion:
    cadence: str
    label: str
    why: str


def rhythm_suggestion(
    pairing: Pairing, agreed: str, agreed_at: datetime | None = None
) -> RhythmSuggestion | None:
    """The rhythm the pace rules suggest this pair agree instead (from the mentee's last two
    "how often?" answers and their real gaps between sessions, since they agreed `agreed` at
    `agreed_at`), or None. Two queries."""
    answered = [
        (frequency, timezone.localdate(at))
        for frequency, at in SessionFeedback.objects.filter(
            session__pairing=pairing, session__status="logged"
        )
        .exclude(frequency="")
        .order_by("-session__held_at")
        .values_list("frequency", "session__held_at")[:2]
    ]
    held = [
        timezone.localdate(at)
        for at in MentoringSession.objects.filter(pairing=pairing, status="logged")
        .order_by("-held_at")
        .values_list("held_at", flat=True)[:4]
    ]
    answers, gaps = since_agreed(
        timezone.localdate(agreed_at) if agreed_at else None, answered, held
    )
    found = cadence_suggestion(
        cadence=agreed, interval_days=CADENCE_DAYS.get(agreed), answers=answers, gaps=gaps
    )
    if found is None:
        return None
    return RhythmSuggestion(found[0], Cadence(found[0]).label, found[1])
