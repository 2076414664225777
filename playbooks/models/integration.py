"""Integration: the business's own social media strategy, and how each mentee's themes fit it."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from programmes.models import Membership, Phase, Programme, Role


class ProgrammeContentQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """The business strategy is read by the programme's members and kept by its leads."""
        return self.filter(programme__in=Programme.objects.visible_to(user))


class BusinessStrategy(models.Model):
    """The business's social media strategy as a whole; its pillars are rows of their own."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="business_strategy"
    )
    summary = models.TextField(
        blank=True, max_length=10_000, help_text="What the business wants from social media."
    )
    audiences = models.TextField(
        blank=True, max_length=10_000, help_text="Who the business wants to reach."
    )
    platforms = models.TextField(
        blank=True, max_length=10_000, help_text="Where the business is present, and how."
    )
    key_messages = models.TextField(
        blank=True, max_length=10_000, help_text="What everyone should hear from us."
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ProgrammeContentQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "business strategies"

    def __str__(self) -> str:
        return f"Business strategy · {self.programme}"


class StrategyPillar(models.Model):
    """One content pillar of the business's strategy."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="strategy_pillars"
    )
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProgrammeContentQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position", "pk"]
        indexes = [models.Index(fields=["programme", "position"], name="pillar_programme_pos")]

    def __str__(self) -> str:
        return self.name


class ThemeMappingQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Like the playbook it comes from: the mentee edits, their mentor and leads read."""
        return self.filter(membership__in=Membership.objects.visible_to(user)).select_related(
            "pillar"
        )


class ThemeMapping(models.Model):
    """One of a mentee's own themes, placed on a pillar of the business's strategy (or on none
    yet, which is worth a conversation)."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="theme_mappings",
        limit_choices_to={"role": Role.MENTEE},
    )
    theme = models.CharField(max_length=200)
    pillar = models.ForeignKey(
        StrategyPillar,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="theme_mappings",
    )
    how_it_fits = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ThemeMappingQuerySet.as_manager()

    class Meta:
        ordering = ["membership", "created_at", "pk"]
        indexes = [models.Index(fields=["membership", "updated_at"], name="mapping_member_updated")]
        constraints = [
            models.UniqueConstraint(fields=["membership", "theme"], name="one_mapping_per_theme")
        ]

    def __str__(self) -> str:
        return f"{self.theme} → {self.pillar or 'no pillar yet'}"


class SignOffQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(membership__in=Membership.objects.visible_to(user))


class SignOff(models.Model):
    """A lead's word that a mentee's strategy fits the business's, ending a sign-off phase."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="sign_offs")
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, related_name="+")
    phase_name = models.CharField(max_length=120)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["membership", "at"]
        indexes = [models.Index(fields=["membership", "at"], name="signoff_member_at")]

    def __str__(self) -> str:
        return f"{self.membership.user} signed off {self.phase_name}"
