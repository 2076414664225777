from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Role(models.TextChoices):
    LEAD = "lead", "Lead"
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Programmes a person belongs to, in any role. Everyone else sees nothing."""
        if not user.is_authenticated:
            return self.none()
        from programmes.models.membership import Membership  # membership.py imports this one

        return self.filter(
            pk__in=Membership.objects.filter(user=user, is_active=True).values("programme_id")
        )


class Programme(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=10_000)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    mentee_label = models.CharField(
        max_length=40,
        default="partner",
        help_text="The word this programme uses for a mentee.",
    )
    follow_up_after = models.ForeignKey(
        "Phase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The follow-up assessment opens when a mentee completes this phase; "
        "empty means when they finish the programme.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Nudge controls. The site's cap (NUDGE_EVERY_DAYS) holds across all of a person's
    # programmes; a programme's own can only be stricter, for its own nudges.
    nudges_off = models.JSONField(
        default=list, blank=True, help_text="Kinds of nudge this programme does not send."
    )
    nudge_every_days = models.PositiveSmallIntegerField(
        default=2, help_text="At most one nudge to a person every this many days."
    )
    quiet_from = models.TimeField(
        null=True, blank=True, help_text="Default quiet hours for people who set none."
    )
    quiet_until = models.TimeField(null=True, blank=True)
    # Leads and mentors see people's private work; a lead may ask them to guard their
    # accounts with a second factor (mentoring/two_factor.py sends them to set it up).
    require_two_factor = models.BooleanField(
        "Require two-factor for leads and mentors",
        default=False,
        help_text="Leads and mentors (you too) who have no authenticator app must set one "
        "up before they can open any page. Mentees are never asked.",
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"slug": self.slug})

    @property
    def not_started(self) -> bool:
        """Its start date is still to come: nothing is due of anyone before it."""
        return self.starts_on is not None and self.starts_on > timezone.localdate()
