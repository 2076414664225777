"""Forms for the self-assessment: a mentee's answers, and a lead's questions."""

from __future__ import annotations

from django import forms

from programmes.models import AssessmentQuestion, Dimension, Phase, QuestionKind

SCORES = [(n, str(n)) for n in range(1, 6)]


def field_name(question: AssessmentQuestion) -> str:
    return f"q{question.pk}"


class AssessmentForm(forms.Form):
    """One round of answers. Every answer is optional here: a draft may be partial, and
    what submitting needs is checked by `missing()` and the service."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[AssessmentQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field: forms.Field
            if question.kind == QuestionKind.SCALE:
                field = forms.TypedChoiceField(
                    label=question.prompt,
                    choices=SCORES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": "Choose a score from 1 to 5."},
                )
            else:
                field = forms.CharField(
                    label=question.prompt,
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
            field.question = question  # type: ignore[union-attr]  # an ad-hoc tag
            field.help_text = question.help_text
            self.fields[field_name(question)] = field

    @classmethod
    def for_round(cls, assessment, round_) -> AssessmentForm:
        """An unbound form holding what is saved now."""
        initial = {"version": round_.version}
        for question_id, answer in round_.answers.items():
            initial[f"q{question_id}"] = answer.score or answer.text or None
        return cls(initial=initial, questions=assessment.questions)

    def answers(self) -> dict[int, int | str | None]:
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def missing(self) -> list[AssessmentQuestion]:
        answers = self.answers()
        return [q for q in self.questions if q.kind == QuestionKind.SCALE and not answers[q.pk]]

    def flag_missing(self, missing: list[AssessmentQuestion]) -> None:
        for question in missing:
            self.add_error(field_name(question), "Choose a score from 1 to 5 to submit.")

    def field_for(self, question: AssessmentQuestion) -> forms.BoundField:
        return self[field_name(question)]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of question",
        choices=QuestionKind.choices,
        initial=QuestionKind.SCALE,
        widget=forms.RadioSelect,
    )
    topic = forms.CharField(
        max_length=80,
        required=False,
        help_text="Scored questions: the skill or platform, e.g. LinkedIn.",
    )
    dimension = forms.ChoiceField(
        choices=[("", "—"), *Dimension.choices],
        required=False,
        help_text="Scored questions: what the 1 to 5 measures.",
    )
    prompt = forms.CharField(
        label="Question",
        max_length=300,
        required=False,
        help_text="For a scored question, leave empty to use “<topic>: your <dimension>”.",
    )
    help_text = forms.CharField(label="Help for the mentee", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == QuestionKind.SCALE:
            if not data.get("topic"):
                self.add_error("topic", "A scored question needs a topic.")
            if not data.get("dimension"):
                self.add_error("dimension", "Choose confidence or capability.")
        elif data.get("kind") == QuestionKind.TEXT and not data.get("prompt"):
            self.add_error("prompt", "A written question needs its question.")
        return data


class FollowUpPointForm(forms.Form):
    phase = forms.ModelChoiceField(
        queryset=Phase.objects.none(),
        required=False,
        empty_label="At the end of the programme",
        label="The follow-up opens",
        help_text="The same questions again, so each mentee sees their own before and after.",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = programme.phases.order_by("position")
        self.fields["phase"].label_from_instance = lambda phase: f"When they complete {phase.name}"
