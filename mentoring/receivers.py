"""Reactions to things other apps announce."""

from django.dispatch import receiver

from programmes.models import Invitation, Membership, Role
from programmes.signals import invitation_accepted

from .models import Pairing
from .services import pair


@receiver(invitation_accepted)
def pair_with_the_named_mentor(sender, invitation, membership, **kwargs) -> None:
    """Invitations may name a mentee's mentor, who may join before or after the mentee:
    whoever accepts second completes the pairing."""
    if membership.role == Role.MENTEE and invitation.mentor_email:
        mentor = (
            Membership.objects.active()
            .filter(
                programme=membership.programme,
                role=Role.MENTOR,
                user__email__iexact=invitation.mentor_email,
            )
            .first()
        )
        if mentor is not None:
            pair(mentor=mentor, mentee=membership, by=invitation.invited_by)
    elif membership.role == Role.MENTOR:
        waiting = Invitation.objects.filter(
            programme=membership.programme,
            role=Role.MENTEE,
            mentor_email__iexact=membership.user.email,
            accepted_at__isnull=False,
        ).values("accepted_by")
        unpaired = (
            Membership.objects.active()
            .filter(programme=membership.programme, role=Role.MENTEE, user__in=waiting)
            .exclude(
                pk__in=Pairing.objects.active()
                .filter(programme=membership.programme)
                .values("mentee")
            )
        )
        for mentee in unpaired:
            pair(mentor=membership, mentee=mentee, by=invitation.invited_by)
