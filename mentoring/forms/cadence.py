from django import forms

from mentoring.models import Cadence, Channel


class ProposeCadenceForm(forms.Form):
    cadence = forms.ChoiceField(choices=Cadence.choices, label="How often")
    channel = forms.ChoiceField(
        choices=[("", "Any"), *list(Channel.choices)], required=False, label="Usually by"
    )


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", "Accept"), ("0", "Decline")], coerce=lambda v: v == "1"
    )
