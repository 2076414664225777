"""The audit trail: who did what, when and from where, for the changes that shape who sees
what (roles, pairings), where people stand (phase moves by hand, sign-offs), what leaves
the product (exports) and who is let in (invitations), and the programme's rules
(guidelines, the playbook template, the assessment's questions).

Entries are written by `programmes.services.audit.record` and never changed: the model
refuses a second save and a delete, the admin is read-only, and no page edits them. They
hold names and labels as they were, no private text, so the trail reads right after people
and things are renamed or removed.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    ROLE_GIVEN = "role_given", "Role given"
    PAIRED = "paired", "Paired"
    PAIRING_ENDED = "pairing_ended", "Pairing ended"
    MOVED_ON = "moved_on", "Moved on by hand"
    MOVED_BACK = "moved_back", "Moved back"
    SIGNED_OFF = "signed_off", "Signed off"
    EXPORTED = "exported", "Downloaded"
    INVITED = "invited", "Invited"
    INVITATION_RESENT = "invitation_resent", "Invitation sent again"
    INVITATION_REVOKED = "invitation_revoked", "Invitation withdrawn"
    INVITATIONS_IMPORTED = "invitations_imported", "Invitations imported"
    GUIDELINE_CHANGED = "guideline_changed", "Guideline changed"
    TEMPLATE_CHANGED = "template_changed", "Playbook template changed"
    QUESTION_CHANGED = "question_changed", "Assessment question changed"
    REMOVED_FROM_PROGRAMME = "removed", "Removed from the programme"
    TWO_FACTOR_RULE = "two_factor_rule", "Two-factor rule changed"
    DATES_CHANGED = "dates_changed", "Programme dates changed"


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """A programme's trail is for its leads."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            programme__memberships__user=user,
            programme__memberships__role="lead",
            programme__memberships__is_active=True,
        )


class AuditEntry(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="audit_entries"
    )
    action = models.CharField(max_length=24, choices=AuditAction)
    # Who: the person (empty if the system acted or they were deleted) and their name then.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    # What: a sentence naming whom or what it concerned, as it was.
    summary = models.CharField(max_length=300)
    # From where: the client's address, through the trusted proxies (empty for the system).
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["programme", "-at"], name="audit_programme_at")]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or 'The system'}: {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit entries are never deleted (they go with their programme).")
