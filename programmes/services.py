from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .blueprints import SOCIAL_ADOPTION_PHASES
from .models import Membership, Phase, PhaseTransition, Programme, Role


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "programme"
    slug, n = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_programme(
    *,
    name: str,
    by,
    description: str = "",
    from_template: bool = True,
    status: str = Programme.Status.DRAFT,
    starts_on=None,
    ends_on=None,
) -> Programme:
    """Create a programme led by `by`, with the Social Adoption phases unless blank."""
    programme = Programme.objects.create(
        name=name,
        slug=_unique_slug(name),
        description=description,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if from_template:
        Phase.objects.bulk_create(
            Phase(programme=programme, position=i, name=phase_name, description=text)
            for i, (phase_name, text) in enumerate(SOCIAL_ADOPTION_PHASES, start=1)
        )
    Membership.objects.create(programme=programme, user=by, role=Role.LEAD)
    return programme


@transaction.atomic
def enrol(*, programme: Programme, user, role: str, by, at: datetime | None = None) -> Membership:
    """Add a person to a programme in a role. A mentee starts in the first phase."""
    at = at or timezone.now()
    membership, created = Membership.objects.get_or_create(
        programme=programme, user=user, role=role, defaults={"joined_at": at}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    if created and role == Role.MENTEE:
        first = programme.phases.order_by("position").first()
        if first is not None:
            _move(membership, to_phase=first, by=by, note="Joined the programme", at=at)
    return membership


def _move(membership: Membership, *, to_phase: Phase | None, by, note: str, at: datetime) -> None:
    PhaseTransition.objects.create(
        membership=membership,
        from_phase=membership.current_phase,
        to_phase=to_phase,
        by=by,
        note=note,
        at=at,
    )
    membership.current_phase = to_phase
    membership.phase_started_at = at if to_phase else None
    membership.operationalised_at = None if to_phase else at
    membership.save(update_fields=["current_phase", "phase_started_at", "operationalised_at"])


@transaction.atomic
def advance_phase(
    *, membership: Membership, by, note: str = "", at: datetime | None = None
) -> Membership:
    """Move a mentee into their next phase; past the last one they are operationalised."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role != Role.MENTEE:
        raise ValueError("Only mentees move through phases.")
    if membership.operationalised_at is not None:
        raise ValueError("This person is already operationalised.")
    phases = membership.programme.phases.order_by("position")
    if membership.current_phase is None:
        next_phase = phases.first()
    else:
        next_phase = phases.filter(position__gt=membership.current_phase.position).first()
    _move(membership, to_phase=next_phase, by=by, note=note, at=at or timezone.now())
    return membership
