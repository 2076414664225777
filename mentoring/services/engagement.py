from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from mentoring.models import (
    EngagementPreference,
)
from mentoring.services.pairing import PairingError
from programmes.models import Membership, Role
from programmes.policy import Actor, is_own


@transaction.atomic
def save_preferences(*, membership: Membership, by: Actor, **fields: Any) -> EngagementPreference:
    """Record how a mentee wants to be mentored. The previous preferences are kept."""
    if not is_own(by, membership) or membership.role != Role.MENTEE:
        raise PairingError("Only the mentee says how they want to be mentored.")
    now = timezone.now()
    EngagementPreference.objects.filter(membership=membership, superseded_at__isnull=True).update(
        superseded_at=now
    )
    return EngagementPreference.objects.create(membership=membership, created_at=now, **fields)
