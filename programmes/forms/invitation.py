import csv
import io
from typing import cast

from django import forms

from programmes.models import Role


class InviteForm(forms.Form):
    name = forms.CharField(max_length=150)
    # Django takes addresses of up to 320 characters; the invitation's column holds 254.
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MENTEE)

    def __init__(self, *args, mentee_label: str = "partner", **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (Role.MENTEE, mentee_label.capitalize()),
            (Role.MENTOR, "Mentor"),
            (Role.LEAD, "Programme lead"),
        ]
        self.fields[
            "mentor_email"
        ].help_text = f"For a {mentee_label.lower()}: pair them with this mentor when they accept."

    mentor_email = forms.EmailField(
        max_length=254,
        required=False,
        label="Mentor's email (optional)",
        help_text="Pair them with this mentor when they accept.",
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_mentor_email(self) -> str:
        return (self.cleaned_data.get("mentor_email") or "").strip().lower()


class InvitationImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: name, email, role and, if you like, mentor_email. The first row "
        "holds the column names.",
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("That file is over 2 MB; split it into smaller files.")
        raw = upload.read()
        unreadable = "That file isn't text we can read. Save it as CSV (UTF-8) and try again."
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(unreadable) from exc
        # No CSV holds a NUL (a UTF-16 file read as cp1252 is full of them), and the
        # database can't store one.
        if "\x00" in text:
            raise forms.ValidationError(unreadable)
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # as a file opened for CSV
        try:
            list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:  # a field over the csv module's size limit, say
            raise forms.ValidationError(unreadable) from exc
        return text
