from datetime import date

from django import forms
from django.utils import timezone

from programmes.forms.dates import DateField
from programmes.services.membership import one_year_after


def _a_year_from_today() -> date:
    return one_year_after(timezone.localdate())


class PauseForm(forms.Form):
    # The service's range (`pause`), here too so the refusal is the field's and the browser's
    # picker offers only these days.
    until = DateField(
        label="Pause until",
        help_text="No reminders and no pace worries until the end of this day.",
        earliest=timezone.localdate,
        latest=_a_year_from_today,
        error_messages={
            "required": "Choose the last day of the pause.",
            "too_early": "Choose a day from today onwards.",
            "too_late": "Pause for a year at most: until %(latest)s at the latest.",
        },
    )
