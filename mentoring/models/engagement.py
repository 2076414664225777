from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat"
    SOCIAL = "social", "Social media message"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    WHEN_NEEDED = "when_needed", "When needed"


class Reminders(models.TextChoices):
    EMAIL = "email", "By email"
    APP = "app", "In the app"
    BOTH = "both", "Both"


class EngagementPreferenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Edited by the mentee; read by their mentor and their programme's leads."""
        from programmes.models import Membership

        return self.filter(membership__in=Membership.objects.visible_to(user))

    def current(self) -> Self:
        return self.filter(superseded_at__isnull=True)


class EngagementPreference(models.Model):
    """How and how often a mentee wants to be mentored. A change adds a new row and marks
    the old one superseded, so the history of what they asked for is kept."""

    membership = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="engagement_preferences"
    )
    channels = models.JSONField(default=list)
    cadence = models.CharField(max_length=12, choices=Cadence, default=Cadence.FORTNIGHTLY)
    session_minutes = models.PositiveSmallIntegerField(default=45)
    best_days = models.JSONField(default=list, blank=True)
    best_times = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    reminders = models.CharField(max_length=5, choices=Reminders, default=Reminders.EMAIL)
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = EngagementPreferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_preference",
            ),
            models.CheckConstraint(
                condition=Q(session_minutes__gte=10, session_minutes__lte=240),
                name="session_minutes_sensible",
            ),
        ]
        indexes = [models.Index(fields=["membership", "created_at"], name="preference_history")]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.get_cadence_display()}"

    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels if c in Channel.values]
