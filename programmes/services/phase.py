from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max

from programmes.models import Membership, Phase, PhaseProgress, Programme, Role
from programmes.ordering import swap_with_neighbour
from programmes.policy import require_lead
from programmes.services.programme import SetupError


@transaction.atomic
def add_phase(*, programme: Programme, by, name: str, description: str = "", **fields) -> Phase:
    """Add a phase at the end. Mentees already under way see it as not started."""
    require_lead(by, programme)
    last = programme.phases.aggregate(last=Max("position"))["last"] or 0
    phase = Phase.objects.create(
        programme=programme, position=last + 1, name=name, description=description, **fields
    )
    mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE)
    PhaseProgress.objects.bulk_create(
        PhaseProgress(membership=membership, phase=phase) for membership in mentees
    )
    return phase


@transaction.atomic
def move_phase(*, phase: Phase, by, up: bool) -> Phase:
    """Swap a phase with its neighbour. Nobody changes phase; only the order does."""
    require_lead(by, phase.programme_id)
    if not swap_with_neighbour(Phase.objects.filter(programme=phase.programme_id), phase, up=up):
        raise SetupError("That phase is already at the " + ("top." if up else "bottom."))
    return phase


@transaction.atomic
def remove_phase(*, phase: Phase, by) -> None:
    """Remove a phase nobody is in. Past moves through it keep its name in the history."""
    require_lead(by, phase.programme_id)
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    in_it = Membership.objects.filter(current_phase=phase).count()
    if in_it:
        raise SetupError(
            f"{in_it} {'person is' if in_it == 1 else 'people are'} in {phase.name} now. "
            "Move them on (or back) before removing it."
        )
    programme = phase.programme
    phase.delete()
    Phase.objects.filter(programme=programme, position__gt=phase.position).update(
        position=F("position") - 1
    )
