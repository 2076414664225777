"""Helpers for pages that list many rows: what a template would otherwise work out again on
every row (an address, a CSRF field), worked out once a page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from programmes.models import PaceStatus


def display_name(name: str | None, email: str | None) -> str:
    """`User.display_name` from the two columns, for rows read as values."""
    return name or (email or "").split("@")[0]


# How `_partials/pace.html` colours each pace (tests check the two agree).
_PACE_TONES = {
    "stalled": " status--danger",
    "slipping": " status--warn",
    "on_pace": " status--ok",
    "ahead": " status--info",
}


def pace_badge(status: str) -> SafeString:
    """A mentee's pace as the last sweep judged it, as `_partials/pace.html` draws it, for
    pages that list many mentees; empty before the first check."""
    if not status:
        return SafeString("")
    return format_html(
        '<span class="status status--pace{}">{}</span>',
        _PACE_TONES.get(status, ""),
        PaceStatus(status).label if status in PaceStatus.values else status,
    )


_MARK = 987_654_321  # an id no row is given: reversed with, then replaced


def id_paths(name: str, *args: Any) -> tuple[str, str]:
    """The address of page `name`, whose last argument is a row's id (a member's, a
    session's...), split around that id: a row's address is `head + str(id) + tail`. One
    reverse() a page instead of one a row."""
    path = reverse(name, args=[*args, _MARK])
    head, found, tail = path.rpartition(str(_MARK))
    if not found:
        raise ValueError(f"{name} does not take an id last: {path}")
    return head, tail


def id_prefix(name: str, *args: Any) -> str:
    """`id_paths` for a page whose address ends in the id and a slash: the part before the
    id, to which a row appends `f"{id}/"`."""
    head, tail = id_paths(name, *args)
    if tail != "/":
        raise ValueError(f"{name} does not end in an id: {head}{_MARK}{tail}")
    return head


def csrf_field(request: HttpRequest) -> SafeString:
    """What `{% csrf_token %}` writes, made once for a page with a form on every row."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
