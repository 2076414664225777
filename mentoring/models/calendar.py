"""Private calendar feeds: each person's address for their coming sessions and workshops.

A calendar app cannot sign in, so the address itself is the secret. It is made of a public
`key`, found through an index, and a `secret` compared in constant time. The secret is kept
so the person can copy their address again later; revoking it (and issuing a new one) is
how a leaked address is shut off.
"""

from __future__ import annotations

import secrets
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

KEY_LENGTH = 16  # hex characters at the start of a token; the rest is the secret


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def live(self) -> Self:
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user) -> Self:
        """A feed's address is its owner's alone."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def for_token(self, token: str) -> CalendarFeed | None:
        """The live feed of an active person that `token` opens, or None."""
        key, secret = token[:KEY_LENGTH], token[KEY_LENGTH:]
        feed = self.live().filter(key=key, user__is_active=True).select_related("user").first()
        if feed is None or not secrets.compare_digest(feed.secret, secret):
            return None
        return feed


class CalendarFeed(models.Model):
    """One person's private iCal address. Revoked ones are kept, so an old address keeps
    answering 404 rather than ever opening someone else's calendar."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    key = models.CharField(max_length=KEY_LENGTH, unique=True)
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}{' (revoked)' if self.revoked_at else ''}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:calendar_feed", kwargs={"token": self.token})

    @classmethod
    def generate(cls, user) -> CalendarFeed:
        """A new, unsaved feed with a fresh random address (256 bits of secret)."""
        return cls(
            user=user, key=secrets.token_hex(KEY_LENGTH // 2), secret=secrets.token_urlsafe(32)
        )

    @property
    def token(self) -> str:
        return f"{self.key}{self.secret}"
