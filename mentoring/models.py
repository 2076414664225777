from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class User(AbstractUser):
    """A person. Email is the login; roles come from programme memberships."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField("full name", max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]

    @property
    def initials(self) -> str:
        parts = self.display_name.split()
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name.split()[0]


class PairingQuerySet(models.QuerySet):
    def active(self) -> PairingQuerySet:
        return self.filter(ended_at__isnull=True)

    def visible_to(self, user) -> PairingQuerySet:
        """The mentee sees their pairings, past ones too; a mentor sees a pairing while it
        lasts; leads see every pairing in the programmes they lead."""
        if not user.is_authenticated:
            return self.none()
        from programmes.models import Membership, Role

        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(
            Q(mentee__user=user, mentee__is_active=True)
            | Q(mentor__user=user, mentor__is_active=True, ended_at__isnull=True)
            | Q(programme_id__in=led.values("programme_id"))
        )


class Pairing(models.Model):
    """A mentor working with a mentee in one programme. Ended pairings are kept as history."""

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


class OutboundEmail(models.Model):
    """One email to send, stored by `mentoring.outbox.OutboxBackend` and delivered by a task.

    Delivery claims the row with a conditional update, so a retried task or a second worker
    never sends it twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=998)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    from_email = models.CharField(max_length=254, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_email_due"),
            models.Index(fields=["status", "claimed_at"], name="outbound_email_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"
