"""Calendars: a session's .ics file for the pair, each person's private feed, and the page
where they get, replace or turn off the feed's address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mentoring.models import CalendarFeed, MentoringSession
from mentoring.selectors.calendar import feed_file, session_file, with_plan
from mentoring.services.calendar import issue_feed, revoke_feed
from programmes.access import AuthedRequest, programme_access


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _host(request: HttpRequest) -> str:
    return request.get_host().split(":")[0]


@require_GET
def session_ics(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    session = get_object_or_404(
        with_plan(MentoringSession.objects.visible_to(request.user).logged()),
        pk=pk, programme=access.programme,
    )  # fmt: skip
    body = session_file(
        session, viewer=request.user, link=request.build_absolute_uri, host=_host(request)
    )
    return _ics(body, f"mentoring-session-{session.held_at:%Y-%m-%d}.ics")


@login_not_required
@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private feed. Calendar apps cannot sign in: the token in the address is the
    secret, and an unknown or revoked one gets a 404 and nothing else."""
    feed = CalendarFeed.objects.for_token(token)
    if feed is None:
        raise Http404("No such calendar.")
    body = feed_file(feed, link=request.build_absolute_uri, host=_host(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def calendar_page(request: AuthedRequest) -> HttpResponse:
    feed = CalendarFeed.objects.visible_to(request.user).live().first()
    feed_url = request.build_absolute_uri(feed.get_absolute_url()) if feed else None
    return render(request, "mentoring/calendar_settings.html", {"feed_url": feed_url})


@require_POST
def calendar_issue(request: AuthedRequest) -> HttpResponse:
    replacing = CalendarFeed.objects.visible_to(request.user).live().exists()
    issue_feed(by=request.user)
    messages.success(
        request,
        "Here is your new address. The old one no longer works: give the new one to your "
        "calendar app."
        if replacing
        else "Here is your calendar address.",
    )
    return redirect("mentoring:calendar")


@require_POST
def calendar_revoke(request: AuthedRequest) -> HttpResponse:
    if revoke_feed(by=request.user):
        messages.success(request, "Your calendar address is turned off.")
    return redirect("mentoring:calendar")
