from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from programmes.models.phase import Phase
from programmes.models.programme import Programme, Role


class MembershipQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def visible_to(self, user) -> Self:
        """Who a person may see in a programme: themselves; a lead, everyone in the
        programmes they lead; a mentor, the mentees they are paired with now."""
        if not user.is_authenticated:
            return self.none()
        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(
            Q(user=user)
            | Q(programme_id__in=led.values("programme_id"))
            | Q(
                mentee_pairings__mentor__user=user,
                mentee_pairings__mentor__is_active=True,
                mentee_pairings__ended_at__isnull=True,
            )
        ).distinct()


class Membership(models.Model):
    """A person's role in one programme; for a mentee, also where they are in its phases."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    current_phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    phase_started_at = models.DateTimeField(null=True, blank=True)
    operationalised_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="one_membership_per_role"
            ),
            models.CheckConstraint(
                condition=Q(role="mentee") | Q(current_phase__isnull=True),
                name="only_mentees_have_a_phase",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "is_active"], name="membership_user"),
            models.Index(fields=["programme", "role", "current_phase"], name="membership_funnel"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.programme})"

    def get_absolute_url(self) -> str:
        if self.role != Role.MENTEE:
            return self.programme.get_absolute_url()
        return reverse(
            "programmes:member_journey", kwargs={"slug": self.programme.slug, "member": self.pk}
        )

    @property
    def days_in_phase(self) -> int | None:
        if self.phase_started_at is None:
            return None
        return (timezone.now() - self.phase_started_at).days

    @property
    def role_label(self) -> str:
        if self.role == Role.MENTEE:
            return self.programme.mentee_label.capitalize()
        return self.get_role_display()
