"""A mentee's journey through the phases, as their roadmap page shows it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from programmes.models import (
    AssessmentKind,
    AssessmentResponse,
    ExitCriterion,
    Membership,
    Phase,
    PhaseProgress,
    PhaseStatus,
    PhaseTransition,
)
from programmes.services.progress import is_checked_automatically, workshops_attended


@dataclass
class Stop:
    """One phase on a mentee's roadmap, as their `PhaseProgress` row records it."""

    phase: Phase
    progress: PhaseProgress | None

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else PhaseStatus.NOT_STARTED

    @property
    def state(self) -> str:
        """ "done", "current" or "upcoming", for the roadmap's markers."""
        markers: dict[str, str] = {PhaseStatus.COMPLETE: "done", PhaseStatus.IN_PROGRESS: "current"}
        return markers.get(self.status, "upcoming")

    @property
    def entered_at(self) -> datetime | None:
        return self.progress.started_at if self.progress else None


@dataclass
class Journey:
    """A mentee's way through their programme's phases: the one roadmap that the home page
    and the journey page both show."""

    membership: Membership
    stops: list[Stop]
    moves: list[PhaseTransition] = field(default_factory=list)
    criterion_progress: str = ""
    automatic: bool = False

    @property
    def current(self) -> Stop | None:
        return next((s for s in self.stops if s.phase.pk == self.membership.current_phase_id), None)

    @property
    def next_stop(self) -> Stop | None:
        current = self.current
        if current is None:
            return None
        later = [s for s in self.stops if s.phase.position > current.phase.position]
        return later[0] if later else None

    @property
    def complete_count(self) -> int:
        return sum(1 for s in self.stops if s.status == PhaseStatus.COMPLETE)

    @property
    def progress_percent(self) -> int:
        return round(100 * self.complete_count / len(self.stops)) if self.stops else 0


def _criterion_progress(membership: Membership, phase: Phase | None) -> str:
    """Where the mentee stands against the current phase's exit criterion, in words."""
    if phase is None:
        return ""
    match phase.exit_criterion:
        case ExitCriterion.BASELINE_SUBMITTED:
            submitted = AssessmentResponse.objects.filter(
                membership=membership,
                kind=AssessmentKind.BASELINE,
                status=AssessmentResponse.Status.SUBMITTED,
            ).exists()
            return "Submitted." if submitted else "Not submitted yet."
        case ExitCriterion.WORKSHOPS_ATTENDED:
            return f"{workshops_attended(membership)} of {phase.exit_count} attended so far."
    return ""


def journeys(memberships: list[Membership]) -> dict[int, Journey]:
    """The roadmap of each mentee, by membership id: two queries, however many."""
    if not memberships:
        return {}
    phases: dict[int, list[Phase]] = defaultdict(list)
    for phase in Phase.objects.filter(
        programme_id__in={m.programme_id for m in memberships}
    ).order_by("position"):
        phases[phase.programme_id].append(phase)
    progress = {
        (row.membership_id, row.phase_id): row
        for row in PhaseProgress.objects.filter(membership__in=memberships)
    }
    return {
        m.pk: Journey(
            membership=m,
            stops=[Stop(phase, progress.get((m.pk, phase.pk))) for phase in phases[m.programme_id]],
        )
        for m in memberships
    }


def journey_for(membership: Membership) -> Journey:
    """One mentee's roadmap with its history of moves and where they stand against the
    current phase's exit criterion, for their journey page."""
    journey = journeys([membership])[membership.pk]
    journey.moves = list(
        PhaseTransition.objects.filter(membership=membership)
        .select_related("by")
        .order_by("-at", "-pk")
    )
    current = membership.current_phase
    journey.criterion_progress = _criterion_progress(membership, current)
    journey.automatic = bool(current and is_checked_automatically(current))
    return journey
