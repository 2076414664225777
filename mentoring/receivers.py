"""Reactions to things other apps announce."""

import contextlib
import logging

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db import DatabaseError, transaction
from django.dispatch import receiver

from mentoring.services.guideline import copy_guidelines, create_default_guidelines
from mentoring.services.pace import refresh
from mentoring.services.pairing import PairingError, pair
from programmes.models import Invitation, Membership, Pairing, Role
from programmes.policy import SYSTEM
from programmes.signals import invitation_accepted, pace_facts_changed, programme_created

logger = logging.getLogger(__name__)


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
            _pair_if_room(mentor, membership)
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
            _pair_if_room(membership, mentee)


def _pair_if_room(mentor, mentee) -> None:
    # A full mentor leaves the mentee unpaired; the lead sees that on the pairings page.
    with contextlib.suppress(PairingError):
        pair(mentor=mentor, mentee=mentee, by=SYSTEM)


@receiver(programme_created, dispatch_uid="mentoring.give_the_programme_guidelines")
def give_the_programme_guidelines(sender, programme, source=None, **kwargs) -> None:
    """Every new programme starts with the default mentoring guidelines; a duplicate keeps
    its source's."""
    if source is not None:
        copy_guidelines(source=source, programme=programme, by=SYSTEM)
    else:
        create_default_guidelines(programme=programme, by=SYSTEM)


@receiver(user_logged_in)
def start_the_session_clocks(sender, request, user, **kwargs) -> None:
    """A new sign-in starts its idle and age clocks (mentoring/session_timeout.py) and has
    the two-factor rule checked (mentoring/two_factor.py) as it is saved."""
    if request is None or not hasattr(request, "session"):
        return
    from mentoring import session_timeout, two_factor

    session_timeout.start_clock(request)
    two_factor.check_at_sign_in(request, request.session.get(SESSION_KEY, str(user.pk)))


@receiver(pace_facts_changed, dispatch_uid="mentoring.judge_again_once_committed")
def judge_again_once_committed(sender, membership_ids, **kwargs) -> None:
    """Judge them again after the change commits, with the sweep's own rules. If that
    fails, the change stands and the sweep, already asked to look now, catches up."""
    ids = list(membership_ids)

    def judge_again() -> None:
        try:
            with transaction.atomic():
                refresh(ids)
        except DatabaseError:
            logger.warning("pace: judging %s again failed; the sweep will", ids, exc_info=True)

    transaction.on_commit(judge_again)
