"""The self-assessment: a mentee's baseline and follow-up answers, and the lead's questions.

A mentee's answers are a draft until submitted, and only they change them. Every save
carries the version it was made from, so a save from an older copy (another tab, another
device) is refused instead of silently overwriting newer answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from programmes.errors import Conflict, Invalid
from programmes.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentQuestion,
    AssessmentResponse,
    AuditAction,
    Dimension,
    Membership,
    Phase,
    PhaseProgress,
    PhaseStatus,
    Programme,
    QuestionKind,
    Role,
)
from programmes.ordering import swap_with_neighbour
from programmes.policy import Actor, is_own, require_lead
from programmes.services import audit
from programmes.services.progress import check_progress

Submitted = AssessmentResponse.Status.SUBMITTED


class AssessmentError(Invalid):
    """A change that cannot be made; the message says why, for the person who tried."""


class StaleAssessment(AssessmentError, Conflict):
    """The answers were saved from somewhere else since this copy was opened."""

    def __init__(self, response: AssessmentResponse | None) -> None:
        self.response = response
        super().__init__(
            "Your answers were not saved: they were changed somewhere else (another tab or "
            "device) after you opened this page."
        )


class AlreadySubmitted(AssessmentError, Conflict):
    def __init__(self, response: AssessmentResponse) -> None:
        self.response = response
        super().__init__("This assessment is submitted already, so it can no longer be changed.")


class IncompleteAssessment(AssessmentError):
    def __init__(self, missing: list[AssessmentQuestion]) -> None:
        self.missing = missing
        super().__init__(f"Answer every scored question to submit ({len(missing)} to go).")


# --- Reading ------------------------------------------------------------------------------


@dataclass
class TopicRow:
    """One skill or platform, with whatever belongs in its confidence and capability cells."""

    topic: str
    confidence: Any = None
    capability: Any = None


def topic_rows(
    questions: Iterable[AssessmentQuestion], cell: Callable[[AssessmentQuestion], Any]
) -> list[TopicRow]:
    """Scored questions as one row per topic, in the order the topics first appear."""
    rows: dict[str, TopicRow] = {}
    for question in questions:
        if question.kind != QuestionKind.SCALE:
            continue
        row = rows.setdefault(question.topic, TopicRow(question.topic))
        setattr(row, question.dimension, cell(question))
    return list(rows.values())


def missing_scores(
    questions: Iterable[AssessmentQuestion], scores: Mapping[int, int | None]
) -> list[AssessmentQuestion]:
    return [q for q in questions if q.kind == QuestionKind.SCALE and not scores.get(q.pk)]


@dataclass
class Round:
    """One mentee's baseline or follow-up: the response (if any) and its answers by question."""

    kind: str
    response: AssessmentResponse | None = None
    answers: dict[int, AssessmentAnswer] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return AssessmentKind(self.kind).label

    @property
    def version(self) -> int:
        return self.response.version if self.response else 0

    @property
    def is_submitted(self) -> bool:
        return bool(self.response and self.response.status == Submitted)

    @property
    def is_started(self) -> bool:
        return self.response is not None

    def scores(self) -> dict[int, int | None]:
        return {qid: answer.score for qid, answer in self.answers.items()}

    def answered(self, questions: Iterable[AssessmentQuestion]) -> int:
        scores = self.scores()
        return sum(1 for q in questions if q.kind == QuestionKind.SCALE and scores.get(q.pk))


@dataclass
class FollowUpPoint:
    is_open: bool
    opens_when: str


@dataclass
class Change:
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class Assessment:
    """Everything the assessment pages show about one mentee."""

    membership: Membership
    questions: list[AssessmentQuestion]
    baseline: Round
    follow_up: Round
    follow_up_point: FollowUpPoint

    def round(self, kind: str) -> Round:
        return self.baseline if kind == AssessmentKind.BASELINE else self.follow_up

    @property
    def scale_count(self) -> int:
        return sum(1 for q in self.questions if q.kind == QuestionKind.SCALE)

    @property
    def text_questions(self) -> list[AssessmentQuestion]:
        return [q for q in self.questions if q.kind == QuestionKind.TEXT]

    def rows(self, round_: Round) -> list[TopicRow]:
        scores = round_.scores()
        return topic_rows(self.questions, lambda q: scores.get(q.pk))

    def texts(self, round_: Round) -> list[tuple[AssessmentQuestion, str]]:
        answers = round_.answers
        return [(q, answers[q.pk].text if q.pk in answers else "") for q in self.text_questions]

    @property
    def baseline_answered(self) -> int:
        return self.baseline.answered(self.questions)

    @property
    def follow_up_answered(self) -> int:
        return self.follow_up.answered(self.questions)

    @property
    def baseline_rows(self) -> list[TopicRow]:
        return self.rows(self.baseline)

    @property
    def follow_up_rows(self) -> list[TopicRow]:
        return self.rows(self.follow_up)

    @property
    def baseline_texts(self) -> list[tuple[AssessmentQuestion, str]]:
        return self.texts(self.baseline)

    @property
    def follow_up_texts(self) -> list[tuple[AssessmentQuestion, str]]:
        return self.texts(self.follow_up)

    def comparison(self) -> list[TopicRow]:
        """Before and after per topic, once both rounds are submitted."""
        before, after = self.baseline.scores(), self.follow_up.scores()
        return topic_rows(self.questions, lambda q: Change(before.get(q.pk), after.get(q.pk)))

    def text_comparison(self) -> list[tuple[AssessmentQuestion, str, str]]:
        before, after = self.baseline.answers, self.follow_up.answers
        return [
            (
                q,
                before[q.pk].text if q.pk in before else "",
                after[q.pk].text if q.pk in after else "",
            )
            for q in self.text_questions
        ]


def follow_up_point(membership: Membership) -> FollowUpPoint:
    """Whether the follow-up is open for this mentee: when they complete the phase the lead
    chose, or, if none is chosen, when they are operationalised."""
    phase = membership.programme.follow_up_after
    if membership.operationalised_at is not None:
        return FollowUpPoint(True, "")
    if phase is None:
        return FollowUpPoint(False, "It opens when you finish the programme.")
    done = PhaseProgress.objects.filter(
        membership=membership, phase=phase, status=PhaseStatus.COMPLETE
    ).exists()
    return FollowUpPoint(done, f"It opens when you complete the {phase.name} phase.")


def load_assessment(membership: Membership, *, include_drafts: bool) -> Assessment:
    """A mentee's questions, both rounds and their answers, in a fixed number of queries.

    Drafts are the mentee's own: pass `include_drafts=False` for anyone else."""
    questions = list(AssessmentQuestion.objects.filter(programme_id=membership.programme_id))
    responses = AssessmentResponse.objects.filter(membership=membership)
    if not include_drafts:
        responses = responses.filter(status=Submitted)
    rounds = {kind: Round(kind) for kind in AssessmentKind.values}
    for response in responses:
        response.membership = membership
        rounds[response.kind].response = response
    started = [r.response.pk for r in rounds.values() if r.response]
    if started:
        by_response = {r.response.pk: r for r in rounds.values() if r.response}
        for answer in AssessmentAnswer.objects.filter(response_id__in=started):
            by_response[answer.response_id].answers[answer.question_id] = answer
    point = follow_up_point(membership)
    if rounds[AssessmentKind.FOLLOW_UP].is_started:
        point.is_open = True  # once begun, moving back a phase does not take it away
    return Assessment(
        membership,
        questions,
        rounds[AssessmentKind.BASELINE],
        rounds[AssessmentKind.FOLLOW_UP],
        point,
    )


# --- A mentee's answers -----------------------------------------------------------------


def _locked_response(membership: Membership, kind: str, version: int) -> AssessmentResponse:
    response = (
        AssessmentResponse.objects.select_for_update().filter(membership=membership, kind=kind)
    ).first()
    if response is None:
        if version != 0:
            raise StaleAssessment(None)
        try:
            with transaction.atomic():
                return AssessmentResponse.objects.create(
                    membership=membership, kind=kind, version=0
                )
        except IntegrityError:  # another save created it a moment ago
            raise StaleAssessment(None) from None
    if response.status == Submitted:
        raise AlreadySubmitted(response)
    if response.version != version:
        raise StaleAssessment(response)
    return response


@transaction.atomic
def save_assessment(
    *,
    membership: Membership,
    kind: str,
    version: int,
    answers: Mapping[int, int | str | None],
    submit: bool = False,
    by: Actor,
    at: datetime | None = None,
) -> AssessmentResponse:
    """Save a mentee's answers as a draft, or submit them.

    `version` is the version the answers were edited from (0 for none yet); anything else
    than the saved version is refused. Scores are 1 to 5 and blank is allowed in a draft;
    submitting needs every scored question answered. Submitting the baseline checks
    whether the mentee has now finished their current phase."""
    if not is_own(by, membership) or membership.role != Role.MENTEE:
        raise AssessmentError("Only the mentee fills in their own assessment.")
    if (
        kind == AssessmentKind.FOLLOW_UP
        and not follow_up_point(membership).is_open
        and not AssessmentResponse.objects.filter(membership=membership, kind=kind).exists()
    ):
        raise AssessmentError("The follow-up is not open yet.")
    at = at or timezone.now()
    response = _locked_response(membership, kind, version)
    questions = {
        q.pk: q for q in AssessmentQuestion.objects.filter(programme_id=membership.programme_id)
    }
    existing = {a.question_id: a for a in response.answers.all()}
    new: list[AssessmentAnswer] = []
    changed: list[AssessmentAnswer] = []
    for question_id, value in answers.items():
        question = questions.get(question_id)
        if question is None:
            continue  # removed by a lead since the page was opened
        answer = existing.get(question_id)
        if answer is None:
            if value in (None, ""):
                continue  # no row for a question left blank
            answer = AssessmentAnswer(response=response, question=question)
        if question.kind == QuestionKind.SCALE:
            answer.score = int(value) if value else None
        else:
            answer.text = str(value or "").strip()
        (changed if answer.pk else new).append(answer)
        existing[question_id] = answer
    AssessmentAnswer.objects.bulk_create(new)
    AssessmentAnswer.objects.bulk_update(changed, ["score", "text"])
    if submit:
        if not questions:
            # Nothing to answer yet: a submitted round would be empty, final, and would move
            # the mentee on past a baseline they never took.
            raise AssessmentError(
                "This self-assessment has no questions yet, so there is nothing to submit. "
                "Your programme lead adds them; you can come back then."
            )
        scores = {qid: answer.score for qid, answer in existing.items()}
        if missing := missing_scores(questions.values(), scores):
            raise IncompleteAssessment(missing)
        response.status, response.submitted_at = Submitted, at
    response.version += 1
    response.updated_at = at
    response.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    if submit and kind == AssessmentKind.BASELINE:
        check_progress(membership=membership, at=at)
    return response


# --- The lead's questions ----------------------------------------------------------------


def with_submitted_answers(
    questions: QuerySet[AssessmentQuestion],
) -> QuerySet[AssessmentQuestion]:
    """Annotate each question with how many submitted answers it has (`submitted_answers`)."""
    return questions.annotate(
        submitted_answers=Count("answers", filter=Q(answers__response__status=Submitted))
    )


def _refuse_if_answered(question: AssessmentQuestion, doing: str) -> None:
    if question.answers.filter(response__status=Submitted).exists():
        raise AssessmentError(
            f"Mentees have submitted answers to “{question.prompt}”, so it can no longer be "
            f"{doing}; their answers would lose their question. Add a new question instead."
        )


def _check_fields(programme: Programme, fields: dict, exclude: int | None = None) -> dict:
    fields = dict(fields)
    if fields["kind"] == QuestionKind.TEXT:
        fields["topic"], fields["dimension"] = "", ""
    else:
        if fields["dimension"] not in Dimension.values or not fields["topic"]:
            raise AssessmentError("A scored question needs a topic and a dimension.")
        clash = AssessmentQuestion.objects.filter(
            programme=programme,
            kind=QuestionKind.SCALE,
            topic__iexact=fields["topic"],
            dimension=fields["dimension"],
        )
        if exclude is not None:
            clash = clash.exclude(pk=exclude)
        if clash.exists():
            raise AssessmentError(
                f"There is a {fields['dimension']} question on {fields['topic']} already."
            )
        if not fields.get("prompt"):
            fields["prompt"] = f"{fields['topic']}: your {fields['dimension']}"
    return fields


@transaction.atomic
@audit.audited(AuditAction.QUESTION_CHANGED, audit.question_summary("Added"))
def add_question(
    *,
    programme: Programme,
    by: Actor,
    kind: str,
    prompt: str = "",
    topic: str = "",
    dimension: str = "",
    help_text: str = "",
) -> AssessmentQuestion:
    """Add a question at the end. Mentees who submitted already simply have no answer to it."""
    require_lead(by, programme)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    fields = _check_fields(
        programme,
        {"kind": kind, "prompt": prompt, "topic": topic, "dimension": dimension},
    )
    last = programme.assessment_questions.aggregate(last=Max("position"))["last"] or 0
    return AssessmentQuestion.objects.create(
        programme=programme, position=last + 1, help_text=help_text, **fields
    )


@transaction.atomic
@audit.audited(AuditAction.QUESTION_CHANGED, audit.question_summary("Changed"))
def change_question(
    *,
    question: AssessmentQuestion,
    by: Actor,
    kind: str,
    prompt: str = "",
    topic: str = "",
    dimension: str = "",
    help_text: str = "",
) -> AssessmentQuestion:
    """Change a question nobody has submitted an answer to yet."""
    require_lead(by, question.programme_id)
    question = AssessmentQuestion.objects.select_for_update().get(pk=question.pk)
    _refuse_if_answered(question, "changed")
    fields = _check_fields(
        question.programme,
        {"kind": kind, "prompt": prompt, "topic": topic, "dimension": dimension},
        exclude=question.pk,
    )
    if fields["kind"] != question.kind:
        # A draft score means nothing for a written question, nor a draft text for a score.
        question.answers.all().delete()
    for name, value in {**fields, "help_text": help_text}.items():
        setattr(question, name, value)
    question.save()
    return question


@transaction.atomic
@audit.audited(AuditAction.QUESTION_CHANGED, audit.question_summary("Moved"))
def move_question(*, question: AssessmentQuestion, by: Actor, up: bool) -> AssessmentQuestion:
    """Swap a question with its neighbour. Answers stay with their questions."""
    require_lead(by, question.programme_id)
    siblings = AssessmentQuestion.objects.filter(programme_id=question.programme_id)
    if not swap_with_neighbour(siblings, question, up=up):
        raise AssessmentError("That question is already " + ("first." if up else "last."))
    return question


@transaction.atomic
@audit.audited(AuditAction.QUESTION_CHANGED, audit.question_summary("Removed"))
def remove_question(*, question: AssessmentQuestion, by: Actor) -> None:
    """Remove a question nobody has submitted an answer to yet (drafts lose that answer)."""
    require_lead(by, question.programme_id)
    question = AssessmentQuestion.objects.select_for_update().get(pk=question.pk)
    _refuse_if_answered(question, "removed")
    programme_id, position = question.programme_id, question.position
    question.delete()
    AssessmentQuestion.objects.filter(programme_id=programme_id, position__gt=position).update(
        position=F("position") - 1
    )


@transaction.atomic
def set_follow_up_point(*, programme: Programme, phase: Phase | None, by: Actor) -> Programme:
    """When the follow-up opens: on completing `phase`, or (None) at the end of the programme."""
    require_lead(by, programme)
    if phase is not None and phase.programme_id != programme.pk:
        raise AssessmentError("Choose one of this programme's phases.")
    programme.follow_up_after = phase
    programme.save(update_fields=["follow_up_after"])
    return programme
