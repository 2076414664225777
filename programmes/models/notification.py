"""What the product tells people, and how each person wants to be told.

A `Notification` is one message to one person: a pace nudge chosen by the sweep
(`mentoring/services/pace.py`) or an event (a phase change, a cadence proposal…) recorded
by the service that caused it. It lives here, at the bottom of the import graph, so that
every app's services can record one in their own transaction.

Each row is unique on (recipient, kind, period): a sweep run twice, two sweeps at once, or
a retried task can only ever find the row already there. Email delivery claims the row
(`email_status` pending → sent) in the same transaction that hands the message to the
outbox, so a worker killed half way sends nothing and the next run sends it once.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationKind(models.TextChoices):
    # Pace nudges: chosen by the sweep, capped per person.
    NEXT_STEP = "next_step", "Your next step"
    ACTIONS_DUE = "actions_due", "Agreed actions waiting"
    SESSION_DUE = "session_due", "A session is due"
    PARTNER_SLIPPING = "partner_slipping", "A partner is slipping"
    REVIEW_WAITING = "review_waiting", "Sections waiting for your review"
    LOG_SESSION = "log_session", "Log the session you just held"
    CADENCE_CHECK = "cadence_check", "Is your rhythm still right?"
    CHECK_IN = "check_in", "Monthly check-in"
    LEAD_DIGEST = "lead_digest", "Weekly digest of people at risk"
    # Events: recorded by the service that caused them, never capped.
    PHASE_CHANGED = "phase_changed", "Phase changes"
    CADENCE_PROPOSED = "cadence_proposed", "Cadence proposals"
    PAIRING_CHANGED = "pairing_changed", "Pairings made, changed or ended"
    SECTION_REVIEWED = "section_reviewed", "Sections sent back or completed"
    SECTION_READY = "section_ready", "Sections marked ready for your review"
    SECTION_COMMENT = "section_comment", "Comments on a playbook"
    SESSION_LOGGED = "session_logged", "Sessions your mentor logged"
    PAUSED = "paused", "Pauses and their ends"
    SIGNED_OFF = "signed_off", "Sign-offs"
    WORKSHOP_BOOKED = "workshop_booked", "Workshop bookings"
    LEAD_REMINDER = "lead_reminder", "Reminders from your programme's lead"
    PERSON_JOINED = "person_joined", "People accepting your invitations"


NUDGE_KINDS = frozenset(
    {
        NotificationKind.NEXT_STEP,
        NotificationKind.ACTIONS_DUE,
        NotificationKind.SESSION_DUE,
        NotificationKind.PARTNER_SLIPPING,
        NotificationKind.REVIEW_WAITING,
        NotificationKind.LOG_SESSION,
        NotificationKind.CADENCE_CHECK,
        NotificationKind.CHECK_IN,
        NotificationKind.LEAD_DIGEST,
    }
)
EVENT_KINDS = frozenset(set(NotificationKind) - NUDGE_KINDS)


class Delivery(models.TextChoices):
    APP = "app", "In the app only"
    BOTH = "both", "In the app and by email"


class NotificationSettings(models.Model):
    """How one person wants to be told, across all their programmes. A person without a
    row has the defaults: in the app and by email, no quiet hours, nothing muted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    delivery = models.CharField(max_length=4, choices=Delivery, default=Delivery.BOTH)
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    muted_kinds = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Notification settings of {self.user}"

    def is_snoozed(self, on) -> bool:
        return self.snoozed_until is not None and self.snoozed_until >= on


class EmailStatus(models.TextChoices):
    NONE = "none", "Not by email"
    PENDING = "pending", "Waiting"
    SENT = "sent", "Sent"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A notification is its recipient's alone."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def shown(self, now=None) -> Self:
        """What the notification centre lists: everything whose time has come."""
        return self.filter(visible_from__lte=now or timezone.now())

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def nudges(self) -> Self:
        return self.filter(kind__in=NUDGE_KINDS)


class Notification(models.Model):
    # The recipient and programme need no index of their own: the indexes below lead with
    # them, and each spare index is one more write for every notification the sweep records.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(max_length=20, choices=NotificationKind)
    # What makes it unique for its recipient and kind: a day and a subject for a nudge,
    # the event's own row for an event. See the module docstring.
    period = models.CharField(max_length=80)
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # The mentee it is about (a nudge to a mentor names the partner who slipped).
    about = models.ForeignKey(
        "programmes.Membership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications_about",
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    reason = models.CharField("why it came", max_length=300, blank=True)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    visible_from = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=7, choices=EmailStatus, default=EmailStatus.NONE)
    email_after = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Did it help: set when the recipient did what it asked within ACTED_WINDOW.
    acted_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-visible_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"], name="one_notification_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "visible_from"], name="notification_inbox"),
            models.Index(
                fields=["email_after"],
                condition=Q(email_status="pending"),
                name="notification_email_due",
            ),
            models.Index(fields=["recipient", "kind", "created_at"], name="notification_recent"),
            models.Index(fields=["programme", "kind", "created_at"], name="notification_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.recipient}"

    @property
    def is_nudge(self) -> bool:
        return self.kind in NUDGE_KINDS
