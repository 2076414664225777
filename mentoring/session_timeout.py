"""Signing people out after a while without a page opened (`SESSION_IDLE_MINUTES`), and in
any case `SESSION_MAX_AGE_DAYS` after they signed in.

The session keeps when it was first and last seen. Writing "last seen" on every request
would save the session on every page, so it is only moved on once it is more than
`refresh_seconds()` old: the idle time is then measured to within a few minutes, and a
busy person's session is saved once in that while, not on each click. Someone signed out
this way finds a message on the sign-in page saying why.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponseBase

SESSION_SEEN = "session_seen"  # [first seen, last seen], seconds since the epoch
LONGEST_REFRESH_SECONDS = 300


def idle_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def refresh_seconds() -> int:
    """How stale "last seen" may get before it is written again: a few minutes, and well
    under the idle limit however short that is set."""
    idle = idle_seconds()
    return min(LONGEST_REFRESH_SECONDS, idle // 4) if idle else LONGEST_REFRESH_SECONDS


def _days(seconds: int) -> str:
    days = seconds // 86400
    return f"{days} day{'s' if days != 1 else ''}" if days else _hours(seconds)


def _hours(seconds: int) -> str:
    if seconds < 3600:
        minutes = max(1, seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = seconds // 3600
    return f"{hours} hour{'s' if hours != 1 else ''}"


def start_clock(request: HttpRequest) -> None:
    """Called at sign-in, which saves the session anyway: the first page after it need not."""
    now = int(time.time())
    request.session[SESSION_SEEN] = [now, now]


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.session.get(SESSION_KEY) is not None:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = int(time.time())
        seen = request.session.get(SESSION_SEEN)
        if not seen:
            request.session[SESSION_SEEN] = [now, now]
            return
        first, last = seen
        if now - first > settings.SESSION_COOKIE_AGE:
            logout(request)
            longest = _days(settings.SESSION_COOKIE_AGE)
            messages.info(
                request,
                f"You were signed out: a sign-in lasts at most {longest}. "
                "Sign in again to carry on.",
            )
        elif idle_seconds() and now - last > idle_seconds():
            logout(request)
            messages.info(
                request,
                f"You were signed out after {_hours(idle_seconds())} without activity. "
                "Sign in again to carry on.",
            )
        elif now - last > refresh_seconds():
            request.session[SESSION_SEEN] = [first, now]
