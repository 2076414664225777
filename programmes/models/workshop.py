from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programmes.models.membership import Membership
from programmes.models.programme import Programme, Role


class WorkshopQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Members of a programme see its workshops; leads schedule and edit them."""
        return self.filter(programme__in=Programme.objects.visible_to(user))

    def upcoming(self) -> Self:
        return self.filter(ends_at__gte=timezone.now())


class Workshop(models.Model):
    """A practical session on a skill or platform, in a place or on a video call."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=80, blank=True, help_text="The skill or platform.")
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    location = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["programme", "starts_at"], name="workshop_programme_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="workshop_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WorkshopSeat(models.Model):
    """A mentee's place at a workshop: booked by them, attendance recorded by a lead."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="seats")
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="workshop_seats",
        limit_choices_to={"role": Role.MENTEE},
    )
    booked_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "membership"], name="one_seat_per_person")
        ]
        indexes = [models.Index(fields=["membership", "attended"], name="seat_membership")]

    def __str__(self) -> str:
        return f"{self.membership.user} at {self.workshop}"
