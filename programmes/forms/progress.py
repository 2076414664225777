from django import forms


class FromPhase(forms.Form):
    # The phase the person was in when the page was shown: a second click moves nobody twice.
    from_phase = forms.IntegerField(required=False, widget=forms.HiddenInput)


class MoveForm(FromPhase):
    note = forms.CharField(
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why now? The person and their mentor see this in the history.",
    )


class MoveBackForm(FromPhase):
    note = forms.CharField(
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why? The person and their mentor see this in the history.",
    )
