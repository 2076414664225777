from django import forms

from programmes.forms.dates import DateField
from programmes.models import ExitCriterion, Phase
from programmes.services.phase import name_taken, spell_sections

PLANNED_HELP = (
    "How long a {mentee} usually spends in this phase. Pace checks compare each person's "
    "days in the phase with it; leave it empty to judge on other signs only."
)


class PhaseForm(forms.ModelForm):
    exit_count = forms.IntegerField(
        label="How many",
        min_value=1,
        max_value=100,
        initial=1,
        help_text="Workshops attended or sessions held, for those criteria.",
    )
    exit_sections = forms.CharField(
        required=False,
        max_length=5_000,
        label="Playbook sections",
        help_text="For the playbook criterion: section titles, one per line. Empty means all.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    expected_weeks = forms.IntegerField(
        required=False,
        label="Planned length, in weeks",
        min_value=1,
        max_value=104,
        help_text=PLANNED_HELP.format(mentee="mentee"),
    )

    class Meta:
        model = Phase
        fields = [
            "name",
            "description",
            "starts_on",
            "ends_on",
            "expected_weeks",
            "exit_criterion",
            "exit_count",
        ]
        labels = {"exit_criterion": "What completes this phase", "exit_count": "How many"}
        help_texts = {"exit_count": "Workshops attended or sessions held, for those criteria."}
        field_classes = {"starts_on": DateField, "ends_on": DateField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        if programme is not None:  # in the programme's own word for a mentee
            planned = self.fields["expected_weeks"]
            planned.help_text = PLANNED_HELP.format(mentee=programme.mentee_label)
        if self.instance.pk:
            self.initial["exit_sections"] = "\n".join(self.instance.exit_sections)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        # The service refuses it too; said here, it sits beside the field.
        if self.programme is not None and (
            taken := name_taken(self.programme.pk, name, besides=self.instance.pk)
        ):
            raise forms.ValidationError(taken)
        return name

    def clean_exit_sections(self) -> list[str]:
        raw = self.cleaned_data.get("exit_sections") or ""
        titles = [line.strip() for line in raw.splitlines() if line.strip()]
        if self.programme is None or not titles:
            return titles
        # A title the playbook has no section for would hold the phase open for ever.
        spelled, unknown, known = spell_sections(self.programme.pk, titles)
        if unknown:
            raise forms.ValidationError(
                f"The playbook has no section called {', '.join(f'“{t}”' for t in unknown)}. "
                + (
                    f"Its sections: {', '.join(known)}."
                    if known
                    else "It has no sections yet: add them under Playbook first."
                )
            )
        return spelled

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "A phase must end after it starts.")
        programme = self.programme
        if programme is not None:
            # Planned dates outside the programme's own would draw its timelines askew.
            if programme.starts_on and starts and starts < programme.starts_on:
                self.add_error(
                    "starts_on", f"The programme starts on {programme.starts_on:%-d %B %Y}."
                )
            if programme.ends_on and ends and ends > programme.ends_on:
                self.add_error("ends_on", f"The programme ends on {programme.ends_on:%-d %B %Y}.")
        if cleaned.get("exit_criterion") in {
            ExitCriterion.WORKSHOPS_ATTENDED,
            ExitCriterion.SESSIONS_LOGGED,
        } and not cleaned.get("exit_count"):
            self.add_error("exit_count", "Say how many.")
        return cleaned

    def save(self, commit=True):
        self.instance.exit_sections = self.cleaned_data["exit_sections"]
        return super().save(commit=commit)
