"""The dashboard's filters: a phase, a mentor, a pace. Bad values are reported on the form
and ignored, so a stale or edited link still opens the dashboard."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import OuterRef, Subquery

from mentoring.models import User
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
        # Each mentor's name looked up by its key (a join read the whole users table).
        person = User.objects.filter(pk=OuterRef("user_id"))
        mentors = (
            Membership.objects.active()
            .filter(programme=programme, role=Role.MENTOR)
            .annotate(
                name=Subquery(person.values("name")[:1]),
                email=Subquery(person.values("email")[:1]),
            )
            .order_by("name", "pk")
            .values_list("pk", "name", "email")
        )
        cast(forms.ChoiceField, self.fields["mentor"]).choices = [("", "All mentors")] + [
            (pk, name or email) for pk, name, email in mentors
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
