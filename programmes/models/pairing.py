from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programmes.models.membership import Membership
from programmes.models.programme import Role


class PairingQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(ended_at__isnull=True)

    def visible_to(self, user) -> Self:
        """The mentee sees their pairings, past ones too; a mentor sees a pairing while it
        lasts; leads see every pairing in the programmes they lead."""
        if not user.is_authenticated:
            return self.none()
        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(
            Q(mentee__user=user, mentee__is_active=True)
            | Q(mentor__user=user, mentor__is_active=True, ended_at__isnull=True)
            | Q(programme_id__in=led.values("programme_id"))
        )


class Pairing(models.Model):
    """A mentor working with a mentee in one programme. Ended pairings are kept as history.

    It sits here, beside memberships, because "who mentors whom" is a fact the policy at the
    bottom of the import graph must answer. Its table keeps the name it was created with; the
    pairing pages and changes (`pair`, `end_pairing`, suggestions) belong to the mentoring app.
    """

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
        db_table = "mentoring_pairing"
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
