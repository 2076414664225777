"""Two-factor, where a programme requires it (`Programme.require_two_factor`).

A lead or mentor of such a programme who has no authenticator app set up is sent from any
product page to one that says why and links to allauth's set-up; mentees are never asked.
allauth's own pages (sign-in and out, email, password, two-factor, sessions), the admin,
healthz, static files and the person's own data pages stay open, so they can always set it
up, sign out, or take their data and leave.

The answer costs one query, and a "nothing to ask" is kept in the session for
`RECHECK_SECONDS`: a programme switching the rule on reaches people already signed in within
that time. A "please set it up" is never kept, so the page lets them go as soon as they have.
Removing the app while a programme needs it is refused (`MFAAdapter` in mentoring/accounts.py),
so a kept "nothing to ask" cannot go stale that way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from programmes.models import Membership, Programme, Role

RECHECK_SECONDS = 300
SESSION_CHECKED = "two_factor_checked"
# The product's namespaces are guarded; within them, these stay open (the page itself, and
# the person's own data, which is theirs whatever a programme asks).
GUARDED_NAMESPACES = frozenset({"mentoring", "programmes", "playbooks"})
OPEN_PAGES = frozenset(
    {
        "mentoring:two_factor_required",
        "mentoring:account_data",
        "mentoring:account_data_download",
        "mentoring:account_delete",
        "mentoring:calendar_feed",
        "mentoring:unsubscribe",
    }
)


def programmes_requiring_two_factor(user_id: Any) -> QuerySet[Programme]:
    """The programmes where this person leads or mentors and two-factor is required."""
    return Programme.objects.filter(
        require_two_factor=True,
        memberships__user_id=user_id,
        memberships__is_active=True,
        memberships__role__in=[Role.LEAD, Role.MENTOR],
    ).distinct()


def two_factor_missing(user_id: Any) -> bool:
    """Whether a programme asks this person for two-factor they have not set up: one query."""
    has_app = Authenticator.objects.filter(
        user_id=OuterRef("user_id"), type=Authenticator.Type.TOTP
    )
    return (
        Membership.objects.filter(
            user_id=user_id,
            is_active=True,
            role__in=[Role.LEAD, Role.MENTOR],
            programme__require_two_factor=True,
        )
        .exclude(Exists(has_app))
        .exists()
    )


def check_at_sign_in(request: HttpRequest, user_id: Any) -> None:
    """Answer at sign-in, which saves the session anyway, so the first page after it costs
    nothing more than the others."""
    if not two_factor_missing(user_id):
        request.session[SESSION_CHECKED] = [user_id, int(time.time())]


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is None or match.namespace not in GUARDED_NAMESPACES:
            return None
        if match.view_name in OPEN_PAGES:
            return None
        # The signed-in person's id, read from the session without loading the user.
        user_id = request.session.get(SESSION_KEY)
        if user_id is None:
            return None
        now = int(time.time())
        checked = request.session.get(SESSION_CHECKED)
        if checked and checked[0] == user_id and now - checked[1] < RECHECK_SECONDS:
            return None
        if not two_factor_missing(user_id):
            request.session[SESSION_CHECKED] = [user_id, now]
            return None
        request.session.pop(SESSION_CHECKED, None)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(reverse("mentoring:two_factor_required"))
        return redirect("mentoring:two_factor_required")
