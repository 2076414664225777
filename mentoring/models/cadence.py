from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentoring.models.engagement import Cadence, Channel
from programmes.models import Pairing


class CadenceAgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(pairing__in=Pairing.objects.visible_to(user))


class CadenceAgreement(models.Model):
    """A cadence one side of a pair proposes and the other accepts. The accepted one in
    force for a pairing decides when the next session is due."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Agreed"
        DECLINED = "declined", "Declined"
        REPLACED = "replaced", "Replaced"
        WITHDRAWN = "withdrawn", "Withdrawn"

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="agreements")
    cadence = models.CharField(max_length=12, choices=Cadence)
    channel = models.CharField(max_length=10, choices=Channel, blank=True)
    status = models.CharField(max_length=9, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CadenceAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing"],
                condition=Q(status="accepted"),
                name="one_agreed_cadence_per_pairing",
            ),
            models.UniqueConstraint(
                fields=["pairing"],
                condition=Q(status="proposed"),
                name="one_open_proposal_per_pairing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pairing}: {self.get_cadence_display()} ({self.status})"
