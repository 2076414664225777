"""Integration: leads keep the business's strategy; mentees map their themes onto it; a lead
signs each mentee off."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from playbooks.models import BusinessStrategy, SignOff, StrategyPillar, ThemeMapping
from programmes.errors import Invalid
from programmes.models import AuditAction, Membership, NotificationKind, Programme, Role
from programmes.ordering import swap_with_neighbour
from programmes.policy import (
    Actor,
    actor,
    can_sign_off,
    is_own,
    mentors_of,
    require,
    require_lead,
)
from programmes.services import audit
from programmes.services.notification import notify
from programmes.services.progress import ProgressError, advance_phase


class IntegrationError(Invalid):
    """A change that cannot be made; the message says why, for the person who tried."""


def _require_lead(programme: Programme, by: Actor) -> None:
    require_lead(by, programme, "Only a lead of this programme keeps the business strategy.")


@transaction.atomic
def save_strategy(*, programme: Programme, by: Actor, **fields: Any) -> BusinessStrategy:
    """Write the business strategy's summary, audiences, platforms and key messages."""
    _require_lead(programme, by)
    strategy, _ = BusinessStrategy.objects.update_or_create(
        programme=programme, defaults=fields | {"updated_at": timezone.now(), "updated_by": by}
    )
    return strategy


@transaction.atomic
def add_pillar(
    *, programme: Programme, by: Actor, name: str, description: str = ""
) -> StrategyPillar:
    _require_lead(programme, by)
    last = programme.strategy_pillars.aggregate(last=Max("position"))["last"] or 0
    return StrategyPillar.objects.create(
        programme=programme, position=last + 1, name=name.strip(), description=description
    )


@transaction.atomic
def update_pillar(
    *, pillar: StrategyPillar, by: Actor, name: str, description: str
) -> StrategyPillar:
    _require_lead(pillar.programme, by)
    pillar.name, pillar.description = name.strip(), description
    pillar.save(update_fields=["name", "description"])
    return pillar


@transaction.atomic
def remove_pillar(*, pillar: StrategyPillar, by: Actor) -> None:
    """Remove a pillar. Themes mapped onto it are kept, waiting for a new place."""
    _require_lead(pillar.programme, by)
    pillar.delete()


@transaction.atomic
def move_pillar(*, pillar: StrategyPillar, by: Actor, up: bool) -> StrategyPillar:
    _require_lead(pillar.programme, by)
    siblings = StrategyPillar.objects.filter(programme=pillar.programme_id)
    if not swap_with_neighbour(siblings, pillar, up=up):
        raise IntegrationError("That pillar is already at the " + ("top." if up else "bottom."))
    return pillar


@transaction.atomic
def copy_strategy(*, source: Programme, programme: Programme, by: Actor) -> None:
    """The source programme's business strategy and pillars, for its next cohort."""
    _require_lead(programme, by)
    strategy = BusinessStrategy.objects.filter(programme=source).first()
    if strategy is not None:
        BusinessStrategy.objects.create(
            programme=programme,
            summary=strategy.summary,
            audiences=strategy.audiences,
            platforms=strategy.platforms,
            key_messages=strategy.key_messages,
        )
    StrategyPillar.objects.bulk_create(
        StrategyPillar(
            programme=programme, position=p.position, name=p.name, description=p.description
        )
        for p in source.strategy_pillars.order_by("position")
    )


def _require_own_mentee(membership: Membership, by: Actor) -> None:
    require(
        membership.role == Role.MENTEE and is_own(by, membership) and membership.is_active,
        "Only the mentee maps their own themes.",
    )


@transaction.atomic
def map_theme(
    *,
    membership: Membership,
    by: Actor,
    theme: str,
    pillar: StrategyPillar | None,
    how_it_fits: str = "",
) -> ThemeMapping:
    """Place one of the mentee's themes on a pillar (or on none yet). Mapping a theme again
    moves it."""
    _require_own_mentee(membership, by)
    if pillar is not None and pillar.programme_id != membership.programme_id:
        raise IntegrationError("That pillar belongs to another programme.")
    mapping, _ = ThemeMapping.objects.update_or_create(
        membership=membership,
        theme=theme.strip(),
        defaults={"pillar": pillar, "how_it_fits": how_it_fits, "updated_at": timezone.now()},
    )
    return mapping


@transaction.atomic
def unmap_theme(*, mapping: ThemeMapping, by: Actor) -> None:
    _require_own_mentee(mapping.membership, by)
    mapping.delete()


@transaction.atomic
def sign_off(*, membership: Membership, by: Actor, note: str = "") -> SignOff:
    """A lead signs a mentee off their sign-off phase, which moves them on (past the last
    phase, into business as usual). The mentee and their mentor are told of the sign-off
    (once: not of the move as well); the programme's other leads, of the move."""
    require_lead(by, membership.programme_id, "Only a lead of this programme signs people off.")
    phase = membership.current_phase
    if phase is None or not can_sign_off(by, membership):
        raise IntegrationError(
            f"{membership.user.display_name} is not in a phase that a lead signs off."
        )
    try:
        moved = advance_phase(
            membership=membership,
            by=by,
            note=note.strip() or f"Signed off: {phase.name}",
            from_phase_id=phase.pk,
            tell_the_pair=False,
        )
    except ProgressError as error:
        raise IntegrationError(str(error)) from error
    signed = SignOff.objects.create(
        membership=membership, phase=phase, phase_name=phase.name, by=actor(by), note=note.strip()
    )
    _tell_signed_off(signed, moved, by=by)
    audit.record(
        AuditAction.SIGNED_OFF,
        programme=membership.programme_id,
        by=by,
        summary=f"Signed {membership.user.display_name} off {phase.name}",
    )
    return signed


def _tell_signed_off(signed: SignOff, mentee: Membership, *, by: Actor) -> None:
    """The facts only: who signed off which phase, and where the mentee is now. The lead's
    note is on the journey page."""
    programme, name = mentee.programme, mentee.user.display_name
    where = mentee.current_phase.name if mentee.current_phase else "business as usual"
    body = f"Signed off by {by.display_name}; now in {where}."

    def tell(recipients: list[int], title: str, reason: str, link: str) -> None:
        notify(
            recipients,
            kind=NotificationKind.SIGNED_OFF,
            key=signed.pk,
            title=title,
            body=body,
            reason=reason,
            link=link,
            programme=programme,
            about=mentee,
            exclude=by,
        )

    tell(
        [mentee.user_id],
        f"You are signed off: {signed.phase_name}",
        f"It is your journey in {programme.name}.",
        reverse("programmes:my_journey", kwargs={"slug": programme.slug}),
    )
    tell(
        [mentor.user_id for mentor in mentors_of(mentee)],
        f"{name} is signed off: {signed.phase_name}",
        f"You mentor {name}.",
        reverse("programmes:member_journey", kwargs={"slug": programme.slug, "member": mentee.pk}),
    )
