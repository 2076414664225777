"""Forms for the activity checklist and the business strategy. They validate, nothing else."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms

from playbooks.models import Activity, Recurrence
from programmes.blueprints import ASSESSMENT_TOPICS
from programmes.forms.dates import DateField
from programmes.models import Phase


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "platform",
            "evidence",
            "recurrence",
            "times",
            "applies_from",
            "skill",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "platform": forms.TextInput(attrs={"list": "activity-topics"}),
            "skill": forms.TextInput(attrs={"list": "activity-topics"}),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applies_from"].queryset = Phase.objects.filter(programme=programme)
        self.fields["applies_from"].empty_label = "From the start"
        self.fields["times"].min_value = 1
        self.fields["times"].widget.attrs.update(min=1, max=50)
        self.topics = ASSESSMENT_TOPICS

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("recurrence") == Recurrence.ONCE:
            cleaned["times"] = 1
        return cleaned


# Completions count towards this week's, fortnight's and month's targets and streaks; a
# year back is generous for catching up, and keeps dates within what the period maths reach.
MAX_DAYS_BACK = 366


class CompletionForm(forms.Form):
    done_on = DateField(
        label="Done on",
        error_messages={
            "too_early": "That is more than a year ago; log recent activities.",
            "too_late": "Log an activity once you have done it, not before.",
        },
    )
    evidence_url = forms.URLField(
        label="Evidence link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="A link to the post, article or video, if there is one.",
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, today: date, **kwargs):
        """`today` is the person's own, in their time zone: the day shown to start from, and
        the last day that can be logged."""
        kwargs.setdefault("initial", {"done_on": today})
        super().__init__(*args, **kwargs)
        done_on = self.fields["done_on"]
        assert isinstance(done_on, DateField)
        done_on.earliest, done_on.latest = today - timedelta(days=MAX_DAYS_BACK), today


class MentorCompletionForm(CompletionForm):
    what_worked = forms.CharField(
        label="What worked",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Your partners see this beside their own checklist.",
    )
    what_failed = forms.CharField(
        label="What didn't",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Failures teach as much as successes; share them too.",
    )


class PersonalTargetForm(forms.Form):
    per_week = forms.IntegerField(
        label="Activities a week",
        required=False,
        min_value=1,
        max_value=50,
        help_text="Your own pace. Leave it empty to have none.",
    )
