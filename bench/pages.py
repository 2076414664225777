"""How fast every page is, served as in production, at 200 and at 2,000 mentees (issue 13).

Run: make bench   (or .venv/bin/python -m bench.pages [--seconds 5] [--pages dashboard,csv]
     [--rebuild] [--connections 8] [--posts 30] [--redis-url redis://127.0.0.1:6379/15])

1. Builds (once; `--rebuild` to build again) the database `mentoring_bench_pages` with
   `data.build`: one programme of 2,000 mentees with 200 mentors and one of 200 with 20,
   each with its history (sessions, actions, guideline checks, written sections,
   completions, phase moves, nudges, preferences, strategy, assessments: `data.py`), then
   one pace sweep and VACUUM ANALYZE.
2. Picks, in each programme, its lead, a mentee in the fourth phase with a typical history
   and their mentor (ten partners in both programmes), gives them a known password, and
   counts each page's queries in this process with Django's test client.
3. Collects the static files and serves the app with gunicorn: 2 sync workers, production
   settings (DEBUG off), Redis db 15 as cache and broker when it answers (as in
   production; every worker shares the sessions and cached figures), requests sent as a
   TLS proxy passes them on (`X-Forwarded-Proto: https`). Each person signs in through
   allauth's form.
4. Loads each page with 8 connections for `--seconds` (after warming both workers), in two
   rounds that alternate the programmes (200, 2,000, 200, 2,000: a busy spell on the shared
   machine hits both), then with 1 connection for a moment ("alone": the page's own time,
   without queueing). The reference is /healthz, loaded the same way before and after the
   pages and for a second between any two; each page's share is of the reference measured
   around it. /healthz is an ordinary view behind the whole middleware stack (only the
   HTTPS redirect exempts it, and no redirect happens here); being anonymous, it reads no
   session and no user, which every page does (one cache read, one query). It is what
   issue 13's shares were first measured against, so it is kept, and no view is added.
   To add a page: one line in `_pages()`.
5. Downloads each export one at a time (rows per second), and logs sessions through the
   mentor's form one at a time, each on a fresh draft (the draft's creation is not timed).
   What the run wrote (sessions, emails, notifications, audit entries) is removed after.

Targets (issues 10 and 13), judged on the 2,000-mentee programme: p95 <= 100 ms at 8
connections; throughput >= 12% of the reference's for the mentee's and mentor's everyday
pages, >= 8% for the others; p50 at 2,000 no more than 15% above p50 at 200. Exports: at
least 20,000 rows a second (those under 1,000 rows: a download in <= 100 ms). The machine
is shared, so absolute times are noisy: compare the shares, and run it twice.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.data import add_page_history, build, ensure_database  # noqa: E402
from bench.load import Result, load  # noqa: E402
from bench.server import (  # noqa: E402
    HOST,
    Site,
    collectstatic,
    environment,
    form_with,
    free_port,
    gunicorn,
)

DEFAULT_DATABASE = "postgres://root@127.0.0.1:5432/mentoring_bench_pages"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
SIZE = 2200  # one programme of 2,000 mentees (programme 0) and one of 200 (programme 1)
PASSWORD = "bench-pages-password"
MARKER = "Logged by the page bench"  # the topics of each session the bench logs

P95_MS = 100
EVERYDAY_SHARE, OTHER_SHARE = 0.12, 0.08
GROWTH = 1.15
ROUNDS = 2  # each page's load is split in rounds, alternating the two programmes
CSV_ROWS_PER_SECOND = 20_000
SMALL_CSV_ROWS, SMALL_CSV_MS = 1000, 100
COLD_P95_MS = 300  # a cached page, its cache just cleared (issue 10)
COLD_REQUESTS = 20


# --- What is measured ------------------------------------------------------------------


@dataclass
class Cast:
    """One programme and the people (and ids) its pages are loaded with."""

    size: int
    slug: str
    emails: dict[str, str]  # role -> email
    mentee: int  # memberships
    mentor: int
    phase: int  # the mentee's current phase, for the dashboard's filter
    section: int  # a written section of the mentee's playbook
    draft: int  # the mentor's open draft with the mentee: the log form's page
    partners: list[int]  # the mentor's other partners: fresh drafts for the log's POSTs


@dataclass(frozen=True)
class Page:
    label: str
    role: str  # who loads it: "mentee", "mentor" or "lead"
    url: Callable[[Cast], str]
    share: float = OTHER_SHARE  # its throughput target, as a share of the reference
    cached: bool = False  # its figures are cached under programmes.figures.version: also cold

    @property
    def name(self) -> str:
        return f"{self.role} {self.label}"


def _pages() -> list[Page]:
    from django.urls import reverse

    def at(name: str, *ids: str, query: str = "") -> Callable[[Cast], str]:
        """The programme's page `name`, with the cast's `ids` as further arguments."""

        def url(c: Cast) -> str:
            path = reverse(name, args=[c.slug, *(getattr(c, i) for i in ids)])
            return path + ("?" + query.format(c=c) if query else "")

        return url

    def home(c: Cast) -> str:
        return reverse("mentoring:home")

    def profile(c: Cast) -> str:
        return reverse("mentoring:profile")

    def browsers(c: Cast) -> str:
        return reverse("usersessions_list")

    def two_factor(c: Cast) -> str:
        return reverse("mentoring:two_factor_required")

    def account_data(c: Cast) -> str:
        return reverse("mentoring:account_data")

    every = EVERYDAY_SHARE
    return [
        Page("home", "mentee", home, every),
        Page("journey", "mentee", at("programmes:my_journey"), every),
        Page("sessions", "mentee", at("mentoring:sessions"), every),
        Page("playbook", "mentee", at("playbooks:playbook"), every),
        Page("playbook section", "mentee", at("playbooks:section", "section"), every),
        Page("checklist", "mentee", at("playbooks:checklist"), every),
        Page("home", "mentor", home, every),
        Page("sessions list", "mentor", at("mentoring:sessions"), every),
        Page("log a session (form)", "mentor", at("mentoring:session_edit", "draft"), every),
        Page("programme home", "lead", at("programmes:detail")),
        Page("people", "lead", at("programmes:people")),
        Page("dashboard", "lead", at("mentoring:dashboard"), cached=True),
        Page(
            "dashboard ?phase",
            "lead",
            at("mentoring:dashboard", query="phase={c.phase}"),
            cached=True,
        ),
        Page(
            "dashboard ?mentor",
            "lead",
            at("mentoring:dashboard", query="mentor={c.mentor}"),
            cached=True,
        ),
        Page(
            "dashboard ?pace=at_risk",
            "lead",
            at("mentoring:dashboard", query="pace=at_risk"),
            cached=True,
        ),
        Page("dashboard answers", "lead", at("mentoring:dashboard_answers"), cached=True),
        Page("session figures", "lead", at("mentoring:session_figures"), cached=True),
        Page("activities", "lead", at("playbooks:activities")),
        Page("strategy matrix", "lead", at("playbooks:strategy")),
        Page("nudges", "lead", at("mentoring:nudges")),
        Page("audit trail", "lead", at("programmes:audit")),
        Page("your data", "mentee", account_data),
        Page("profile (form)", "mentee", profile),
        Page("signed-in browsers", "mentee", browsers),
        Page("two-factor required", "mentor", two_factor),
        Page("preferences (form)", "mentee", at("mentoring:mine")),
        Page("workshop (form)", "lead", at("programmes:workshop_create")),
    ]


def _exports() -> list[Page]:
    from django.urls import reverse

    from mentoring.selectors.dashboard import CSV_TABLES

    tables = list(CSV_TABLES)
    try:  # the answers' tables, once that module exists (the dashboard may serve them)
        from mentoring.selectors import answers

        tables += [t for t in getattr(answers, "CSV_TABLES", {}) if t not in tables]
    except ImportError:
        pass

    def csv(table: str) -> Callable[[Cast], str]:
        return lambda c: reverse("mentoring:dashboard_csv", args=[c.slug, table])

    found = [Page(f"dashboard CSV {t}", "lead", csv(t)) for t in tables]
    found.append(
        Page(
            "session figures CSV",
            "lead",
            lambda c: reverse("mentoring:session_figures_csv", args=[c.slug]),
        )
    )
    return found


LOG = Page("log a session (submit)", "mentor", lambda c: "", EVERYDAY_SHARE)


@dataclass
class Measured:
    """One page at one size: in this process (status, queries) and served (loads)."""

    status: int | str = 0
    queries: int = 0
    busy: Result | None = None  # 8 connections
    alone: Result | None = None  # 1 connection
    cold: Result | None = None  # 1 connection, the figures' cache cleared before each request
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (200, 302) and not self.problem


# --- The data and the people -------------------------------------------------------------


def typical_people(n: int) -> tuple[Any, Any, Any, int, str]:
    """Programme `n`'s typical mentee (fourth phase, history nearest 10 sessions and 40
    completions), their mentor and the lead, as memberships, with its size and slug."""
    from django.db import connection

    from programmes.models import Membership, Role

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT m.membership_id, m.mentor_id, p.slug,
                      (SELECT count(*) FROM bench_mentee x WHERE x.programme_n = m.programme_n)
               FROM bench_mentee m JOIN bench_programme p ON p.n = m.programme_n
               WHERE m.programme_n = %s AND m.phase_k = 3 AND NOT m.operationalised
                 AND NOT m.paused
               ORDER BY abs(m.sessions - 10), abs(m.completions - 40), m.i LIMIT 1""",
            [n],
        )
        mentee_id, mentor_id, slug, size = cursor.fetchone()
    mentee = Membership.objects.select_related("user").get(pk=mentee_id)
    mentor = Membership.objects.select_related("user").get(pk=mentor_id)
    lead = Membership.objects.select_related("user").get(
        programme_id=mentee.programme_id, role=Role.LEAD
    )
    return mentee, mentor, lead, size, slug


def _cast(n: int) -> Cast:
    from mentoring.models import User
    from mentoring.services.session import start_session
    from playbooks.models import Section
    from programmes.models import Pairing

    mentee, mentor, lead, size, slug = typical_people(n)
    people: dict[str, User] = {"mentee": mentee.user, "mentor": mentor.user, "lead": lead.user}
    for user in people.values():
        _may_sign_in(user)
    pairings = Pairing.objects.active().filter(mentor=mentor).order_by("pk")
    pairing = pairings.get(mentee=mentee)
    draft = start_session(pairing=pairing, by=mentor.user)
    section = (
        Section.objects.filter(playbook__membership=mentee)
        .exclude(body="")
        .order_by("template_section__position", "pk")
        .first()
    )
    assert section is not None, "the mentee has written no section"
    return Cast(
        size=size,
        slug=slug,
        emails={role: user.email for role, user in people.items()},
        mentee=mentee.pk,
        mentor=mentor.pk,
        phase=mentee.current_phase_id or 0,
        section=section.pk,
        draft=draft.pk,
        partners=[p.mentee_id for p in pairings if p.mentee_id != mentee.pk],
    )


def _may_sign_in(user) -> None:
    """A known password and a verified address (production asks for one)."""
    from allauth.account.models import EmailAddress

    if not user.has_usable_password():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _tidy() -> None:
    """Remove what bench runs wrote: their logged sessions and drafts (the data holds none),
    and the notifications, emails and audit entries made after the build's moment."""
    from django.db import connection

    from mentoring.models import MentoringSession, OutboundEmail, SessionStatus
    from programmes.models import Notification

    with connection.cursor() as cursor:
        cursor.execute("SELECT anchor FROM bench_meta")
        anchor = cursor.fetchone()[0]
    MentoringSession.objects.filter(topics=MARKER).delete()
    MentoringSession.objects.filter(status=SessionStatus.DRAFT).delete()
    Notification.objects.filter(created_at__gt=anchor).delete()
    OutboundEmail.objects.filter(created_at__gt=anchor).delete()
    with connection.cursor() as cursor:  # downloads are audited, where the trail exists
        cursor.execute("SELECT to_regclass('programmes_auditentry') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute("DELETE FROM programmes_auditentry WHERE at > %s", [anchor])


def _flush_redis(url: str) -> None:
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _summary() -> str:
    from django.db import connection

    counts = {
        "sessions": "mentoring_mentoringsession WHERE status = 'logged'",
        "actions": "mentoring_agreedaction",
        "guideline checks": "mentoring_guidelinecheck",
        "written sections": "playbooks_section WHERE body <> ''",
        "completions": "playbooks_completion",
        "phase moves": "programmes_phasetransition",
        "nudges": "programmes_notification",
    }
    found = []
    with connection.cursor() as cursor:
        for label, table in counts.items():
            cursor.execute(f"SELECT count(*) FROM {table}")  # nosec B608 # names from a literal dict
            found.append(f"{cursor.fetchone()[0]:,} {label}")
    return ", ".join(found)


# --- In this process: status and queries -----------------------------------------------


def _client(email: str):
    from django.test import Client

    from mentoring.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    return client


def _count(client, url: str) -> Measured:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
            if response.streaming:
                b"".join(response.streaming_content)
        return Measured(status=response.status_code, queries=len(queries))
    except Exception as error:
        return Measured(status="error", problem=_said(error))


def _said(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"


def _log_fields(html: bytes) -> list[tuple[str, str]]:
    """The log form as the mentor leaves it, with the topics filled in: log it."""
    fields = [(k, v) for k, v in form_with(html, "topics") if k != "topics"]
    return [*fields, ("topics", MARKER), ("log", "")]


def _count_log(client, cast: Cast) -> Measured:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from mentoring.models import User
    from mentoring.services.session import start_session
    from programmes.models import Pairing

    try:
        pairing = Pairing.objects.active().get(mentee_id=cast.partners[0])
        draft = start_session(pairing=pairing, by=User.objects.get(email=cast.emails["mentor"]))
        url = reverse("mentoring:session_edit", args=[cast.slug, draft.pk])
        fields = _log_fields(client.get(url, secure=True).content)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(
                url,
                urlencode(fields),
                content_type="application/x-www-form-urlencoded",
                secure=True,
            )
        found = Measured(status=response.status_code, queries=len(queries))
        if response.status_code != 302:
            found.problem = "the log was not accepted"
        return found
    except Exception as error:
        return Measured(status="error", problem=_said(error))


# --- Served: loads -----------------------------------------------------------------------


def _served(site: Site, url: str, found: Measured, args: argparse.Namespace, n: int) -> None:
    """Round `n` of the page's loads: warmed first, alone last."""
    raw = site.raw("GET", url)
    if n == 0:
        warm = max(4, args.workers * 2)
        load(HOST, site.port, raw, connections=warm, seconds=0, minimum=warm * 2)
    busy = load(HOST, site.port, raw, connections=args.connections, seconds=args.seconds / ROUNDS)
    found.busy = found.busy.add(busy) if found.busy else busy
    if n == ROUNDS - 1:
        found.alone = load(HOST, site.port, raw, connections=1, seconds=args.alone, minimum=3)
    _check(found, found.busy, *([found.alone] if found.alone else []))


def _cold(site: Site, url: str, slug: str, found: Measured) -> None:
    """The page `COLD_REQUESTS` times, one at a time, each just after its programme's
    figures were marked changed (as any change to the programme does): no cached panel."""
    from programmes.figures import _bump

    result = Result()
    started = time.perf_counter()
    for _ in range(COLD_REQUESTS):
        _bump((slug,))
        begun = time.perf_counter()
        answer = site.send("GET", url)
        result.latencies.append(time.perf_counter() - begun)
        result.statuses[answer.status] += 1
    result.seconds = time.perf_counter() - started
    found.cold = result
    _check(found, result)


def _export(site: Site, url: str, found: Measured, args: argparse.Namespace) -> None:
    raw = site.raw("GET", url)
    load(HOST, site.port, raw, connections=1, seconds=0, minimum=1)
    found.alone = load(HOST, site.port, raw, connections=1, seconds=args.export_seconds, minimum=2)
    _check(found, found.alone)


def _check(found: Measured, *results: Result) -> None:
    for result in results:
        if result.errors:
            found.problem = result.errors[0]
        elif not result.ok:
            found.problem = f"served {dict(result.statuses)} (see gunicorn.log)"


def _submit(site: Site, cast: Cast, found: Measured, posts: int) -> None:
    """Log `posts` sessions one at a time, each from a fresh draft; only the log is timed."""
    from django.urls import reverse

    result = Result()
    started = time.perf_counter()
    warm = 2  # the first logs (one per worker, likely) are not counted
    for n in range(posts + warm):
        partner = cast.partners[n % len(cast.partners)]
        start = site.send("POST", reverse("mentoring:session_start", args=[cast.slug, partner]))
        edit = start.header("location")
        if start.status != 302 or "/edit/" not in edit:
            found.problem = f"starting a draft: {start.status} {edit}"
            return
        fields = _log_fields(site.send("GET", edit).body)
        begun = time.perf_counter()
        answer = site.send("POST", edit, fields)
        if n >= warm:
            result.latencies.append(time.perf_counter() - begun)
            result.statuses[answer.status] += 1
        if answer.status != 302 or "/edit/" in answer.header("location"):
            found.problem = f"the log was not accepted: {answer.status}"
            return
    result.seconds = time.perf_counter() - started
    found.alone = result


# --- The table ---------------------------------------------------------------------------


def ms(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "-"
    value = seconds * 1000
    return f"{value:.1f}" if value < 10 else f"{value:,.0f}"


def _p50(result: Result | None) -> float | None:
    return result.percentile(0.5) if result and result.latencies else None


def _growth(small: Measured, large: Measured, which: str) -> float | None:
    a, b = _p50(getattr(small, which)), _p50(getattr(large, which))
    return b / a if a and b else None


def _queries(small: Measured, large: Measured) -> str:
    if not (small.ok and large.ok):
        return "-"
    return f"{small.queries} / {large.queries}"


def _problem(a: Measured, b: Measured) -> str:
    if a.status == b.status == 404:
        return "not served (404)"
    return "ERROR " + (a.problem or b.problem or f"status {a.status} / {b.status}")


def _markdown(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def page_table(
    pages: list[Page], found: dict, sizes: tuple[int, int], reference: dict[str, float]
) -> str:
    small, large = sizes
    header = [
        "page",
        "role",
        f"queries {small:,} / {large:,}",
        f"p50 {small:,}",
        f"p50 {large:,}",
        f"p95 {large:,}",
        "alone p50",
        "req/s",
        "ref",
        "share",
        "growth",
        "targets",
    ]
    rows = []
    for page in pages:
        a, b = found[page.name, small], found[page.name, large]
        if not (a.ok and b.ok):
            problem = _problem(a, b)
            rows.append([page.label, page.role, _queries(a, b), *["-"] * 8, problem])
            continue
        assert b.busy is not None
        ref = reference.get(page.name, 0.0)
        share = b.busy.rate / ref if ref else 0.0
        growth = _growth(a, b, "busy")
        p95 = b.busy.percentile(0.95)
        misses = []
        if p95 * 1000 > P95_MS:
            misses.append("p95")
        if share < page.share:
            misses.append(f"share<{page.share:.0%}")
        if growth is not None and growth > GROWTH:
            misses.append("growth")
        rows.append(
            [
                page.label,
                page.role,
                _queries(a, b),
                ms(_p50(a.busy)),
                ms(_p50(b.busy)),
                ms(p95),
                ms(_p50(b.alone)),
                f"{b.busy.rate:,.1f}",
                f"{ref:,.0f}",
                f"{share:.1%}",
                f"{growth:.2f}x" if growth else "-",
                "met" if not misses else "MISSES " + ", ".join(misses),
            ]
        )
    return _markdown(header, rows)


def cold_table(pages: list[Page], found: dict, sizes: tuple[int, int]) -> str:
    small, large = sizes
    header = ["page", f"p50 {small:,}", f"p95 {small:,}", f"p50 {large:,}", f"p95 {large:,}"]
    header.append("target")
    rows = []
    for page in pages:
        a, b = found[page.name, small], found[page.name, large]
        if not (a.cold and b.cold):
            rows.append([page.label, *["-"] * 4, _problem(a, b) or "not measured"])
            continue
        p95 = b.cold.percentile(0.95)
        rows.append(
            [
                page.label,
                ms(_p50(a.cold)),
                ms(a.cold.percentile(0.95)),
                ms(_p50(b.cold)),
                ms(p95),
                "met" if p95 * 1000 <= COLD_P95_MS else "MISSES p95",
            ]
        )
    return _markdown(header, rows)


def export_table(exports: list[Page], found: dict, sizes: tuple[int, int]) -> str:
    small, large = sizes
    header = [
        "export",
        f"queries {small:,} / {large:,}",
        f"rows {small:,}",
        f"rows {large:,}",
        f"time {small:,}",
        f"time {large:,}",
        "rows/s",
        "target",
    ]
    rows = []
    for page in exports:
        a, b = found[page.name, small], found[page.name, large]
        label = page.label.removeprefix("dashboard CSV ")
        if not (a.ok and b.ok):
            problem = _problem(a, b)
            rows.append([label, _queries(a, b), *["-"] * 5, problem])
            continue
        assert a.alone is not None and b.alone is not None
        lines = b.alone.body_lines - 1
        seconds = b.alone.percentile(0.5)
        rate = lines / seconds if seconds else 0.0
        if lines >= SMALL_CSV_ROWS:
            verdict = "met" if rate >= CSV_ROWS_PER_SECOND else "MISSES rows/s"
        else:
            verdict = "met" if seconds * 1000 <= SMALL_CSV_MS else f"MISSES {SMALL_CSV_MS} ms"
        rows.append(
            [
                label,
                _queries(a, b),
                f"{a.alone.body_lines - 1:,}",
                f"{lines:,}",
                ms(a.alone.percentile(0.5)),
                ms(seconds),
                f"{rate:,.0f}",
                verdict,
            ]
        )
    return _markdown(header, rows)


def submit_table(found: dict, sizes: tuple[int, int]) -> str:
    small, large = sizes
    a, b = found[LOG.name, small], found[LOG.name, large]
    header = [
        "submission",
        f"queries {small:,} / {large:,}",
        f"p50 {small:,}",
        f"p50 {large:,}",
        f"p95 {large:,}",
        "logged",
        "growth",
        "targets",
    ]
    if not (a.ok and b.ok) or a.alone is None or b.alone is None:
        problem = _problem(a, b)
        return _markdown(header, [[LOG.label, _queries(a, b), *["-"] * 5, problem]])
    growth = _growth(a, b, "alone")
    p95 = b.alone.percentile(0.95)
    misses = ["p95"] if p95 * 1000 > P95_MS else []
    if growth is not None and growth > GROWTH:
        misses.append("growth")
    row = [
        "log a session (POST, one at a time)",
        _queries(a, b),
        ms(_p50(a.alone)),
        ms(_p50(b.alone)),
        ms(p95),
        f"{a.alone.count} + {b.alone.count}",
        f"{growth:.2f}x" if growth else "-",
        "met" if not misses else "MISSES " + ", ".join(misses),
    ]
    return _markdown(header, [row])


# --- The run -------------------------------------------------------------------------------


def _selected(pages: list[Page], terms: list[str]) -> list[Page]:
    if not terms:
        return pages
    return [p for p in pages if any(t in p.name.lower() for t in terms)]


@dataclass
class Run:
    args: argparse.Namespace
    env: dict[str, str] = field(default_factory=dict)
    found: dict[tuple[str, int], Measured] = field(default_factory=dict)
    reference: dict[str, float] = field(default_factory=dict)  # page -> /healthz req/s
    before: float = 0.0
    after: float = 0.0
    minutes: float = 0.0
    load_average: float = 0.0

    def say(self, text: str) -> None:
        print(text, flush=True)

    def line(self, page: Page, cast: Cast) -> None:
        m = self.found[page.name, cast.size]
        parts = [f"  {page.name} at {cast.size:,}: {m.queries} queries"]
        if m.busy:
            parts.append(
                f"{m.busy.rate:,.1f} req/s, p50 {ms(_p50(m.busy))} ms, "
                f"p95 {ms(m.busy.percentile(0.95))} ms"
            )
        if m.alone:
            parts.append(f"alone p50 {ms(_p50(m.alone))} ms")
            if m.alone.body_lines > 1 and not m.busy:
                parts.append(f"{m.alone.body_lines - 1:,} rows")
        if m.cold:
            parts.append(f"cold p50 {ms(_p50(m.cold))} ms, p95 {ms(m.cold.percentile(0.95))} ms")
        if m.problem or not m.ok:
            parts.append(f"PROBLEM: {m.problem or m.status}")
        self.say(", ".join(parts))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page and size")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--pages", default="", help="only pages whose name has one of these")
    parser.add_argument("--posts", type=int, default=30, help="sessions logged per programme")
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="'' for none")
    parser.add_argument("--var-dir", default="/tmp/mentoring-bench-pages")  # nosec B108 # local bench
    args = parser.parse_args()
    args.alone = min(1.0, args.seconds / 5)
    args.export_seconds = max(1.0, args.seconds / 2)
    args.terms = [t.strip().lower() for t in args.pages.split(",") if t.strip()]
    return args


def _prepare(run: Run) -> list[Cast]:
    """Settings in this process, the data built or brought up to date, the people."""
    args = run.args
    if args.redis_url and not _redis_answers(args.redis_url):
        run.say(f"Redis at {args.redis_url} does not answer: running without it")
        args.redis_url = ""
    run.env = environment(
        database_url=args.database_url, redis_url=args.redis_url, var_dir=args.var_dir
    )
    os.environ.clear()
    os.environ.update(run.env)
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    built = ensure_database(args.database_url, rebuild=args.rebuild)
    import django

    django.setup()
    if built:  # the code may have moved on since: its new migrations
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        build(SIZE, then=add_page_history)
    _tidy()
    _flush_redis(args.redis_url)
    casts = [_cast(1), _cast(0)]  # 200 mentees, then 2,000
    run.say(f"data: {casts[1].size:,} + {casts[0].size:,} mentees; {_summary()}")
    return casts


def _count_all(run: Run, casts: list[Cast], pages: list[Page], submit: bool) -> None:
    from django.db import connection

    run.say("counting queries in this process (Django's test client)")
    for cast in casts:
        clients = {role: _client(email) for role, email in cast.emails.items()}
        for page in pages:
            run.found[page.name, cast.size] = _count(clients[page.role], page.url(cast))
        if submit:
            run.found[LOG.name, cast.size] = _count_log(clients["mentor"], cast)
    connection.close()


def _serve_all(
    run: Run, casts: list[Cast], pages: list[Page], exports: list[Page], submit: bool
) -> None:
    args = run.args
    port = free_port()
    log = Path(args.var_dir) / "gunicorn.log"
    run.say(f"serving on {HOST}:{port} with {args.workers} gunicorn sync workers (log: {log})")
    run.load_average = os.getloadavg()[0]
    started = time.perf_counter()
    with gunicorn(run.env, port=port, workers=args.workers, log=log):
        sites = {}
        for cast in casts:
            for role, email in cast.emails.items():
                sites[cast.size, role] = site = Site(port)
                site.sign_in(email, PASSWORD)
        healthz = Site(port).raw("GET", "/healthz")

        def reference(when: str, seconds: float) -> float:
            load(HOST, port, healthz, connections=8, seconds=0, minimum=50)
            cpu = time.process_time()
            found = load(HOST, port, healthz, connections=args.connections, seconds=seconds)
            if not found.ok:
                raise RuntimeError(f"/healthz failed: {found.errors[:1]} {dict(found.statuses)}")
            cpu = (time.process_time() - cpu) / found.seconds
            if when:
                run.say(
                    f"reference /healthz {when}: {found.rate:,.0f} req/s, "
                    f"p50 {ms(_p50(found))} ms, p95 {ms(found.percentile(0.95))} ms "
                    f"(the load generator used {cpu:.0%} of a core)"
                )
            return found.rate

        # The reference before and after the pages, and for a second between any two: each
        # page's share is of the reference measured just around it.
        run.before = checkpoint = reference("before", args.seconds)
        for n, page in enumerate(pages):
            for r in range(ROUNDS):  # 200, 2,000, 200, 2,000: a busy spell hits both
                for cast in casts:
                    found = run.found[page.name, cast.size]
                    if found.ok:
                        _served(sites[cast.size, page.role], page.url(cast), found, args, r)
            if page.cached:
                for cast in casts:
                    found = run.found[page.name, cast.size]
                    if found.ok:
                        _cold(sites[cast.size, page.role], page.url(cast), cast.slug, found)
            last = n == len(pages) - 1
            following = reference("after", args.seconds) if last else reference("", 1.0)
            run.reference[page.name] = (checkpoint + following) / 2
            checkpoint = following
            for cast in casts:
                run.line(page, cast)
        run.after = checkpoint
        for page in exports:
            for cast in casts:
                found = run.found[page.name, cast.size]
                if found.ok:
                    _export(sites[cast.size, page.role], page.url(cast), found, args)
                run.line(page, cast)
        if submit:
            for cast in casts:
                found = run.found[LOG.name, cast.size]
                if found.ok:
                    _submit(sites[cast.size, "mentor"], cast, found, args.posts)
                run.line(LOG, cast)
    run.minutes = (time.perf_counter() - started) / 60


def _report(
    run: Run, sizes: tuple[int, int], pages: list[Page], exports: list[Page], submit: bool
) -> str:
    args = run.args
    out = [
        f"Pages served by gunicorn ({args.workers} sync workers, production settings, "
        f"{'Redis cache' if args.redis_url else 'per-worker memory cache'}), "
        f"{args.connections} connections, {args.seconds:g} s per page and size; "
        f"{sizes[1]:,} and {sizes[0]:,} mentees; {run.minutes:.1f} min served, load "
        f"average {run.load_average:.1f} -> {os.getloadavg()[0]:.1f}."
    ]
    if pages:
        rates = list(run.reference.values())
        spread = (max(rates) - min(rates)) / max(rates) if rates else 0.0
        out.append(
            f"Reference /healthz: {run.before:,.0f} req/s before the pages, {run.after:,.0f} "
            f"after; between pages {min(rates):,.0f} to {max(rates):,.0f}. Each share is of "
            "the reference measured around that page ('ref')."
        )
        if spread > 0.25:
            out.append(
                f"The reference moved by {spread:.0%} during the run: the machine was busy; "
                "shares are only rough. Run it again when it is quiet."
            )
        out.append(
            f"Targets at {sizes[1]:,}: p95 ≤ {P95_MS} ms; share ≥ {EVERYDAY_SHARE:.0%} (everyday "
            f"mentee and mentor pages) or ≥ {OTHER_SHARE:.0%}; growth (p50 {sizes[1]:,} / "
            f"{sizes[0]:,}) ≤ {GROWTH:.2f}x. Times in ms; 'alone': one connection.\n"
        )
        out += [page_table(pages, run.found, sizes, run.reference), ""]
        cached = [page for page in pages if page.cached]
        if cached:
            out.append(
                f"Cached pages cold: {COLD_REQUESTS} requests one at a time, the programme's "
                f"figures marked changed before each (target p95 ≤ {COLD_P95_MS} ms):\n"
            )
            out += [cold_table(cached, run.found, sizes), ""]
    if exports:
        out.append(
            f"Exports, downloaded one at a time (target ≥ {CSV_ROWS_PER_SECOND:,} rows/s; "
            f"under {SMALL_CSV_ROWS:,} rows: ≤ {SMALL_CSV_MS} ms):\n"
        )
        out += [export_table(exports, run.found, sizes), ""]
    if submit:
        out.append(f"Logging a session, {args.posts} per programme, each on a fresh draft:\n")
        out += [submit_table(run.found, sizes), ""]
    return "\n".join(out)


def main() -> None:
    run = Run(_arguments())
    casts = _prepare(run)
    pages = _selected(_pages(), run.args.terms)
    exports = _selected(_exports(), run.args.terms)
    submit = bool(_selected([LOG], run.args.terms))
    # Before counting too: production settings render pages through the static manifest.
    run.say("collecting static files")
    collectstatic(run.env)
    _count_all(run, casts, [*pages, *exports], submit)
    try:
        _serve_all(run, casts, pages, exports, submit)
    finally:
        _tidy()
        _flush_redis(run.args.redis_url)
    text = _report(run, (casts[0].size, casts[1].size), pages, exports, submit)
    saved = Path(run.args.var_dir) / "pages.md"
    saved.write_text(text)
    print(f"\n{text}\n(saved in {saved})")


if __name__ == "__main__":
    main()
