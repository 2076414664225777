"""A lead's word to a mentor about a partner at risk, sent from the dashboard.

It goes through the notification centre as an event (not a nudge: a lead chose to send it,
so no cap applies), to the mentee's current mentor, with the pace sweep's reason and a link
to the partner's page. Reminding twice on one day tells the mentor once.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from programmes.errors import Invalid
from programmes.models import Membership, Notification, NotificationKind, Pairing, Role
from programmes.policy import Actor, is_system, leads, require
from programmes.services.notification import event_period, notify


@transaction.atomic
def remind_mentor(*, mentee: Membership, by: Actor) -> bool:
    """Tell `mentee`'s mentor that the lead asks them to check in. Returns whether they
    were told now: False when a reminder about `mentee` already reached them today (they
    are told once a day, and that is no error)."""
    require(
        is_system(by) or leads(by, mentee.programme_id),
        "Only a lead of the programme can remind a mentor.",
    )
    if mentee.role != Role.MENTEE or not mentee.is_active:
        raise Invalid("Only someone taking part as a mentee has a mentor to remind.")
    pairing = (
        Pairing.objects.active()
        .filter(mentee=mentee, mentor__is_active=True)
        .select_related("mentor__user", "mentee__user", "programme")
        .first()
    )
    if pairing is None:
        raise Invalid("They have no mentor yet: pair them first, on the Pairings tab.")
    programme = pairing.programme
    name = mentee.user.name or mentee.user.email.split("@")[0]
    key = f"{mentee.pk}:{timezone.localdate().isoformat()}"
    if Notification.objects.filter(
        recipient=pairing.mentor.user,
        kind=NotificationKind.LEAD_REMINDER,
        period=event_period(NotificationKind.LEAD_REMINDER, key),
    ).exists():
        return False
    lead = getattr(by, "name", "") or "Your programme lead"
    body = mentee.pace_reason or f"{name} may need a word from you."
    notify(
        [pairing.mentor.user],
        kind=NotificationKind.LEAD_REMINDER,
        key=key,
        title=f"{lead} asks you to check in with {name}",
        body=body,
        reason=f"You mentor {name} in {programme.name}; its lead sent this from the dashboard.",
        link=reverse("mentoring:partner", kwargs={"slug": programme.slug, "member": mentee.pk}),
        programme=programme,
        about=mentee,
        exclude=None,
    )
    return True
