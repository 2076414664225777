"""What removing someone from a programme ends, and what stays, for the page that asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from mentoring.models import MentorChangeRequest, MentoringSession
from playbooks.models import Completion
from programmes.models import Membership, Pairing, PhaseTransition, Role, WorkshopSeat


@dataclass
class Leaving:
    membership: Membership
    pairings: list[Pairing]  # ending now
    open_request: bool
    seats_given_back: int
    sessions: int  # logged sessions, which stay
    completions: int
    phase_moves: int

    @property
    def is_mentee(self) -> bool:
        return self.membership.role == Role.MENTEE


def leaving(membership: Membership) -> Leaving:
    """A fixed handful of counts, whatever the person did."""
    pairings = list(
        Pairing.objects.active()
        .filter(Q(mentee=membership) | Q(mentor=membership))
        .select_related("mentor__user", "mentee__user")
    )
    return Leaving(
        membership=membership,
        pairings=pairings,
        open_request=MentorChangeRequest.objects.filter(
            mentee=membership, resolved_at__isnull=True
        ).exists(),
        seats_given_back=WorkshopSeat.objects.filter(
            membership=membership, workshop__starts_at__gt=timezone.now(), attended__isnull=True
        ).count(),
        sessions=MentoringSession.objects.logged()
        .filter(Q(mentee=membership) | Q(mentor=membership))
        .count(),
        completions=Completion.objects.filter(membership=membership).count(),
        phase_moves=PhaseTransition.objects.filter(membership=membership).count(),
    )
