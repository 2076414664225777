from django import forms

from mentoring.models import Cadence, Channel, EngagementPreference
from programmes.forms.rendering import RENDERER, fields_html
from programmes.forms.time_zones import TimeZoneField

DAYS = [(d.lower()[:3], d) for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]


class PreferencesForm(forms.ModelForm):
    """How a mentee likes to be mentored. Its fields are written in Python
    (`programmes.forms.rendering`): `form.html` is all of them."""

    default_renderer = RENDERER
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
    time_zone = TimeZoneField()

    class Meta:
        model = EngagementPreference
        fields = [
            "channels",
            "cadence",
            "session_minutes",
            "best_days",
            "best_times",
            "time_zone",
        ]
        labels = {
            "session_minutes": "Session length (minutes)",
            "best_times": "Best times",
        }
        help_texts = {
            "best_times": "In your own words, e.g. early mornings, or after 4 pm.",
        }
        widgets = {
            "session_minutes": forms.NumberInput(attrs={"min": 10, "max": 240, "step": 5}),
        }

    @property
    def html(self):
        return fields_html(self)

    def clean_session_minutes(self) -> int:
        minutes = self.cleaned_data["session_minutes"]
        if not 10 <= minutes <= 240:
            raise forms.ValidationError("Choose between 10 minutes and 4 hours.")
        return minutes
