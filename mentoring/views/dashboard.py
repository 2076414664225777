"""The lead's dashboard, its CSV downloads, and its two actions on someone at risk."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST

from mentoring.forms.dashboard import DashboardFilterForm
from mentoring.selectors import answers as answer_panels
from mentoring.selectors.dashboard import (
    CSV_TABLES,
    WHOLE_PROGRAMME,
    Dashboard,
    Filters,
    cohort,
    dashboard,
)
from mentoring.services.reminder import remind_mentor
from programmes.access import AuthedRequest, ProgrammeAccess, programme_access
from programmes.errors import reported
from programmes.figures import browser_key, cache_seconds, version
from programmes.models import AuditAction, Membership, Role
from programmes.services import audit
from programmes.services.membership import SET_ASIDE_DAYS, bring_back, set_aside
from programmes.spreadsheet import csv_response

# Every table the dashboard offers as a CSV: its own, and its answer panels'.
TABLES = {**CSV_TABLES, **answer_panels.CSV_TABLES}
# Whatever the filters, these are counted over everyone: filters on their links are ignored
# (and left out of the audit line and the file's name).
EVERYONE = WHOLE_PROGRAMME | answer_panels.WHOLE_PROGRAMME


def _lead_access(request: AuthedRequest, slug: str) -> ProgrammeAccess:
    # The dashboard shows the programme in aggregate: for its leads only, and nobody else
    # is told it exists (a 404, as for an outsider).
    access = programme_access(request, slug)
    if not access.is_lead:  # `leads()`, from the memberships programme_access has read
        raise Http404("Only the programme's leads see its dashboard.")
    return access


def _form(request: AuthedRequest, access: ProgrammeAccess) -> DashboardFilterForm:
    data = request.GET if any(k in request.GET for k in ("phase", "mentor", "pace")) else None
    return DashboardFilterForm(data, programme=access.programme)


def _context(request: AuthedRequest, access: ProgrammeAccess) -> dict[str, Any]:
    """What the dashboard's templates read: lazy, so that a cached panel computes nothing."""
    today = timezone.localdate()

    @functools.cache
    def filter_form() -> DashboardFilterForm:
        return _form(request, access)

    @functools.cache
    def filters() -> Filters:
        return filter_form().filters()

    @functools.cache
    def computed() -> Dashboard:
        return dashboard(
            access.programme,
            filters(),
            today=today,
            timeline_page=request.GET.get("people", 1),
            rhythm_page=request.GET.get("pairs", 1),
        )

    @functools.cache
    def answered() -> answer_panels.Answers:
        mentees = cohort(access.programme, filters())
        member = None
        if request.GET.get("member", "").isdigit():
            member = mentees.filter(pk=request.GET["member"]).select_related("user").first()
        return answer_panels.answers(access.programme, mentees, today=today, member=member)

    # The panels are cached (templates/mentoring/dashboard.html, dashboard_answers_cached.html)
    # under this key, which any change to the programme moves on (programmes/figures.py). On
    # a hit nothing above is computed.
    cache_key = [
        browser_key(request),  # the panels' forms carry this browser's CSRF token
        version(access.programme.slug),
        today.isoformat(),
        request.GET.urlencode(),
    ]
    return {
        "access": access,
        "tab": "dashboard",
        "form": SimpleLazyObject(filter_form),
        "filters": SimpleLazyObject(filters),
        "board": SimpleLazyObject(computed),
        "query": SimpleLazyObject(lambda: filters().query()),
        "answers": SimpleLazyObject(answered),
        "set_aside_days": SET_ASIDE_DAYS,
        "csv_tables": TABLES,
        "cache_seconds": cache_seconds(),
        "cache_key": cache_key,
    }


@require_GET
def dashboard_page(request: AuthedRequest, slug: str) -> HttpResponse:
    access = _lead_access(request, slug)
    return render(request, "mentoring/dashboard.html", _context(request, access))


@require_GET
def dashboard_answers(request: AuthedRequest, slug: str) -> HttpResponse:
    """The panels built on what people answered (confidence, asked not assumed, mentoring
    practice): the dashboard loads them just after itself, so its first paint does not wait
    for their figures (about half of a cold dashboard's time). Without JavaScript, or from a
    link, they are a page of their own."""
    access = _lead_access(request, slug)
    context = _context(request, access)
    if request.htmx:
        return render(request, "mentoring/dashboard_answers_cached.html", context)
    return render(request, "mentoring/dashboard_answers_page.html", context)


@require_GET
def dashboard_csv(request: AuthedRequest, slug: str, table: str) -> StreamingHttpResponse:
    access = _lead_access(request, slug)
    tables = TABLES
    if table not in tables:
        raise Http404("No such table.")
    filters = Filters() if table in EVERYONE else _form(request, access).filters()
    today = timezone.localdate()
    title, rows = tables[table]
    header, body = rows(access.programme, cohort(access.programme, filters), today)
    audit.record(
        AuditAction.EXPORTED,
        programme=access.programme,
        by=request.user,
        summary=f"Downloaded “{title}” (CSV)"
        + (f", filtered: {filters.query()}" if filters.active else ""),
    )
    suffix = f"-{filters.query().replace('&', '-').replace('=', '-')}" if filters.active else ""
    return csv_response(
        f"{access.programme.slug}-{table}{suffix}-{today:%Y-%m-%d}.csv", header, body
    )


def _mentee(access: ProgrammeAccess, member: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"),
        pk=member,
        programme=access.programme,
        role=Role.MENTEE,
    )


def _back(request: AuthedRequest, slug: str) -> HttpResponse:
    query = request.POST.get("next_query", "")
    # To the top of the page, where its message says what was done (or why not): sent to
    # the list, the message sat above the screen and the list looked unchanged.
    url = redirect("mentoring:dashboard", slug=slug).url
    return redirect(f"{url}?{query}" if query else url)


def _act(
    request: AuthedRequest,
    slug: str,
    member: int,
    act: Callable[[Membership], object],
    said: str,
    *,
    already: str = "",
) -> HttpResponse:
    """One of the lead's actions on someone at risk: `act` on them, then back to the
    dashboard saying `said` (with {name}), or why it could not be done. An `act` that
    answers False had nothing to do, since it was done already: that is said as `already`,
    as news rather than an error."""
    access = _lead_access(request, slug)
    mentee = _mentee(access, member)
    name = mentee.user.name or mentee.user.email
    with reported(request) as outcome:
        done = act(mentee)
    if outcome.ok and done is False and already:
        messages.info(request, already.format(name=name))
    elif outcome.ok:
        messages.success(request, said.format(name=name))
    return _back(request, slug)


@require_POST
def dashboard_remind(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    return _act(
        request,
        slug,
        member,
        lambda mentee: remind_mentor(mentee=mentee, by=request.user),
        "Sent: {name}'s mentor has your reminder.",
        already="Already sent today: {name}'s mentor has your reminder from earlier, "
        "and is not told twice in a day.",
    )


@require_POST
def dashboard_set_aside(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    return _act(
        request,
        slug,
        member,
        lambda mentee: set_aside(membership=mentee, by=request.user),
        f"{{name}} is set aside for {SET_ASIDE_DAYS} days: off this list, still on the "
        "People page and in the CSV.",
    )


@require_POST
def dashboard_bring_back(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    return _act(
        request,
        slug,
        member,
        lambda mentee: bring_back(membership=mentee, by=request.user),
        "{name} is back on the at-risk list.",
    )
