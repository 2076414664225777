from datetime import datetime, timedelta

from django import forms
from django.db.models import OuterRef, Subquery
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from mentoring.models import (
    Frequency,
    GuidelineCheck,
    LearningKind,
    MentoringSession,
    Owner,
    SelfCheck,
)
from mentoring.selectors.session_log import chosen_rows
from playbooks.models import Activity, Section
from programmes.forms.dates import DateField, DateTimeField, days_from_today, years_from_today
from programmes.forms.rendering import RENDERER, FieldsHtml, field_html


def _a_day_from_now() -> datetime:
    return timezone.now() + timedelta(days=1)


def _a_year_ago() -> datetime:
    return timezone.now() - timedelta(days=366)


class _ChoicesOnce(ModelChoiceIterator):
    """The choices from the queryset's own cache: Django's iterator queries afresh each time,
    so the page's check for any rows and the widget's rendering read the rows twice."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
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


class ChoiceOnce(forms.ModelChoiceField):
    """A select read from its queryset once, with a plain query rather than a cursor."""

    iterator = _ChoicesOnce


class SessionForm(forms.ModelForm):
    """The mentor's log. Guideline self-checks and carried-forward actions are added per
    session; the actions agreed in it come in `ActionFormSet`. Its fields are written in
    Python (`programmes.forms.rendering`): `form.html.<name>` is one field with its label."""

    default_renderer = RENDERER
    wrapper_classes = {"learning_kind": "session-form__inline"}

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

    # As the table's check allows, said in words: the browser's own limit does not apply to
    # a form it is told not to validate.
    minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=5,
        max_value=480,
        widget=forms.NumberInput(attrs={"step": 5}),
        error_messages={
            "min_value": "A session lasts 5 minutes at least.",
            "max_value": "A session lasts 480 minutes (8 hours) at most.",
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
            "resonated",
            "learning_shared",
            "learning_kind",
            "next_session_on",
        ]
        labels = {
            "topics": "Topics",
            "resonated": "What resonated",
            "learning_shared": "Learning you shared",
            "learning_kind": "It was",
        }
        help_texts = {
            "learning_shared": "A failure or a success from doing the activities yourself.",
        }
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 2}),
            "resonated": forms.Textarea(attrs={"rows": 2}),
            "learning_shared": forms.Textarea(attrs={"rows": 2}),
            "learning_kind": forms.RadioSelect,
        }
        field_classes = {"phase": ChoiceOnce}

    # The session's own many-to-many fields, declared here rather than listed in `Meta` so
    # that the form's initial ticks come from one query (`chosen_rows`), not one each.
    sections = RowsField(
        queryset=Section.objects.none(),
        required=False,
        label="Playbook sections discussed",
        widget=forms.CheckboxSelectMultiple,
    )
    activities = RowsField(
        queryset=Activity.objects.none(),
        required=False,
        label="Activities discussed",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, guidelines, carried, **kwargs):
        instance = kwargs["instance"]
        sections, activities = chosen_rows(instance) if instance.pk else ([], [])
        chosen = {"sections": sections, "activities": activities}
        kwargs["initial"] = chosen | (kwargs.get("initial") or {})
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
        if session.pk:  # each guideline with this session's check of it, in one query
            checks = GuidelineCheck.objects.filter(session=session, guideline=OuterRef("pk"))
            guidelines = guidelines.annotate(
                check_answer=Subquery(checks.values("answer")[:1]),
                check_note=Subquery(checks.values("note")[:1]),
            )
        self.guidelines = list(guidelines)
        for guideline in self.guidelines:
            self.fields[f"check_{guideline.pk}"] = forms.ChoiceField(
                label=guideline.text,
                choices=SelfCheck.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=getattr(guideline, "check_answer", None) or "",
            )
            self.fields[f"note_{guideline.pk}"] = forms.CharField(
                label="Note",
                max_length=300,
                required=False,
                initial=getattr(guideline, "check_note", None) or "",
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

    @property
    def html(self) -> FieldsHtml:
        return FieldsHtml(self, self.wrapper_classes)

    def check_fields(self) -> list[tuple[object, SafeString, SafeString]]:
        """(guideline, answer field, note field), each field with its label, for the
        template."""
        return [
            (
                g,
                field_html(self[f"check_{g.pk}"], extra_class="session-form__inline"),
                field_html(
                    self[f"note_{g.pk}"],
                    label=f"Note on “{g.text}”",
                    extra_class="session-guideline__note",
                ),
            )
            for g in self.guidelines
        ]

    def session_fields(self) -> dict:
        names = [*self.Meta.fields, "sections", "activities"]
        return {name: self.cleaned_data[name] for name in names}

    def checks(self) -> dict[int, tuple[str, str]]:
        return {
            g.pk: (self.cleaned_data[f"check_{g.pk}"], self.cleaned_data[f"note_{g.pk}"])
            for g in self.guidelines
        }


class ActionForm(forms.Form):
    """One agreed action. `mentee_label` is the programme's word for a mentee, for the
    "Who" select."""

    default_renderer = RENDERER
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

    def __init__(self, *args, mentee_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.mentee_label = mentee_label

    @property
    def html(self) -> FieldsHtml:
        return FieldsHtml(self, {"text": "session-action-row__text"})

    def owner_html(self) -> SafeString:
        """The "Who" select, its options in the programme's own word for a mentee rather
        than the model's "Mentee"."""
        field = self["owner"]
        invalid = ' aria-invalid="true"' if field.errors else ""
        mentee = capfirst(self.mentee_label)
        options = "".join(
            f'<option value="{escape(o.data["value"])}"'
            f"{' selected' if o.data['selected'] else ''}>"
            f"{escape(mentee if o.data['value'] == 'mentee' else o.choice_label)}</option>"
            for o in field.subwidgets
        )
        id_ = escape(field.id_for_label)
        return mark_safe(  # nosec B703 B308 # every value is escaped above
            f'<div class="field{" field--error" if field.errors else ""}">\n'
            f'  <label for="{id_}">{escape(field.label)}</label>\n'
            f"  {field.errors}\n"
            f'  <select name="{escape(field.html_name)}" id="{id_}"{invalid}>\n'
            f"    {options}\n  </select>\n</div>"
        )


ActionFormSet = forms.formset_factory(ActionForm, extra=3, renderer=RENDERER)


def action_formset(session: MentoringSession, data=None, *, actions=None):
    """The action rows: the saved actions to show, or exactly what was posted.

    A posted formset gets no `initial`: compared with it, a row the page added after it
    loaded (and an autosave gave an id) would look unchanged and be dropped as empty.
    `actions`: the session's own actions, if the caller has read them already."""
    label = {"mentee_label": session.programme.mentee_label}
    if data is not None:
        return ActionFormSet(data, prefix="actions", form_kwargs=label)
    initial = [
        {"id": a.pk, "text": a.text, "owner": a.owner, "due_on": a.due_on}
        for a in (session.actions.all() if actions is None else actions)
    ]
    return ActionFormSet(initial=initial, prefix="actions", form_kwargs=label)


def yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class ReflectionForm(forms.Form):
    """The mentee's side of a session."""

    default_renderer = RENDERER

    body = forms.CharField(
        label="Your reflection",
        required=False,
        max_length=20_000,
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
