from django import forms

from mentoring.models import User
from programmes.forms.time_zones import TimeZoneField


class SignupForm(forms.Form):
    """Extra fields for allauth's sign-up: the name everyone in a programme will see."""

    name = forms.CharField(
        label="Your name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": "e.g. Alex Morgan"}),
    )
    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user: User) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(
        help_text="Reminders and session times use it, so nothing arrives at 3 a.m.",
    )

    class Meta:
        model = User
        fields = ["name", "time_zone"]
        labels = {"name": "Your name"}
        help_texts = {"name": "How mentors, partners and leads see you."}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Please give the name people know you by.")
        return name
