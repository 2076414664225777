from django import forms

from programmes.models import ExitCriterion, Phase, Programme, Role


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
    starts_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


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
    starts_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


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
        label="Playbook sections",
        help_text="For the playbook criterion: section titles, one per line. Empty means all.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Phase
        fields = ["name", "description", "starts_on", "ends_on", "exit_criterion", "exit_count"]
        labels = {"exit_criterion": "What completes this phase", "exit_count": "How many"}
        help_texts = {"exit_count": "Workshops attended or sessions held, for those criteria."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["exit_sections"] = "\n".join(self.instance.exit_sections)

    def clean_exit_sections(self) -> list[str]:
        raw = self.cleaned_data.get("exit_sections") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "A phase must end after it starts.")
        if cleaned.get("exit_criterion") in {
            ExitCriterion.WORKSHOPS_ATTENDED,
            ExitCriterion.SESSIONS_LOGGED,
        } and not cleaned.get("exit_count"):
            self.add_error("exit_count", "Say how many.")
        return cleaned

    def save(self, commit=True):
        self.instance.exit_sections = self.cleaned_data["exit_sections"]
        return super().save(commit=commit)


class InviteForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MENTEE)

    def __init__(self, *args, mentee_label: str = "partner", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (Role.MENTEE, mentee_label.capitalize()),
            (Role.MENTOR, "Mentor"),
            (Role.LEAD, "Programme lead"),
        ]

    mentor_email = forms.EmailField(
        required=False,
        label="Mentor's email (optional)",
        help_text="For a mentee: pair them with this mentor when they accept.",
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_mentor_email(self) -> str:
        return (self.cleaned_data.get("mentor_email") or "").strip().lower()


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, email, role (lead, mentor or mentee), and optionally "
        "mentor_email. The first row holds the column names.",
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("That file is over 2 MB; split it into smaller files.")
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(
                    "That file isn't text we can read. Save it as CSV (UTF-8) and try again."
                ) from exc


class FromPhase(forms.Form):
    # The phase the person was in when the page was shown: a second click moves nobody twice.
    from_phase = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MoveForm(FromPhase):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why now? The person and their mentor see this in the history.",
    )


class MoveBackForm(FromPhase):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why? The person and their mentor see this in the history.",
    )
