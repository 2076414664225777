from __future__ import annotations

from datetime import date, datetime, time
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from programmes.models.phase import Phase
from programmes.models.programme import Programme, Role


class PaceStatus(models.TextChoices):
    """Where a mentee stands against their own pace, as the last sweep judged it
    (`mentoring/pace.py` decides; the order is the order of concern)."""

    STALLED = "stalled", "Stalled"
    SLIPPING = "slipping", "Slipping"
    ON_PACE = "on_pace", "On pace"
    AHEAD = "ahead", "Ahead"
    PAUSED = "paused", "Paused"


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

    # No index of their own: "membership_funnel" and the unique (programme, user, role) lead
    # with the programme, "membership_user" with the user. A spare index on the most written
    # table costs every pace verdict the sweep stores.
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        db_index=False,
    )
    role = models.CharField(max_length=10, choices=Role)
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    current_phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    phase_started_at = models.DateTimeField(null=True, blank=True)
    operationalised_at = models.DateTimeField(null=True, blank=True)
    # A mentee on holiday or leave: no nudges and no "slipping" until this day has passed.
    paused_until = models.DateField(null=True, blank=True)
    # A lead who has dealt with someone at risk sets them aside on the dashboard until then.
    risk_snoozed_until = models.DateField(null=True, blank=True)
    # The last time the mentee did something the programme counts (a completion, a session,
    # a section saved, a cadence answered): kept by the services, read by the sweep.
    last_active_at = models.DateTimeField(null=True, blank=True)
    # The pace sweep's last verdict, and when to look again (mentoring/services/pace.py).
    pace_status = models.CharField(max_length=8, choices=PaceStatus, blank=True)
    pace_reason = models.CharField(max_length=300, blank=True)
    pace_behind = models.FloatField(
        default=0, help_text="How far behind their own pace: 1.0 is one agreed interval late."
    )
    pace_checked_at = models.DateTimeField(null=True, blank=True)
    pace_due_at = models.DateTimeField(default=timezone.now)

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
            models.Index(
                fields=["pace_due_at"],
                condition=Q(role="mentee", is_active=True),
                name="membership_pace_due",
            ),
            models.Index(
                fields=["programme", "pace_status", "-pace_behind"],
                condition=Q(role="mentee", is_active=True),
                name="membership_pace_rank",
            ),
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
        """Whole days in the current phase, counted as the pace rules count them: from the
        programme's start at the earliest, and None before it starts. (Lists that show it
        load the programme with the membership.)"""
        return days_in_phase(self.phase_started_at, self.programme.starts_on)

    def is_paused(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.paused_until is not None and self.paused_until >= on

    @property
    def role_label(self) -> str:
        if self.role == Role.MENTEE:
            return self.programme.mentee_label.capitalize()
        return self.get_role_display()


def phase_clock_from(started_at: datetime, starts_on: date | None) -> datetime:
    """When a phase entered at `started_at` starts counting: not before the programme does
    (someone who joined three weeks early is not three weeks into their first phase on the
    first day), as `mentoring.pace` counts it."""
    if starts_on is None:
        return started_at
    return max(started_at, timezone.make_aware(datetime.combine(starts_on, time())))


def days_in_phase(
    started_at: datetime | None, starts_on: date | None, now: datetime | None = None
) -> int | None:
    """`Membership.days_in_phase` from its parts, for rows read without model instances."""
    if started_at is None:
        return None
    now = now or timezone.now()
    counted_from = phase_clock_from(started_at, starts_on)
    if now < counted_from:
        return None
    return (now - counted_from).days
