"""The dashboard's filters: a phase, a mentor, a pace. Bad values are reported on the form
and ignored, so a stale or edited link still opens the dashboard."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from mentoring.selectors.dashboard import Filters
from programmes.models import Membership, Phase, Programme, Role
from programmes.selectors.programme import pace_filters


class DashboardFilterForm(forms.Form):
    phase = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    mentor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    pace = forms.ChoiceField(required=False)

    def __init__(self, data: Any, *, programme: Programme) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["phase"]).choices = [("", "All phases")] + [
            (p.pk, p.name)
            for p in Phase.objects.filter(programme=programme).order_by("position", "pk")
        ]
        mentors = (
            Membership.objects.active()
            .filter(programme=programme, role=Role.MENTOR)
            .select_related("user")
            .order_by("user__name", "pk")
        )
        cast(forms.ChoiceField, self.fields["mentor"]).choices = [("", "All mentors")] + [
            (m.pk, m.user.name or m.user.email) for m in mentors
        ]
        cast(forms.ChoiceField, self.fields["pace"]).choices = [("", "Any pace")] + [
            (f.key, f.label) for f in pace_filters()
        ]

    def filters(self) -> Filters:
        """The valid filters; an invalid one is dropped (its error shows on the form)."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            phase=data.get("phase") or None,
            mentor=data.get("mentor") or None,
            pace=data.get("pace") or "",
        )
