from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F, Max

from programmes.models import Membership, Phase, PhaseProgress, Programme, Role
from programmes.ordering import swap_with_neighbour
from programmes.policy import Actor, require_lead
from programmes.services.programme import SetupError

# The titles of a programme's playbook sections, in order: the playbooks app, above this
# one in the import graph, registers how to read them (see playbooks/apps.py).
_section_titles: list[Callable[[int], list[str]]] = []


def register_section_titles(read: Callable[[int], list[str]]) -> None:
    _section_titles[:] = [read]


def spell_sections(programme_id: int, titles: list[str]) -> tuple[list[str], list[str], list[str]]:
    """`titles` as the programme's playbook spells them (matched regardless of case), those
    it has no section for, and all its sections' titles. With no playbook app to ask, every
    title is taken as it is."""
    if not _section_titles:
        return titles, [], []
    known = _section_titles[0](programme_id)
    by_key = {t.casefold(): t for t in known}
    spelled = [by_key.get(t.casefold(), t) for t in titles]
    return spelled, [t for t in titles if t.casefold() not in by_key], known


def name_taken(programme_id: int, name: str, *, besides: int | None = None) -> str:
    """Why `name` cannot name another phase of this programme (or ""): two phases of one
    name could not be told apart in filters, lists or pace reasons."""
    others = Phase.objects.filter(programme_id=programme_id, name__iexact=name.strip())
    if besides is not None:
        others = others.exclude(pk=besides)
    if others.exists():
        return f"This programme has a phase called {name.strip()} already."
    return ""


@transaction.atomic
def add_phase(
    *, programme: Programme, by: Actor, name: str, description: str = "", **fields: Any
) -> Phase:
    """Add a phase at the end. Mentees already under way see it as not started."""
    require_lead(by, programme)
    if taken := name_taken(programme.pk, name):
        raise SetupError(taken)
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
def move_phase(*, phase: Phase, by: Actor, up: bool) -> Phase:
    """Swap a phase with its neighbour. Nobody changes phase; only the order does."""
    require_lead(by, phase.programme_id)
    if not swap_with_neighbour(Phase.objects.filter(programme=phase.programme_id), phase, up=up):
        raise SetupError("That phase is already at the " + ("top." if up else "bottom."))
    return phase


@transaction.atomic
def remove_phase(*, phase: Phase, by: Actor) -> None:
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


@transaction.atomic
def change_phase(*, phase: Phase, by: Actor, **fields: Any) -> Phase:
    """Rename a phase, describe it, date it or change what completes it. Nobody moves: a
    mentee already in it moves on when its (new) criterion is next checked."""
    require_lead(by, phase.programme_id)
    if "name" in fields and (
        taken := name_taken(phase.programme_id, fields["name"], besides=phase.pk)
    ):
        raise SetupError(taken)
    for name, value in fields.items():
        setattr(phase, name, value)
    phase.save(update_fields=list(fields))
    return phase
