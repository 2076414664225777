from django import forms

from programmes.blueprints import ASSESSMENT_TOPICS

from .models import Cadence, Channel, EngagementPreference, Reminders, time_zone_choices

DAYS = [(d.lower()[:3], d) for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]


class PreferencesForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        label="How you like to meet",
        help_text="Tick every way that works for you.",
    )
    cadence = forms.ChoiceField(
        choices=Cadence.choices, widget=forms.RadioSelect, label="How often"
    )
    best_days = forms.MultipleChoiceField(
        choices=DAYS, widget=forms.CheckboxSelectMultiple, required=False, label="Best days"
    )
    time_zone = forms.ChoiceField(choices=time_zone_choices)
    reminders = forms.ChoiceField(
        choices=Reminders.choices, widget=forms.RadioSelect, label="Reminders"
    )

    class Meta:
        model = EngagementPreference
        fields = [
            "channels",
            "cadence",
            "session_minutes",
            "best_days",
            "best_times",
            "time_zone",
            "reminders",
            "quiet_from",
            "quiet_until",
        ]
        labels = {
            "session_minutes": "Session length (minutes)",
            "best_times": "Best times",
            "quiet_from": "Quiet hours from",
            "quiet_until": "Quiet hours until",
        }
        help_texts = {
            "best_times": "In your own words, e.g. early mornings, or after 4 pm.",
            "quiet_from": "No reminders between these times.",
        }
        widgets = {
            "session_minutes": forms.NumberInput(attrs={"min": 10, "max": 240, "step": 5}),
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean_session_minutes(self) -> int:
        minutes = self.cleaned_data["session_minutes"]
        if not 10 <= minutes <= 240:
            raise forms.ValidationError("Choose between 10 minutes and 4 hours.")
        return minutes

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("quiet_from")) != bool(cleaned.get("quiet_until")):
            self.add_error("quiet_until", "Give both ends of your quiet hours, or neither.")
        return cleaned


class ProposeCadenceForm(forms.Form):
    cadence = forms.ChoiceField(choices=Cadence.choices, label="How often")
    channel = forms.ChoiceField(
        choices=[("", "Any"), *list(Channel.choices)], required=False, label="Usually by"
    )


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", "Accept"), ("0", "Decline")], coerce=lambda v: v == "1"
    )


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What isn't working?",
        help_text="Only your programme lead reads this.",
    )


class PairForm(forms.Form):
    mentor = forms.TypedChoiceField(coerce=int, label="Mentor")
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why the change",
        help_text="Needed when they have a mentor already; both sides can read it.",
    )

    def __init__(self, *args, mentors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [(m.pk, m.user.display_name) for m in mentors]


class EndPairingForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it ends")


class MentorProfileForm(forms.Form):
    capacity = forms.IntegerField(
        min_value=0,
        max_value=30,
        label="How many partners you can take",
        help_text="Leads can't pair you with more than this.",
    )
    strengths = forms.MultipleChoiceField(
        choices=[(t, t) for t in ASSESSMENT_TOPICS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What you are strong in",
        help_text="Suggestions match you with partners who are weakest there.",
    )
