"""Reactions to things other apps announce."""

from django.dispatch import receiver

from programmes.models import Membership, Role
from programmes.signals import invitation_accepted

from .services import pair


@receiver(invitation_accepted)
def pair_new_mentee_with_named_mentor(sender, invitation, membership, **kwargs) -> None:
    if membership.role != Role.MENTEE or not invitation.mentor_email:
        return
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
