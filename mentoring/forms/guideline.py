from django import forms

from mentoring.models import (
    Guideline,
)


class GuidelineForm(forms.ModelForm):
    class Meta:
        model = Guideline
        fields = ["text"]
        labels = {"text": "Guideline"}
