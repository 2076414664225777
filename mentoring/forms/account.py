from django import forms


class DeleteAccountForm(forms.Form):
    """The person's word that they mean it; signing in again is asked for separately."""

    confirm = forms.BooleanField(
        label="I understand: my account and what I wrote are deleted, and this can't be undone.",
        error_messages={"required": "Tick the box to say you understand."},
    )
