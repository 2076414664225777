"""The date, date-and-time and time fields every form in the project uses.

A browser's `<input type="date">`, `"datetime-local"` and `"time"` take only ISO values
(2026-12-06, 2026-12-06T09:30, 09:30). Django's own widgets write the site language's
format (06/12/2026 in en-gb), which a browser drops: the field shows empty, and the next save
posts it empty, so what was stored is silently replaced. These widgets always write ISO.

The fields also refuse a date outside a sensible range, so a slip of the year (0026 for
2026) is an error beside the field, not a date stored. Each bound is a date (or a moment, for
a date and time) or a function giving one when the form is checked, so "a year from today"
stays right in a long-running process; the browser's picker is given the same range.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils import timezone

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ISO_TIME = "%H:%M"

# Nothing in the product happened before it; a date before this is a typing slip.
EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 5

type Bound = date | datetime | Callable[[], date | datetime]


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def years_from_today(years: int) -> Callable[[], date]:
    """A bound `years` from today (before it when negative), worked out when it is used."""
    return lambda: years_after(timezone.localdate(), years)


def days_from_today(days: int) -> Callable[[], date]:
    """A bound `days` from today (before it when negative), worked out when it is used."""
    return lambda: timezone.localdate() + timedelta(days=days)


def long_date(day: date) -> str:
    """6 December 2026: the way the site writes a date in a sentence."""
    return f"{day.day} {day:%B %Y}"


FEW_YEARS_AHEAD = years_from_today(YEARS_AHEAD)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME_LOCAL)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_TIME)


ISO_WIDGETS = (DateInput, DateTimeLocalInput, TimeInput)


class RangeBoundField(BoundField):
    """Gives the browser's picker the field's range, worked out as the page is drawn."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        field = self.field
        assert isinstance(field, _InRange)
        earliest, latest = field.bounds()
        attrs.setdefault("min", field.picker_value(earliest, end_of_day=False))
        attrs.setdefault("max", field.picker_value(latest, end_of_day=True))
        return attrs


class _InRange(forms.Field):
    """A field whose value must lie between `earliest` and `latest`, both included."""

    bound_field_class = RangeBoundField
    default_error_messages = {
        "too_early": "Choose a date between %(earliest)s and %(latest)s.",
        "too_late": "Choose a date between %(earliest)s and %(latest)s.",
    }

    def __init__(
        self,
        *,
        earliest: Bound = EARLIEST,
        latest: Bound = FEW_YEARS_AHEAD,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest

    def bounds(self) -> tuple[date | datetime, date | datetime]:
        return _resolve(self.earliest), _resolve(self.latest)

    def picker_value(self, bound: date | datetime, *, end_of_day: bool) -> str:
        raise NotImplementedError

    def _comparable(self, value: Any, bound: date | datetime) -> tuple[Any, Any]:
        return value, bound

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        earliest, latest = self.bounds()
        params = {"earliest": _said(earliest), "latest": _said(latest)}
        found, bound = self._comparable(value, earliest)
        if found < bound:
            raise forms.ValidationError(
                self.error_messages["too_early"], code="too_early", params=params
            )
        found, bound = self._comparable(value, latest)
        if found > bound:
            raise forms.ValidationError(
                self.error_messages["too_late"], code="too_late", params=params
            )


class DateField(_InRange, forms.DateField):
    """A day, typed or picked: from 1 January 2000 to five years ahead unless told."""

    widget = DateInput

    def picker_value(self, bound: date | datetime, *, end_of_day: bool) -> str:
        return _day(bound).isoformat()

    def _comparable(self, value: date, bound: date | datetime) -> tuple[date, date]:
        return value, _day(bound)


class DateTimeField(_InRange, forms.DateTimeField):
    """A day and a time of day. A bound that is a date is compared with the value's day, in
    the site's time zone (or as it is, for a wall-clock value with no zone); a bound that is a
    moment, with the value itself."""

    widget = DateTimeLocalInput

    def picker_value(self, bound: date | datetime, *, end_of_day: bool) -> str:
        if isinstance(bound, datetime):
            moment = timezone.localtime(bound) if timezone.is_aware(bound) else bound
        else:  # a whole day: from its first minute to its last
            moment = datetime.combine(bound, time(23, 59) if end_of_day else time.min)
        return moment.strftime(ISO_DATETIME_LOCAL)

    def _comparable(self, value: datetime, bound: date | datetime) -> tuple[Any, Any]:
        if isinstance(bound, datetime):
            return value, bound
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return day, bound


class TimeField(forms.TimeField):
    widget = TimeInput


def _resolve(bound: Bound) -> date | datetime:
    return bound() if callable(bound) else bound


def _day(bound: date | datetime) -> date:
    if isinstance(bound, datetime):
        return timezone.localtime(bound).date() if timezone.is_aware(bound) else bound.date()
    return bound


def _said(bound: date | datetime) -> str:
    return long_date(_day(bound))
