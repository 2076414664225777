"""Mentoring sessions: the mentor's log, agreed actions, guideline self-checks, and the
mentee's side (a reflection, a rating and two short answers).

What a pair says stays with the pair: every queryset here shows notes to the two people in
the pair only. Leads get figures through `mentoring.selectors.session.session_figures`,
which reads dates, lengths, channels, counts and answers, never the text.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentoring.models.engagement import Channel
from mentoring.models.guideline import Guideline
from programmes.models import Pairing


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    LOGGED = "logged", "Logged"


class LearningKind(models.TextChoices):
    SUCCESS = "success", "A success"
    FAILURE = "failure", "A failure"
    BOTH = "both", "Both"


class MentoringSessionQuerySet(models.QuerySet):
    def logged(self) -> Self:
        return self.filter(status=SessionStatus.LOGGED)

    def visible_to(self, user) -> Self:
        """The pair only. The mentor sees the sessions of a pairing while it lasts, drafts
        included; the mentee sees their logged sessions, past pairings too. Leads see no
        rows: their figures come from `session_figures`."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(
                pairing__in=Pairing.objects.active().filter(
                    mentor__user=user, mentor__is_active=True
                )
            )
            | Q(mentee__user=user, mentee__is_active=True, status=SessionStatus.LOGGED)
        ).select_related("programme", "mentee__user", "mentor__user", "phase")


class MentoringSession(models.Model):
    """One mentoring meeting as the mentor logs it. `version` rises with every save; a save
    names the version it started from, so a stale save never overwrites silently."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="sessions")
    # Copied from the pairing so counts per programme and per mentee need no join.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="mentoring_sessions"
    )
    mentee = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="sessions_as_mentee"
    )
    mentor = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="sessions_as_mentor"
    )
    status = models.CharField(max_length=6, choices=SessionStatus, default=SessionStatus.DRAFT)
    held_at = models.DateTimeField("date and time", default=timezone.now)
    minutes = models.PositiveSmallIntegerField("length (minutes)", default=45)
    channel = models.CharField(max_length=10, choices=Channel, blank=True)
    phase = models.ForeignKey(
        "programmes.Phase", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topics = models.TextField(blank=True, max_length=10_000)
    sections = models.ManyToManyField(
        "playbooks.Section", blank=True, related_name="mentoring_sessions"
    )
    activities = models.ManyToManyField(
        "playbooks.Activity", blank=True, related_name="mentoring_sessions"
    )
    resonated = models.TextField("what resonated", blank=True, max_length=10_000)
    learning_shared = models.TextField("learning you shared", blank=True, max_length=10_000)
    learning_kind = models.CharField(max_length=7, choices=LearningKind, blank=True)
    next_session_on = models.DateField("next session", null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    logged_at = models.DateTimeField(null=True, blank=True)

    objects = MentoringSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-pk"]
        indexes = [
            models.Index(fields=["programme", "status", "held_at"], name="session_programme"),
            models.Index(fields=["mentee", "status", "held_at"], name="session_mentee"),
            models.Index(fields=["pairing", "status", "held_at"], name="session_pairing_held"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=480), name="session_length_sensible"
            ),
            models.UniqueConstraint(
                fields=["pairing"], condition=Q(status="draft"), name="one_draft_per_pairing"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor.user} with {self.mentee.user}, {self.held_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:session", kwargs={"slug": self.programme.slug, "pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == SessionStatus.DRAFT


class Owner(models.TextChoices):
    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"


class AgreedActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """An action is seen by whoever sees the session it was agreed in."""
        return self.filter(session__in=MentoringSession.objects.visible_to(user))

    def open(self) -> Self:
        return self.filter(done_at__isnull=True)


class AgreedAction(models.Model):
    """Something one side of the pair agreed to do by a date. It is carried forward, shown
    on every later log, until it is done."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="actions")
    mentee = models.ForeignKey(
        "programmes.Membership", on_delete=models.CASCADE, related_name="agreed_actions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    owner = models.CharField(max_length=6, choices=Owner, default=Owner.MENTEE)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The later session in which it was reviewed as done, if it was closed on a log.
    closed_in = models.ForeignKey(
        MentoringSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="closed_actions",
    )

    objects = AgreedActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "session_id", "position", "pk"]
        indexes = [models.Index(fields=["mentee", "done_at"], name="action_mentee_open")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_at is None and self.due_on is not None and self.due_on < timezone.now().date()
        )


class SelfCheck(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class GuidelineCheckQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(session__in=MentoringSession.objects.visible_to(user))


class GuidelineCheck(models.Model):
    """The mentor's own check, in one session, of how they kept to one guideline."""

    session = models.ForeignKey(
        MentoringSession, on_delete=models.CASCADE, related_name="guideline_checks"
    )
    guideline = models.ForeignKey(Guideline, on_delete=models.CASCADE, related_name="checks")
    answer = models.CharField(max_length=6, choices=SelfCheck, blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = GuidelineCheckQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "guideline"], name="one_check_per_guideline")
        ]

    def __str__(self) -> str:
        return f"{self.guideline}: {self.answer or 'not answered'}"


class Frequency(models.TextChoices):
    MORE = "more", "More often"
    ABOUT_RIGHT = "right", "About right"
    LESS = "less", "Less often"


class SessionFeedbackQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """The mentee's answers are read by the pair; leads see them only in aggregate."""
        return self.filter(session__in=MentoringSession.objects.visible_to(user))


class SessionFeedback(models.Model):
    """The mentee's rating of a session and their two short answers: was it a good way to
    meet, and is the frequency right."""

    session = models.OneToOneField(
        MentoringSession, on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    good_way_to_meet = models.BooleanField(null=True, blank=True)
    frequency = models.CharField(max_length=5, choices=Frequency, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    objects = SessionFeedbackQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="session_rating_one_to_five",
            )
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.session_id}"


class ReflectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """A reflection is the mentee's own; their mentor reads it only once it is shared."""
        if not user.is_authenticated:
            return self.none()
        sessions = MentoringSession.objects.visible_to(user)
        return self.filter(
            Q(session__mentee__user=user, session__in=sessions)
            | Q(shared=True, session__mentor__user=user, session__in=sessions)
        )


class Reflection(models.Model):
    """What the mentee takes from a session, kept private or shared with their mentor."""

    session = models.OneToOneField(
        MentoringSession, on_delete=models.CASCADE, related_name="reflection"
    )
    body = models.TextField()
    shared = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReflectionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Reflection on {self.session_id} ({'shared' if self.shared else 'private'})"
