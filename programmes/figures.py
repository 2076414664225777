"""Cached figures stay right: a version per programme that every change in it moves on.

The lead's dashboard caches its panels (`templates/mentoring/dashboard.html`) under a key
that includes `version(slug)`. Anything that changes what a programme's figures say moves
the version on, so the next look computes afresh:

- every successful POST to one of the programme's pages (`FiguresChangedMiddleware`): the
  one door through which people change a programme;
- the pace sweep, for the programmes whose verdicts it stored;
- anything else that calls `changed(slug)` (services acting outside a request).

What changes with time alone (days in a phase, a session falling overdue) is covered by
the cache's lifetime (`DASHBOARD_CACHE_SECONDS`) and by the date in the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

_KEY = "figures-version:{}"
# /programmes/<slug>/..., but not /programmes/new/ or an invitation link.
_PROGRAMME_PATH = re.compile(r"^/programmes/(?!new/|invitations/)([-\w]+)/")


def version(slug: str) -> int:
    return cache.get(_KEY.format(slug)) or 0


def changed(*slugs: str) -> None:
    """Move the figures of these programmes on, once the current transaction commits (a
    reader before then still sees, and may cache, the old rows under the old version)."""
    transaction.on_commit(lambda: _bump(slugs))


def _bump(slugs: tuple[str, ...]) -> None:
    for slug in set(slugs):
        key = _KEY.format(slug)
        try:
            cache.incr(key)
        except ValueError:  # not there yet (or evicted): any fresh number will do
            cache.set(key, 1, timeout=None)


def browser_key(request: HttpRequest) -> str:
    """Whom a cached fragment holding forms is for: the person, in this browser. A form's
    CSRF token is only good in the browser whose secret it masks, so a fragment cached for
    the same lead in another browser (or before they signed in again) is not reused."""
    get_token(request)  # the browser's secret, made now if it has none yet
    return f"{request.user.pk}-{request.META['CSRF_COOKIE']}"


def cache_seconds() -> int:
    return getattr(settings, "DASHBOARD_CACHE_SECONDS", 300)


class FiguresChangedMiddleware:
    """After a successful change to a programme's page, its cached figures are stale."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and response.status_code < 400:
            found = _PROGRAMME_PATH.match(request.path_info)
            if found:
                _bump((found.group(1),))  # the view's own transactions have committed
        return response
