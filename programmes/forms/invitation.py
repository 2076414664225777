from typing import cast

from django import forms

from programmes.models import Role


class InviteForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MENTEE)

    def __init__(self, *args, mentee_label: str = "partner", **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
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
