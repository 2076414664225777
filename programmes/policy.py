"""Who may do what: the one place that answers it.

Reads are scoped by each model's `visible_to(user)`: what a person may not see does not exist
for them (a 404). This module answers the other question, whether a person may make a
change, for every service: each service that changes something takes the acting person as
`by` and checks it here, through one of the `require_*` functions, which raise `NotAllowed`.

The facts underneath are few, and each is answered once, here:
- who leads a programme (`leads`);
- who mentors a mentee now (`mentors`, `mentors_of`), from the pairings that sit beside the
  memberships at the bottom of the import graph;
- whose own a membership is (`is_own`).

The product also acts on its own: automatic phase moves, reactions to other apps' signals,
background tasks. Those pass `by=SYSTEM`, which every rule lets through and which history
records as the system (no person: `actor(SYSTEM)` is None).
"""

from __future__ import annotations

from typing import Any, Final

from django.db.models import QuerySet

from programmes.errors import NotAllowed
from programmes.models import ExitCriterion, Membership, Pairing, Programme, Role


class SystemActor:
    """The product itself, acting where no person did (a criterion met, a signal, a task)."""

    pk = None
    is_authenticated = False
    display_name = "the system"

    def __repr__(self) -> str:
        return "SYSTEM"

    __str__ = __repr__


SYSTEM: Final = SystemActor()

# Whoever makes a change: a person (the user model, which lives above this module in the
# import graph, hence Any) or SYSTEM.
type Actor = Any


def is_system(by: Actor) -> bool:
    return by is SYSTEM


def actor(by: Actor) -> Any:
    """The person to record in history for `by`: None when the system acted."""
    return None if by is SYSTEM else by


# --- Facts -----------------------------------------------------------------------------------


def leads(user: Actor, programme: Programme | int) -> bool:
    """Whether `user` is an active lead of the programme (a Programme or its id)."""
    if not getattr(user, "is_authenticated", False):
        return False
    programme_id = programme if isinstance(programme, int) else programme.pk
    return Membership.objects.filter(
        programme_id=programme_id, user_id=user.pk, role=Role.LEAD, is_active=True
    ).exists()


def mentors_of(mentee: Membership) -> QuerySet[Membership]:
    """The mentee's current mentor (a queryset: empty while they have none)."""
    return Membership.objects.filter(
        role=Role.MENTOR,
        is_active=True,
        mentor_pairings__mentee=mentee,
        mentor_pairings__ended_at__isnull=True,
    ).select_related("user")


def mentors(user: Actor, mentee: Membership) -> bool:
    """Whether `user` is the mentee's mentor now."""
    if not getattr(user, "is_authenticated", False):
        return False
    return mentors_of(mentee).filter(user_id=user.pk).exists()


def is_own(user: Actor, membership: Membership) -> bool:
    """Whether the membership is the person's own."""
    return getattr(user, "is_authenticated", False) and membership.user_id == user.pk


def side_of(user: Actor, pairing: Pairing) -> str | None:
    """Which side of a pairing the person is on, "mentor" or "mentee", or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if pairing.mentor.user_id == user.pk:
        return Role.MENTOR
    if pairing.mentee.user_id == user.pk:
        return Role.MENTEE
    return None


# --- Rules ------------------------------------------------------------------------------------


def can_advance(user: Actor, mentee: Membership) -> bool:
    """A lead, or the mentee's own mentor, may move a mentee on; only a lead moves anyone out
    of a phase that a lead signs off."""
    if is_system(user) or leads(user, mentee.programme_id):
        return True
    phase = mentee.current_phase
    if phase is not None and phase.exit_criterion == ExitCriterion.LEAD_SIGN_OFF:
        return False
    return mentors(user, mentee)


def can_move_back(user: Actor, mentee: Membership) -> bool:
    return is_system(user) or leads(user, mentee.programme_id)


def can_sign_off(user: Actor, mentee: Membership) -> bool:
    """A lead signs a mentee off into business as usual from a sign-off phase."""
    phase = mentee.current_phase
    return (
        mentee.role == Role.MENTEE
        and phase is not None
        and phase.exit_criterion == ExitCriterion.LEAD_SIGN_OFF
        and (is_system(user) or leads(user, mentee.programme_id))
    )


def can_pause(user: Actor, mentee: Membership) -> bool:
    """Pausing a mentee, and resuming them, is for a lead of the programme or themself."""
    return is_system(user) or leads(user, mentee.programme_id) or is_own(user, mentee)


def can_review(user: Actor, mentee: Membership) -> bool:
    """The mentee's mentor reviews their playbook and comments on it."""
    return is_system(user) or mentors(user, mentee)


# --- Enforcing them in services ---------------------------------------------------------------


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def require_person(by: Actor) -> None:
    """A change that only a signed-in person can make (never the system, never anonymous)."""
    require(getattr(by, "is_authenticated", False), "Sign in to do that.")


def require_lead(by: Actor, programme: Programme | int, message: str = "") -> None:
    """Setting a programme up is for its leads (and the system)."""
    require(
        is_system(by) or leads(by, programme),
        message or "Only a lead of this programme can do that.",
    )
