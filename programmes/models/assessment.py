from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q
from django.utils import timezone

from programmes.models.membership import Membership
from programmes.models.programme import Programme, Role


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Score from 1 to 5"
    TEXT = "text", "Written answer"


class Dimension(models.TextChoices):
    CONFIDENCE = "confidence", "Confidence"
    CAPABILITY = "capability", "Capability"


class AssessmentQuestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        return self.filter(programme__in=Programme.objects.visible_to(user))


class AssessmentQuestion(models.Model):
    """One question of a programme's self-assessment, asked at baseline and at follow-up."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="assessment_questions"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=QuestionKind, default=QuestionKind.SCALE)
    topic = models.CharField(
        max_length=80, blank=True, help_text="The skill or platform, e.g. LinkedIn."
    )
    dimension = models.CharField(max_length=12, choices=Dimension, blank=True)
    prompt = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)

    objects = AssessmentQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "position"]
        indexes = [
            models.Index(fields=["programme", "position"], name="question_programme_position")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="text") | ~Q(dimension=""), name="scale_questions_have_dimension"
            )
        ]

    def __str__(self) -> str:
        return self.prompt


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    FOLLOW_UP = "follow_up", "Follow-up"


class AssessmentResponseQuerySet(models.QuerySet):
    def visible_to(self, user) -> Self:
        """Answers are edited by the mentee and read by their mentor and programme leads."""
        return self.filter(membership__in=Membership.objects.visible_to(user))


class AssessmentResponse(models.Model):
    """One mentee's answers to one round of the assessment: a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="assessments",
        limit_choices_to={"role": Role.MENTEE},
    )
    kind = models.CharField(max_length=10, choices=AssessmentKind)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentResponseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind"], name="one_response_per_round")
        ]
        indexes = [models.Index(fields=["membership", "status"], name="response_membership")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.membership.user} ({self.status})"


class AssessmentAnswer(models.Model):
    response = models.ForeignKey(
        AssessmentResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        AssessmentQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="score_from_one_to_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score or self.text[:40]}"
