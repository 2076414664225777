from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mentoring.models import (
    CalendarFeed,
    User,
)
from programmes.policy import require_person


@transaction.atomic
def issue_feed(*, by: User) -> CalendarFeed:
    """Give `by` a new private feed address. Any address they had stops working at once."""
    require_person(by)
    User.objects.select_for_update().filter(pk=by.pk).first()  # one issue at a time per person
    CalendarFeed.objects.live().filter(user=by).update(revoked_at=timezone.now())
    feed = CalendarFeed.generate(by)
    feed.save()
    return feed


@transaction.atomic
def revoke_feed(*, by: User) -> int:
    """Turn off `by`'s feed address, leaving them none. Returns how many were revoked."""
    require_person(by)
    return CalendarFeed.objects.live().filter(user=by).update(revoked_at=timezone.now())
