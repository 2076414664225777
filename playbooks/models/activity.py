"""The activity checklist: what a programme asks people to practise, and each time they did."""

from __future__ import annotations

from datetime import timedelta
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils import timezone

from playbooks import periods
from programmes.models import Membership, Phase, Programme, Role

# How long a logged completion can be taken back: long enough to catch a slip, short enough
# that the record others read stays settled.
UNDO_WINDOW = timedelta(hours=24)


class Recurrence(models.TextChoices):
    ONCE = periods.ONCE, "Once"
    WEEK = periods.WEEK, "Every week"
    FORTNIGHT = periods.FORTNIGHT, "Every fortnight"
    MONTH = periods.MONTH, "Every month"


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A programme's activities are read by its members and edited by its leads."""
        return self.filter(programme__in=Programme.objects.visible_to(user)).select_related(
            "applies_from"
        )

    def current(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def open_to(self, membership: Membership) -> Self:
        """The activities that apply to a mentee where they are now: those from their
        current phase or earlier (all of them once operationalised)."""
        phase = membership.current_phase
        if phase is None:
            return self
        return self.filter(
            Q(applies_from__isnull=True) | Q(applies_from__position__lte=phase.position)
        )


class Activity(models.Model):
    """One item on a programme's checklist, done once or a number of times per period."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=10_000)
    platform = models.CharField(max_length=80, blank=True)
    evidence = models.CharField(
        "what counts as evidence", max_length=300, blank=True, help_text="E.g. a link to the post."
    )
    recurrence = models.CharField(max_length=10, choices=Recurrence, default=Recurrence.ONCE)
    times = models.PositiveSmallIntegerField(
        "times per period", default=1, help_text="How many times in each week, fortnight or month."
    )
    applies_from = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The phase from which it is on a mentee's checklist; empty means from the start.",
    )
    skill = models.CharField(
        "workshop skill it practises",
        max_length=80,
        blank=True,
        help_text="The skill or platform of the workshops it follows on from.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position", "pk"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["programme", "position"], name="activity_programme_pos")]
        constraints = [
            models.CheckConstraint(condition=Q(times__gte=1), name="activity_times_positive"),
            models.CheckConstraint(
                condition=~Q(recurrence=Recurrence.ONCE) | Q(times=1),
                name="activity_once_is_one_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return self.recurrence != Recurrence.ONCE

    @property
    def cadence(self) -> str:
        """ "Once", "3 times a week", "Once a month"."""
        if not self.is_recurring:
            return "Once"
        per = {"week": "a week", "fortnight": "a fortnight", "month": "a month"}[self.recurrence]
        return f"{'Once' if self.times == 1 else f'{self.times} times'} {per}"


class CompletionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A mentee's completions are read by them, their mentor and their leads. A mentor's
        own completions are read by them, their current partners and their leads."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(membership__in=Membership.objects.visible_to(user))
            | Q(
                membership__role=Role.MENTOR,
                membership__mentor_pairings__mentee__user=user,
                membership__mentor_pairings__mentee__is_active=True,
                membership__mentor_pairings__ended_at__isnull=True,
            )
        ).distinct()


class Completion(models.Model):
    """One time a person did an activity, logged by that person."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="completions")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="activity_completions"
    )
    done_on = models.DateField()
    evidence_url = models.URLField("evidence link", max_length=500, blank=True)
    note = models.TextField(blank=True)
    # A mentor's own completions are shared with their partners: what they learnt doing it.
    what_worked = models.TextField(blank=True)
    what_failed = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-done_on", "-created_at"]
        indexes = [
            # "When did this person last act?" and "how much this period?" for nudges.
            models.Index(fields=["membership", "done_on"], name="completion_member_day"),
            models.Index(fields=["activity", "membership"], name="completion_activity_member"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} on {self.done_on}"

    @property
    def undo_until(self):
        return self.created_at + UNDO_WINDOW

    def can_be_undone(self, now=None) -> bool:
        return (now or timezone.now()) < self.undo_until


class PersonalTargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A mentee's own pace: set by them, read by their mentor and their leads."""
        return self.filter(membership__in=Membership.objects.visible_to(user))


class PersonalTarget(models.Model):
    """The pace a mentee sets themselves: how many activities a week."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="activity_target"
    )
    per_week = models.PositiveSmallIntegerField()
    set_at = models.DateTimeField(default=timezone.now)

    objects = PersonalTargetQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(per_week__gte=1) & Q(per_week__lte=50), name="target_per_week_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.per_week} a week"
