from django import forms

from programmes.blueprints import ASSESSMENT_TOPICS


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What isn't working?",
        help_text="Only your programme lead reads this.",
    )


class PairForm(forms.Form):
    mentor = forms.TypedChoiceField(coerce=int, label="Mentor")
    reason = forms.CharField(
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why the change",
        help_text=(
            "They have a mentor already: say why they change. They read it on their Mentoring page."
        ),
    )

    def __init__(self, *args, mentors=(), changing: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        mentor = self.fields["mentor"]
        assert isinstance(mentor, forms.TypedChoiceField)
        mentor.choices = [(m.pk, m.user.display_name) for m in mentors]
        if not changing:  # a first mentor: nothing changes, so there is no why to ask
            del self.fields["reason"]


class EndPairingForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="Why it ends", max_length=2_000
    )


class MentorProfileForm(forms.Form):
    capacity = forms.IntegerField(
        min_value=0,
        max_value=30,
        label="How many partners you can take",
        help_text="Leads can't pair you with more than this.",
    )
    strengths = forms.MultipleChoiceField(
        choices=[(t, t) for t in ASSESSMENT_TOPICS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="What you are strong in",
        help_text="Suggestions match you with partners who are weakest there.",
    )
