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


# --- How each mentee wants to be mentored ---------------------------------------------------


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    CHAT = "chat", "Chat"
    SOCIAL = "social", "Social media message"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"
    WHEN_NEEDED = "when_needed", "When needed"


class Reminders(models.TextChoices):
    EMAIL = "email", "By email"
    APP = "app", "In the app"
    BOTH = "both", "Both"


class EngagementPreferenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> EngagementPreferenceQuerySet:
        """Edited by the mentee; read by their mentor and their programme's leads."""
        from programmes.models import Membership

        return self.filter(membership__in=Membership.objects.visible_to(user))

    def current(self) -> EngagementPreferenceQuerySet:
        return self.filter(superseded_at__isnull=True)


class EngagementPreference(models.Model):
    """How and how often a mentee wants to be mentored. A change adds a new row and marks
    the old one superseded, so the history of what they asked for is kept."""

    membership = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="engagement_preferences"
    )
    channels = models.JSONField(default=list)
    cadence = models.CharField(max_length=12, choices=Cadence, default=Cadence.FORTNIGHTLY)
    session_minutes = models.PositiveSmallIntegerField(default=45)
    best_days = models.JSONField(default=list, blank=True)
    best_times = models.CharField(max_length=120, blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    reminders = models.CharField(max_length=5, choices=Reminders, default=Reminders.EMAIL)
    quiet_from = models.TimeField(null=True, blank=True)
    quiet_until = models.TimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = EngagementPreferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_preference",
            ),
            models.CheckConstraint(
                condition=Q(session_minutes__gte=10, session_minutes__lte=240),
                name="session_minutes_sensible",
            ),
        ]
        indexes = [models.Index(fields=["membership", "created_at"], name="preference_history")]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.get_cadence_display()}"

    def channel_labels(self) -> list[str]:
        return [Channel(c).label for c in self.channels if c in Channel.values]


class CadenceAgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> CadenceAgreementQuerySet:
        return self.filter(pairing__in=Pairing.objects.visible_to(user))


class CadenceAgreement(models.Model):
    """A cadence one side of a pair proposes and the other accepts. The accepted one in
    force for a pairing decides when the next session is due."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Agreed"
        DECLINED = "declined", "Declined"
        REPLACED = "replaced", "Replaced"

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


class MentorProfile(models.Model):
    """What a mentor offers in a programme: how many partners, and the skills they are
    strong in (the assessment's topics), used to suggest pairings."""

    membership = models.OneToOneField(
        "programmes.Membership", on_delete=models.CASCADE, related_name="mentor_profile"
    )
    capacity = models.PositiveSmallIntegerField(default=3)
    strengths = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.membership.user}: up to {self.capacity}"


class MentorChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> MentorChangeRequestQuerySet:
        """The mentee who asked, and their programme's leads. Not the mentor."""
        if not user.is_authenticated:
            return self.none()
        from programmes.models import Membership, Role

        led = Membership.objects.filter(user=user, role=Role.LEAD, is_active=True)
        return self.filter(
            Q(mentee__user=user) | Q(mentee__programme_id__in=led.values("programme_id"))
        )


class MentorChangeRequest(models.Model):
    """A mentee asking for a different mentor, with their reason, for the lead to act on."""

    mentee = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="mentor_change_requests"
    )
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MentorChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(resolved_at__isnull=True), name="one_open_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee.user} asks for another mentor"


from .models_calendar import *  # noqa: E402,F403
from .models_sessions import *  # noqa: E402,F403
