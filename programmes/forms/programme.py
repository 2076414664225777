from django import forms

from programmes.models import Programme


class DatesInOrder:
    """A programme, or its copy, ends after it starts."""

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The programme must end after it starts.")
        return cleaned


class ProgrammeCreateForm(DatesInOrder, forms.Form):
    name = forms.CharField(max_length=200, label="Programme name")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    from_template = forms.TypedChoiceField(
        label="Start from",
        choices=[
            ("1", "The Social Adoption Programme: five phases and a baseline assessment"),
            ("0", "A blank programme: add your own phases"),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ProgrammeSettingsForm(DatesInOrder, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "description", "status", "starts_on", "ends_on", "mentee_label"]
        labels = {"mentee_label": "Word for a mentee"}
        help_texts = {"mentee_label": "Shown everywhere in this programme, e.g. partner."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class DuplicateForm(DatesInOrder, forms.Form):
    name = forms.CharField(max_length=200, label="Name of the new programme")
    starts_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
