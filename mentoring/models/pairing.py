from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class MentorProfile(models.Model):
    """What a mentor offers in a programme: how many partners, and the skills they are
    strong in (the assessment's topics), used to suggest pairings."""

    membership = models.OneToOneField(
        "programmes.Membership", on_delete=models.CASCADE, related_name="mentor_profile"
    )
    capacity = models.PositiveSmallIntegerField(default=3)
    strengths = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.membership.user}: up to {self.capacity}"


class MentorChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """The mentee who asked, and their programme's leads. Not the mentor."""
        if not user.is_authenticated:
            return self.none()
        from programmes.models import Membership, Role

        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(
            Q(mentee__user=user) | Q(mentee__programme_id__in=led.values("programme_id"))
        )


class MentorChangeRequest(models.Model):
    """A mentee asking for a different mentor, with their reason, for the lead to act on."""

    mentee = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="mentor_change_requests"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MentorChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(resolved_at__isnull=True), name="one_open_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee.user} asks for another mentor"
