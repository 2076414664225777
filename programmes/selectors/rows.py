"""Helpers for pages that list many rows: what a template would otherwise work out again on
every row (an address, a CSRF field), worked out once a page."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString


def member_paths(name: str, slug: str) -> tuple[str, str]:
    """The address of the programme's page `name`, which takes a member's (or another row's)
    id last, split around that id: one reverse() a page instead of one a row."""
    path = reverse(name, args=[slug, 0])
    head, found, tail = path.rpartition("/0/")
    if not found:
        raise ValueError(f"{name} does not take an id last: {path}")
    return head + "/", "/" + tail


def csrf_field(request: HttpRequest) -> SafeString:
    """What `{% csrf_token %}` writes, made once for a page with a form on every row."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
