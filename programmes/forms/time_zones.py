"""The time-zone select: about 600 choices, the same for every form and every request. The
choices are read from the system once per process and their `<option>`s escaped once;
a render marks the chosen one with a string replace instead of 600 template renders."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@functools.cache
def time_zone_choices() -> tuple[tuple[str, str], ...]:
    """Every IANA zone the system knows, with spaces for underscores, by name."""
    return tuple((name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()))


def _option(value: str, label: str, chosen: bool = False) -> str:
    selected = " selected" if chosen else ""
    return f'<option value="{escape(value)}"{selected}>{escape(label)}</option>'


@functools.cache
def _rendered() -> tuple[str, dict[str, tuple[str, str]]]:
    """All the options, and each one's HTML unchosen and chosen."""
    options = {
        value: (_option(value, label), _option(value, label, chosen=True))
        for value, label in time_zone_choices()
    }
    return "\n".join(plain for plain, _chosen in options.values()), options


class TimeZoneSelect(forms.Select):
    """A `<select>` of `time_zone_choices()`, rendered from the options escaped once. Its
    choices are the field's, as for any Select, so validation is unchanged."""

    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        html, options = _rendered()
        for chosen in self.format_value(value):
            if chosen in options:
                html = html.replace(*options[chosen], 1)
                break  # one choice: Django's Select marks only the first match too
        final = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # nosec B703 B308 # every value and label is escaped in _option
            f'<select name="{escape(name)}"{flatatt(final)}>\n{html}\n</select>'
        )


class TimeZoneField(forms.ChoiceField):
    """A choice of time zone, validated against the same choices Django's ChoiceField
    would use, offered through `TimeZoneSelect`."""

    widget = TimeZoneSelect

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=time_zone_choices, **kwargs)
