from __future__ import annotations

from django import forms

from playbooks.models import BusinessStrategy, StrategyPillar


class StrategyForm(forms.ModelForm):
    class Meta:
        model = BusinessStrategy
        fields = ["summary", "audiences", "platforms", "key_messages"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class PillarForm(forms.ModelForm):
    class Meta:
        model = StrategyPillar
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ThemeMappingForm(forms.Form):
    theme = forms.CharField(label="Your theme", max_length=200)
    pillar = forms.ModelChoiceField(
        label="Business pillar",
        queryset=StrategyPillar.objects.none(),
        required=False,
        empty_label="None fits yet",
    )
    how_it_fits = forms.CharField(
        label="How it fits",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillar"].queryset = StrategyPillar.objects.filter(programme=programme)


class SignOffForm(forms.Form):
    note = forms.CharField(label="Note", required=False, max_length=500)
