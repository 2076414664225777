from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PairingQuerySet(models.QuerySet):
    def active(self) -> PairingQuerySet:
        return self.filter(ended_at__isnull=True)

    def visible_to(self, user) -> PairingQuerySet:
        """The mentee sees their pairings, past ones too; a mentor sees a pairing while it
        lasts; leads see every pairing in the programmes they lead."""
        if not user.is_authenticated:
            return self.none()
        from programmes.models import Membership, Role

        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(
            Q(mentee__user=user, mentee__is_active=True)
            | Q(mentor__user=user, mentor__is_active=True, ended_at__isnull=True)
            | Q(programme_id__in=led.values("programme_id"))
        )


class Pairing(models.Model):
    """A mentor working with a mentee in one programme. Ended pairings are kept as history."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="pairings"
    )
    mentor = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="mentor_pairings"
    )
    mentee = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="mentee_pairings"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = PairingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(ended_at__isnull=True),
                name="one_active_mentor_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="pairing_not_with_self"
            ),
        ]
        indexes = [models.Index(fields=["mentor", "ended_at"], name="pairing_mentor_active")]

    def __str__(self) -> str:
        return f"{self.mentor.user} mentors {self.mentee.user}"


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
    def visible_to(self, user) -> MentorChangeRequestQuerySet:
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
