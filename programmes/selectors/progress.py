"""A mentee's journey through the phases, as their roadmap page shows it."""

from __future__ import annotations

from dataclasses import dataclass

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
    phase: Phase
    progress: PhaseProgress | None

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else PhaseStatus.NOT_STARTED


@dataclass
class Journey:
    membership: Membership
    stops: list[Stop]
    moves: list[PhaseTransition]
    criterion_progress: str
    automatic: bool

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


def journey_for(membership: Membership) -> Journey:
    phases = list(membership.programme.phases.order_by("position"))
    progress = {p.phase_id: p for p in PhaseProgress.objects.filter(membership=membership)}
    moves = list(
        PhaseTransition.objects.filter(membership=membership)
        .select_related("by")
        .order_by("-at", "-pk")
    )
    current = membership.current_phase
    return Journey(
        membership=membership,
        stops=[Stop(phase, progress.get(phase.pk)) for phase in phases],
        moves=moves,
        criterion_progress=_criterion_progress(membership, current),
        automatic=bool(current and is_checked_automatically(current)),
    )
