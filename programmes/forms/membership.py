from django import forms
from django.utils import timezone

from programmes.services.membership import one_year_after


class PauseForm(forms.Form):
    until = forms.DateField(
        label="Pause until",
        help_text="No reminders and no pace worries until the end of this day.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Choose the last day of the pause."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # A hint for the browser's date picker; the service checks the range.
        self.fields["until"].widget.attrs |= {
            "min": today.isoformat(),
            "max": one_year_after(today).isoformat(),
        }
