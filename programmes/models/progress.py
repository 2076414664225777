from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from programmes.models.membership import Membership
from programmes.models.phase import Phase


class PhaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class PhaseProgressQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A mentee's progress is seen by them, their mentor and their programme's leads."""
        return self.filter(membership__in=Membership.objects.visible_to(user))


class PhaseProgress(models.Model):
    """Where one mentee stands in one phase. One row per mentee and phase."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="progress")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=12, choices=PhaseStatus, default=PhaseStatus.NOT_STARTED)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = PhaseProgressQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "phase"], name="one_progress_per_phase")
        ]
        indexes = [models.Index(fields=["phase", "status"], name="progress_phase_status")]

    def __str__(self) -> str:
        return f"{self.membership.user} · {self.phase}: {self.get_status_display()}"


class PhaseTransitionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A mentee's moves are seen by whoever may see the mentee's phase progress."""
        return self.filter(membership__in=Membership.objects.visible_to(user))


class PhaseTransition(models.Model):
    """One move of a mentee between phases: who moved them, when, from, to and why.

    `to_phase` is empty when the move took the mentee past the last phase, into
    business as usual (operationalised).
    """

    class Kind(models.TextChoices):
        JOINED = "joined", "Joined"
        ADVANCED = "advanced", "Moved on"
        AUTOMATIC = "automatic", "Moved on automatically"
        MOVED_BACK = "moved_back", "Moved back"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.ADVANCED)
    # Names are kept as they were, so the history still reads right after a phase is renamed
    # or removed.
    from_phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_name = models.CharField(max_length=120, blank=True)
    to_phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_name = models.CharField(max_length=120, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = PhaseTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["membership", "at"]
        indexes = [models.Index(fields=["membership", "at"], name="transition_membership_at")]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.from_name or 'start'} → {self.to_name}"
