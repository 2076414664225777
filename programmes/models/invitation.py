from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programmes.models.membership import Membership
from programmes.models.programme import Programme, Role

INVITATION_LIFETIME = timedelta(days=14)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def default_expiry():
    return timezone.now() + INVITATION_LIFETIME


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Invitations are a lead's business: only leads of the programme see them."""
        if not user.is_authenticated:
            return self.none()
        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(programme_id__in=led.values("programme_id"))

    def open(self) -> Self:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An offer to join a programme in a role, sent by email as a signed, single-use link.

    Resending rotates the nonce, so only the newest link works; accepting or revoking
    closes it for good.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=Role)
    # For a mentee: the mentor to pair them with on accepting. An email, not a membership,
    # because that mentor may be invited in the same import and not have joined yet.
    mentor_email = models.EmailField(blank=True)
    nonce = models.CharField(max_length=32, default=new_nonce)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per person and role; closed ones stay as history.
            models.UniqueConstraint(
                fields=["programme", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_role",
            )
        ]
        indexes = [models.Index(fields=["programme", "created_at"], name="invitation_programme")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> as {self.get_role_display()} in {self.programme}"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return self.State(self.state).label
