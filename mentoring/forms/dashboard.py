"""The dashboard's filters: a phase, a mentor, a pace. Bad values are reported on the form
and ignored, so a stale or edited link still opens the dashboard."""

from __future__ import annotations

import functools
from typing import Any, cast

from django import forms
from django.db.models import OuterRef, Subquery

from mentoring.models import User
from mentoring.selectors.dashboard import DONE, Filters
from programmes.models import Membership, Phase, Programme, Role
from programmes.selectors.programme import pace_filters


def _phases(programme: Programme) -> list[tuple[Any, str]]:
    phases = Phase.objects.filter(programme=programme).order_by("position", "pk")
    return [("", "All phases"), *((str(p.pk), p.name) for p in phases), (DONE, "Operationalised")]


def _phase(value: str) -> int | str:
    return value if value == DONE else int(value)


def _mentors(programme: Programme) -> list[tuple[Any, str]]:
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
    return [("", "All mentors")] + [(pk, name or email) for pk, name, email in mentors]


class DashboardFilterForm(forms.Form):
    phase = forms.TypedChoiceField(required=False, coerce=_phase, empty_value=None)
    mentor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    pace = forms.ChoiceField(required=False)

    def __init__(self, data: Any, *, programme: Programme) -> None:
        super().__init__(data)
        # The choices are read when the form is validated or drawn, once: a page that only
        # needs the (absent) filters of an unbound form runs no query for them.
        cast(forms.ChoiceField, self.fields["phase"]).choices = functools.cache(
            lambda: _phases(programme)
        )
        cast(forms.ChoiceField, self.fields["mentor"]).choices = functools.cache(
            lambda: _mentors(programme)
        )
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
