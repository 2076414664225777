"""Someone leaving a programme: they close their account, or a lead removes them.

The membership row stays, marked inactive, with everything that hangs from it (phase
progress and moves, pairings, logged sessions, completions, workshop attendance), so the
programme's figures still count what happened. What ends is their part from now on: their
pairings, an open request for another mentor, seats booked at workshops still to come.

It sits in `mentoring`, beside the pairing workflows (as `Membership` and `Pairing` sit in
`programmes`), because leaving ends pairings and closes the mentoring app's requests.
Pausing and setting aside are `programmes/services/membership.py`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentorChangeRequest
from mentoring.services.pairing import end_pairing
from programmes import figures
from programmes.email import send_email
from programmes.errors import Invalid
from programmes.models import AuditAction, Membership, Pairing, Role, WorkshopSeat
from programmes.policy import (
    SYSTEM,
    Actor,
    actor,
    is_own,
    is_system,
    leads,
    require,
    require_lead,
)
from programmes.services import audit
from programmes.services.notification import absolute


def role_word(membership: Membership) -> str:
    if membership.role == Role.MENTEE:
        return membership.programme.mentee_label
    return membership.get_role_display().lower()


def sole_lead_of(user: Actor) -> list[Membership]:
    """The programmes `user` leads alone while others are in them: they can't leave those
    (or close their account) until someone else leads too."""
    if not getattr(user, "is_authenticated", False):
        return []
    others = Membership.objects.active().exclude(user_id=user.pk)
    return list(
        Membership.objects.active()
        .filter(user_id=user.pk, role=Role.LEAD)
        .exclude(programme_id__in=others.filter(role=Role.LEAD).values("programme_id"))
        .filter(programme_id__in=others.values("programme_id"))
        .select_related("programme")
        .order_by("programme__name")
    )


@transaction.atomic
def leave_programme(*, membership: Membership, by: Actor, reason: str = "") -> Membership:
    """End someone's part in a programme from now on; their history stays and still
    counts. The person may (closing their account does it for each programme), and so may
    a lead (`remove_from_programme`, which also tells them). Their pairings end, both sides
    told; an open request for another mentor is closed; places booked at workshops still to
    come are given back. A programme's only lead can't leave while others are in it."""
    require(
        is_system(by) or is_own(by, membership) or leads(by, membership.programme_id),
        "Only the person or a lead of the programme can end their place in it.",
    )
    found = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "programme")
        .get(pk=membership.pk)
    )
    if not found.is_active:
        raise Invalid(f"{found.user.display_name} is no longer in the programme.")
    if found.role == Role.LEAD and found.pk in {m.pk for m in sole_lead_of(found.user)}:
        raise Invalid(
            f"{found.programme.name} needs another lead first: invite someone as a lead "
            "there, then leave."
        )
    now = timezone.now()
    found.is_active = False
    found.save(update_fields=["is_active"])
    # Ending a pairing is a lead's change; when the person leaves on their own, theirs end
    # through the system, which history records as no one.
    ender = by if leads(by, found.programme_id) else SYSTEM
    reason = reason or f"{found.user.display_name} is no longer in the programme."
    for pairing in Pairing.objects.active().filter(Q(mentee=found) | Q(mentor=found)):
        end_pairing(pairing=pairing, by=ender, reason=reason)
    MentorChangeRequest.objects.filter(mentee=found, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor(ender)
    )
    WorkshopSeat.objects.filter(
        membership=found, workshop__starts_at__gt=now, attended__isnull=True
    ).delete()
    figures.changed(found.programme.slug)
    return found


@transaction.atomic
def remove_from_programme(*, membership: Membership, by: Actor) -> Membership:
    """A lead takes someone out of the programme (`leave_programme`), records it in the
    audit trail and tells them by email, with where to download their data."""
    require_lead(by, membership.programme_id, "Only a lead of this programme can remove people.")
    if membership.user_id == getattr(by, "pk", None):
        raise Invalid("You can't remove yourself. Another lead of the programme can.")
    found = leave_programme(membership=membership, by=by)
    audit.record(
        AuditAction.REMOVED_FROM_PROGRAMME,
        programme=found.programme,
        by=by,
        summary=f"Removed {found.user.display_name} ({role_word(found)}) from the programme",
    )
    send_email(
        "membership_removed",
        to=found.user.email,
        context={
            "recipient": found.user,
            "membership": found,
            "role_word": role_word(found),
            "by": actor(by),
            "link": absolute(reverse("mentoring:account_data")),
        },
    )
    return found
