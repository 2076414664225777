from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q

from programmes.models.programme import Programme


class ExitCriterion(models.TextChoices):
    MANUAL = "manual", "Moved on by hand (a lead or the mentor)"
    BASELINE_SUBMITTED = "baseline", "Baseline assessment submitted"
    WORKSHOPS_ATTENDED = "workshops", "Workshops attended"
    PLAYBOOK_SECTIONS = "playbook", "Playbook sections complete"
    SESSIONS_LOGGED = "sessions", "Mentoring sessions logged, their agreed actions done"
    LEAD_SIGN_OFF = "signoff", "Signed off by a lead"


class PhaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A programme's phases are read by its members and edited by its leads."""
        return self.filter(programme__in=Programme.objects.visible_to(user))


class Phase(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=10_000)
    starts_on = models.DateField("planned start", null=True, blank=True)
    ends_on = models.DateField("planned end", null=True, blank=True)
    exit_criterion = models.CharField(
        max_length=12, choices=ExitCriterion, default=ExitCriterion.MANUAL
    )
    exit_count = models.PositiveSmallIntegerField(
        default=1, help_text="How many workshops or sessions, where the criterion counts."
    )
    expected_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="How long a mentee usually spends in this phase, in weeks: the baseline "
        "for judging whether someone is taking longer than planned.",
    )
    exit_sections = models.JSONField(
        default=list,
        blank=True,
        help_text="Playbook section titles that must be complete; empty means all of them.",
    )

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position"]
        indexes = [models.Index(fields=["programme", "position"], name="phase_programme_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(exit_count__gte=1), name="phase_exit_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def exit_summary(self) -> str:
        """What completes this phase, in words to the mentee."""
        return self._exit_text(you=True)

    @property
    def exit_summary_them(self) -> str:
        """The same, for their mentor or lead."""
        return self._exit_text(you=False)

    def _exit_text(self, *, you: bool) -> str:
        n = self.exit_count
        your = "your" if you else "the"
        match self.exit_criterion:
            case ExitCriterion.BASELINE_SUBMITTED:
                return f"Submit {your} baseline self-assessment."
            case ExitCriterion.WORKSHOPS_ATTENDED:
                return f"Attend {n} workshop{'s' if n != 1 else ''}."
            case ExitCriterion.PLAYBOOK_SECTIONS:
                if self.exit_sections:
                    return (
                        "Complete these playbook sections: " + ", ".join(self.exit_sections) + "."
                    )
                return f"Complete every section of {your} playbook."
            case ExitCriterion.SESSIONS_LOGGED:
                agreed = "you agreed" if you else "agreed"
                return (
                    f"Hold {n} mentoring session{'s' if n != 1 else ''} "
                    f"and do the actions {agreed} in them."
                )
            case ExitCriterion.LEAD_SIGN_OFF:
                return (
                    "Your programme lead signs you off."
                    if you
                    else "A programme lead signs them off."
                )
            case _:
                return (
                    "Your mentor or programme lead moves you on when you are ready."
                    if you
                    else "Their mentor or a programme lead moves them on when ready."
                )
