from datetime import datetime, timedelta

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from mentoring.models import (
    Frequency,
    LearningKind,
    MentoringSession,
    Owner,
    SelfCheck,
)
from playbooks.models import Activity, Section
from programmes.forms.dates import DateField, DateTimeField, days_from_today, years_from_today


def _a_day_from_now() -> datetime:
    return timezone.now() + timedelta(days=1)


def _a_year_ago() -> datetime:
    return timezone.now() - timedelta(days=366)


class _ChoicesOnce(ModelChoiceIterator):
    """The choices from the queryset's own cache: Django's iterator queries afresh each time,
    so the page's check for any rows and the widget's rendering read the rows twice."""

    def __iter__(self):
        for obj in self.queryset:
            yield self.choice(obj)


class RowsField(forms.ModelMultipleChoiceField):
    """Rows ticked by id, read once per form. An id past what a 64-bit column holds is
    refused as not one of the choices: Django guards `=` lookups against it but not `IN`,
    where SQLite raises."""

    iterator = _ChoicesOnce

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                too_big = abs(int(pk)) >= 2**63
            except (TypeError, ValueError):
                continue  # not a number: refused as usual
            if too_big:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class SessionForm(forms.ModelForm):
    """The mentor's log. Guideline self-checks and carried-forward actions are added per
    session; the actions agreed in it come in `ActionFormSet`."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    held_at = DateTimeField(
        label="Date and time",
        earliest=_a_year_ago,
        latest=_a_day_from_now,
        error_messages={
            "too_early": "That is more than a year ago.",
            "too_late": "Log a session once it has happened.",
        },
    )
    next_session_on = DateField(
        label="Next session",
        required=False,
        help_text="Open actions without a due date are due then.",
        earliest=days_from_today(-366),
        latest=days_from_today(366),
        error_messages={
            "too_early": "Choose a date within a year.",
            "too_late": "Choose a date within a year.",
        },
    )

    class Meta:
        model = MentoringSession
        fields = [
            "held_at",
            "minutes",
            "channel",
            "phase",
            "topics",
            "sections",
            "activities",
            "resonated",
            "learning_shared",
            "learning_kind",
            "next_session_on",
        ]
        labels = {
            "topics": "Topics",
            "sections": "Playbook sections discussed",
            "activities": "Activities discussed",
            "resonated": "What resonated",
            "learning_shared": "Learning you shared",
            "learning_kind": "It was",
        }
        help_texts = {
            "learning_shared": "A failure or a success from doing the activities yourself.",
        }
        widgets = {
            "minutes": forms.NumberInput(attrs={"min": 5, "max": 480, "step": 5}),
            "topics": forms.Textarea(attrs={"rows": 2}),
            "resonated": forms.Textarea(attrs={"rows": 2}),
            "learning_shared": forms.Textarea(attrs={"rows": 2}),
            "sections": forms.CheckboxSelectMultiple,
            "activities": forms.CheckboxSelectMultiple,
            "learning_kind": forms.RadioSelect,
        }
        field_classes = {"sections": RowsField, "activities": RowsField}

    def __init__(self, *args, guidelines, carried, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        self.fields["phase"].queryset = session.programme.phases.order_by("position")
        self.fields["sections"].queryset = (
            Section.objects.filter(playbook__membership_id=session.mentee_id)
            .shown()
            .in_order()
            # Each label names the section and its mentee (`Section.__str__`).
            .select_related("template_section", "playbook__membership__user")
        )
        self.fields["activities"].queryset = (
            Activity.objects.filter(programme_id=session.programme_id)
            .current()
            .open_to(session.mentee)
        )
        self.fields["learning_kind"].choices = [("", "Not said"), *LearningKind.choices]
        self.fields["learning_kind"].required = False
        self.guidelines = list(guidelines)
        checks = {c.guideline_id: c for c in session.guideline_checks.all()} if session.pk else {}
        for guideline in self.guidelines:
            check = checks.get(guideline.pk)
            self.fields[f"check_{guideline.pk}"] = forms.ChoiceField(
                label=guideline.text,
                choices=SelfCheck.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=check.answer if check else "",
            )
            self.fields[f"note_{guideline.pk}"] = forms.CharField(
                label="Note",
                max_length=300,
                required=False,
                initial=check.note if check else "",
            )
        self.carried = list(carried)
        self.fields["done_actions"] = forms.TypedMultipleChoiceField(
            label="Done since",
            choices=[(a.pk, a.text) for a in self.carried],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=[a.pk for a in self.carried if a.done_at],
        )

    def check_fields(self):
        """(guideline, answer field, note field) for the template."""
        return [(g, self[f"check_{g.pk}"], self[f"note_{g.pk}"]) for g in self.guidelines]

    def session_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def checks(self) -> dict[int, tuple[str, str]]:
        return {
            g.pk: (self.cleaned_data[f"check_{g.pk}"], self.cleaned_data[f"note_{g.pk}"])
            for g in self.guidelines
        }


class ActionForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label="Action", max_length=300, required=False)
    owner = forms.ChoiceField(label="Who", choices=Owner.choices, initial=Owner.MENTEE)
    # Refuses a slip of the year (0026 for 2026, which the browser's picker lets through);
    # a due date more than two years ahead is one too.
    due_on = DateField(
        label="Due",
        required=False,
        latest=years_from_today(2),
        error_messages={
            "too_early": "Choose a due date between %(earliest)s and %(latest)s.",
            "too_late": "Choose a due date between %(earliest)s and %(latest)s.",
        },
    )


ActionFormSet = forms.formset_factory(ActionForm, extra=3)


def action_formset(session: MentoringSession, data=None):
    """The action rows: the saved actions to show, or exactly what was posted.

    A posted formset gets no `initial`: compared with it, a row the page added after it
    loaded (and an autosave gave an id) would look unchanged and be dropped as empty."""
    if data is not None:
        return ActionFormSet(data, prefix="actions")
    initial = [
        {"id": a.pk, "text": a.text, "owner": a.owner, "due_on": a.due_on}
        for a in session.actions.all()
    ]
    return ActionFormSet(initial=initial, prefix="actions")


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReflectionForm(forms.Form):
    """The mentee's side of a session."""

    body = forms.CharField(
        label="Your reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you take from the session. Private unless you share it.",
    )
    shared = forms.BooleanField(label="Share this reflection with my mentor", required=False)
    rating = forms.TypedChoiceField(
        label="How was the session? (1 = poor, 5 = excellent)",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    good_way_to_meet = forms.TypedChoiceField(
        label="Was this a good way to meet?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    frequency = forms.ChoiceField(
        label="Is how often you meet right?",
        choices=Frequency.choices,
        required=False,
        widget=forms.RadioSelect,
    )
