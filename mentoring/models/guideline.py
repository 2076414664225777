from __future__ import annotations

from typing import Self

from django.db import models
from django.utils import timezone


class GuidelineQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A programme's guidelines are read by its members and edited by its leads."""
        from programmes.models import Programme

        return self.filter(programme__in=Programme.objects.visible_to(user))

    def current(self) -> Self:
        return self.filter(archived_at__isnull=True)


class Guideline(models.Model):
    """One of a programme's mentoring guidelines. Removed ones are archived, so the
    self-checks made against them keep their wording."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="guidelines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = GuidelineQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position", "pk"]
        indexes = [models.Index(fields=["programme", "position"], name="guideline_programme_pos")]

    def __str__(self) -> str:
        return self.text
