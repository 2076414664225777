"""The lead's dashboard: who is moving, who is stuck and why, and what the cohort practises.

Every panel reads the filtered cohort (`cohort`: the programme's active mentees, narrowed by
phase, mentor and pace) as a subquery and answers with aggregate SQL, in a fixed number of
queries whatever the programme's size. Lists of people are paginated or capped. The at-risk
ranking reads the verdict the pace sweep stores (`Membership.pace_status`, `pace_behind`);
it does not judge anyone again.

Lists and counts start from the cohort's rows and reach other tables by key, so a small
programme's dashboard does not scan a large one's rows (`make bench-explain` checks); a page
of people is chosen on memberships before its few rows are joined to their users.

The tables here (and in `answers.py`) are also downloadable: `CSV_TABLES` names each, with
a function returning its header and all its rows.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from mentoring.cadence import CADENCE_DAYS, next_session_on
from mentoring.models import Cadence, CadenceAgreement, MentoringSession, SessionStatus, User
from mentoring.selectors.nudge import WindowFigures, nudge_figures
from playbooks.models import Completion, Section
from playbooks.models.playbook import SectionStatus
from programmes.charts import Chart, Series, most, stacked_columns
from programmes.lookups import among
from programmes.models import (
    Membership,
    PaceStatus,
    Pairing,
    Phase,
    PhaseTransition,
    Programme,
    Role,
)
from programmes.models.membership import days_in_phase
from programmes.selectors.programme import AT_RISK, pace_filters
from programmes.selectors.rows import display_name
from programmes.selectors.timeline import Timeline, timelines_of

WEEKS = 12  # how far back the charts by week look
RISK_ROWS = 10  # the at-risk panel's length; the CSV and the People page have everyone
PAGE_SIZE = 50
RECENT_DAYS = 90  # "actual" cadence is measured over this many days
DONE = "done"  # the funnel's last step: operationalised


# --- The cohort ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the lead narrowed the dashboard to. Empty means everyone."""

    phase: int | str | None = None  # a phase's key, or DONE for the operationalised
    mentor: int | None = None  # the mentor's membership
    pace: str = ""  # a key of `pace_filters()`

    @property
    def active(self) -> bool:
        return bool(self.phase or self.mentor or self.pace)

    def query(self, **changes: Any) -> str:
        """The filters as a query string, for links that keep them."""
        values = {"phase": self.phase, "mentor": self.mentor, "pace": self.pace, **changes}
        return urlencode({k: v for k, v in values.items() if v})


def cohort(programme: Programme, filters: Filters) -> QuerySet[Membership]:
    """The programme's active mentees the filters keep. Not evaluated: panels use it as a
    subquery."""
    mentees = Membership.objects.active().filter(programme=programme, role=Role.MENTEE)
    if filters.phase == DONE:
        mentees = mentees.filter(operationalised_at__isnull=False)
    elif isinstance(filters.phase, int):
        mentees = mentees.filter(current_phase_id=filters.phase, operationalised_at__isnull=True)
    if filters.mentor:
        mentees = mentees.filter(
            mentee_pairings__mentor_id=filters.mentor, mentee_pairings__ended_at__isnull=True
        )
    if filters.pace:
        statuses = next((f.statuses for f in pace_filters() if f.key == filters.pace), ())
        mentees = mentees.filter(pace_status__in=statuses)
    return mentees


def _ids(mentees: QuerySet[Membership]) -> QuerySet:
    return mentees.order_by().values("pk")


def _mentor_of() -> Subquery:
    return Subquery(
        Pairing.objects.filter(mentee=OuterRef("pk"), ended_at__isnull=True)
        .order_by("-started_at")
        .values("mentor__user__name")[:1]
    )


def _user_name() -> Subquery:
    """A person's name read by key, row by row: a sort key that does not join the users
    (a join to every cohort row hashes every user of the site)."""
    return Subquery(User.objects.filter(pk=OuterRef("user_id")).order_by().values("name")[:1])


def _page_of(mentees: QuerySet[Membership], ranked: QuerySet[Membership]) -> QuerySet[Membership]:
    """The cohort's rows among `ranked`'s ids (a sliced subquery): the page is chosen on
    memberships alone, and only its few rows are joined to their users, by key."""
    return mentees.filter(pk__in=ranked.values("pk"))


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(today: date, count: int = WEEKS) -> list[date]:
    this_week = _week_start(today)
    return [this_week - timedelta(weeks=count - 1 - i) for i in range(count)]


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# --- Phase funnel over time ----------------------------------------------------------------


@dataclass
class Funnel:
    """How many of the cohort were in each phase at the end of each of the last weeks (the
    last column is now), and the chart of it."""

    weeks: list[date]
    steps: list[str]
    counts: list[list[int]]  # counts[step][week]
    chart: Chart

    @property
    def now(self) -> list[tuple[str, int]]:
        return [(step, row[-1]) for step, row in zip(self.steps, self.counts, strict=True)]

    @property
    def total(self) -> int:
        return sum(row[-1] for row in self.counts)

    @property
    def summary(self) -> str:
        if not self.total:
            return "Nobody in this view."
        first = sum(row[0] for row in self.counts)
        count, where = most(self.now)
        one = self.total == 1
        span = len(self.weeks)
        if span < WEEKS:  # the window starts at the first week anyone was in view
            then = f"{'' if one else 'all '}joined since the week of {self.weeks[0]:%-d %b}"
        elif not first:
            then = f"{'' if one else 'all '}joined in the last {WEEKS} weeks"
        else:
            then = f"against {first} in the week of {self.weeks[0]:%-d %b}"
        if one:
            return f"1 person now, {then}; in {where}."
        return f"{self.total} people now, {then}; the most ({count}) are in {where}."


def funnel(programme: Programme, mentees: QuerySet[Membership], *, today: date) -> Funnel:
    """Four queries: the phases, where everyone is now, who moved within the window and
    their moves (none to read if nobody moved), which are undone week by week back from now.
    Moves before the window need not be read, and people with no recorded moves stay where
    they are."""
    phases = list(Phase.objects.filter(programme=programme).order_by("position", "pk"))
    keys: list[int | str] = [p.pk for p in phases] + [DONE]
    steps = [p.name for p in phases] + ["Operationalised"]
    weeks = _weeks(today)
    now: dict[int | str, int] = defaultdict(int)
    for phase_id, done, n in (
        mentees.order_by()
        .values("current_phase_id")
        .annotate(
            done=Count("pk", filter=Q(operationalised_at__isnull=False)),
            n=Count("pk"),
        )
        .values_list("current_phase_id", "done", "n")
    ):
        now[DONE] += done
        if phase_id is not None:
            now[phase_id] += n - done
    start = timezone.make_aware(datetime.combine(weeks[0], datetime.min.time()))
    # net[week][key]: how many more were in `key` at the end of `week` than at its start.
    net: dict[date, dict[int | str, int]] = defaultdict(lambda: defaultdict(int))
    # Who moved within the window, by each person's latest move on the (membership, at)
    # index: with the cohort as a subquery, the planner scans every move of the site.
    last_move = PhaseTransition.objects.filter(membership=OuterRef("pk")).order_by("-at")
    movers = list(
        _ids(mentees)
        .alias(last_move=Subquery(last_move.values("at")[:1]))
        .filter(last_move__gte=start)
        .values_list("pk", flat=True)
    )
    for week, kind, from_id, to_id, n in (
        PhaseTransition.objects.filter(among("membership_id", movers), at__gte=start)
        .order_by()
        .annotate(week=TruncWeek("at"))
        .values("week", "kind", "from_phase_id", "to_phase_id")
        .annotate(n=Count("pk"))
        .values_list("week", "kind", "from_phase_id", "to_phase_id", "n")
    ):
        moved = net[_as_date(week)]
        if from_id is not None:
            moved[from_id] -= n
        elif kind != PhaseTransition.Kind.JOINED:
            moved[DONE] -= n  # moved back from business as usual
        moved[to_id if to_id is not None else DONE] += n
    counts = {key: [0] * len(weeks) for key in keys}
    level = {key: now.get(key, 0) for key in keys}
    for i in range(len(weeks) - 1, -1, -1):
        for key in keys:
            counts[key][i] = max(level[key], 0)
        for key, n in net.get(weeks[i], {}).items():
            if key in level:
                level[key] -= n
    # Weeks before anyone in view had joined (a programme younger than the window) are
    # left off, so a new programme's chart starts where it did: this week at the least.
    first = next(
        (i for i in range(len(weeks)) if any(counts[key][i] for key in keys)), len(weeks) - 1
    )
    weeks = weeks[first:]
    rows = [counts[key][first:] for key in keys]
    labels = [f"w/c {w:%-d %b}" for w in weeks]
    labels[-1] = "This week"
    chart = stacked_columns(
        labels,
        [Series(step, row, i) for i, (step, row) in enumerate(zip(steps, rows, strict=True))],
    )
    return Funnel(weeks=weeks, steps=steps, counts=rows, chart=chart)


def funnel_csv(programme: Programme, mentees: QuerySet[Membership], today: date) -> tuple:
    found = funnel(programme, mentees, today=today)
    header = ["week starting", *found.steps]
    rows = (
        [week.isoformat(), *(row[i] for row in found.counts)] for i, week in enumerate(found.weeks)
    )
    return header, rows


# --- At risk -------------------------------------------------------------------------------


@dataclass
class AtRisk:
    people: list[Membership]
    total: int
    set_aside: int  # at risk, but a lead set them aside for now
    # The first of them, soonest back first, each a click from coming back now.
    set_aside_people: list[Membership] = field(default_factory=list)


def _at_risk(
    mentees: QuerySet[Membership], today: date, *, set_aside: bool = False
) -> QuerySet[Membership]:
    found = mentees.filter(pace_status__in=AT_RISK)
    if not set_aside:
        found = found.exclude(risk_snoozed_until__gte=today)
    # Ties in the timelines' order (by name), so the two lists agree.
    return found.alias(name=_user_name()).order_by("-pace_behind", "name", "pk")


def _with_people(found: QuerySet[Membership]) -> QuerySet[Membership]:
    return found.select_related("user", "current_phase", "programme").annotate(
        mentor_name=_mentor_of()
    )


def at_risk(mentees: QuerySet[Membership], *, today: date, limit: int = RISK_ROWS) -> AtRisk:
    """Those furthest behind their own pace first, with the sweep's reason, and those set
    aside. Three queries."""
    counts = mentees.filter(pace_status__in=AT_RISK).aggregate(
        total=Count("pk"), set_aside=Count("pk", filter=Q(risk_snoozed_until__gte=today))
    )
    first = _page_of(mentees, _at_risk(mentees, today)[:limit])
    aside = (
        mentees.filter(pace_status__in=AT_RISK, risk_snoozed_until__gte=today)
        .select_related("user")
        .order_by("risk_snoozed_until", "pk")[:limit]
    )
    return AtRisk(
        people=list(_with_people(first).order_by(*RISK_ORDER)),
        total=counts["total"] - counts["set_aside"],
        set_aside=counts["set_aside"],
        set_aside_people=list(aside),
    )


def at_risk_csv(programme: Programme, mentees: QuerySet[Membership], today: date) -> tuple:
    header = [
        "name",
        "email",
        "phase",
        "pace",
        "behind own pace (in agreed intervals)",
        "why",
        "days in phase",
        "mentor",
        "set aside until",
    ]
    statuses = dict(PaceStatus.choices)
    now = timezone.now()
    starts_on = programme.starts_on

    def rows() -> Iterator[list]:
        # Plain tuples, as the timelines' CSV: three model instances a row cost most of it.
        for name, email, phase, status, behind, reason, started_at, mentor, aside in (
            _at_risk(mentees, today, set_aside=True)
            .annotate(mentor_name=_mentor_of())
            .values_list(
                "user__name",
                "user__email",
                "current_phase__name",
                "pace_status",
                "pace_behind",
                "pace_reason",
                "phase_started_at",
                "mentor_name",
                "risk_snoozed_until",
            )
            .iterator(chunk_size=1000)
        ):
            yield [
                display_name(name, email),
                email,
                phase or "",
                statuses.get(status, ""),
                round(behind, 2),
                reason,
                _or_blank(days_in_phase(started_at, starts_on, now)),
                mentor or "",
                aside.isoformat() if aside and aside >= today else "",
            ]

    return header, rows()


def _or_blank(value: int | None) -> int | str:
    return "" if value is None else value


# --- Timelines -----------------------------------------------------------------------------


RISK_ORDER = ("-pace_behind", "user__name", "pk")


def _risk_order(mentees: QuerySet[Membership]) -> QuerySet[Membership]:
    return mentees.order_by(*RISK_ORDER)


def timelines(
    programme: Programme, mentees: QuerySet[Membership], *, today: date, page: Any = 1
) -> tuple[Page, list[Timeline]]:
    """One page of the cohort, those furthest behind first: each person's phases as bars,
    as they happened and as planned. Four queries (phases, count, page, their moves)."""
    ranked = mentees.alias(name=_user_name()).order_by("-pace_behind", "name", "pk")
    shown: Page = Paginator(ranked, PAGE_SIZE).get_page(page)
    rows = list(
        _page_of(mentees, cast(QuerySet[Membership], shown.object_list))
        .select_related("user", "current_phase", "programme")
        .order_by(*RISK_ORDER)
    )
    shown.object_list = rows
    return shown, timelines_of(rows, today=today)


def timeline_csv(programme: Programme, mentees: QuerySet[Membership], today: date) -> tuple:
    header = ["name", "phase", "in phase since", "days in phase", "planned days", "pace"]
    statuses = dict(PaceStatus.choices)
    now = timezone.now()
    starts_on = programme.starts_on

    def rows() -> Iterator[list]:
        # Plain tuples, not three model instances a row: a row costs a tenth as much.
        for name, email, phase, weeks, operationalised_at, started_at, status in (
            _risk_order(mentees)
            .values_list(
                "user__name",
                "user__email",
                "current_phase__name",
                "current_phase__expected_weeks",
                "operationalised_at",
                "phase_started_at",
                "pace_status",
            )
            .iterator(chunk_size=1000)
        ):
            in_phase = operationalised_at is None and phase is not None
            yield [
                display_name(name, email),
                phase if in_phase else ("Operationalised" if operationalised_at else ""),
                timezone.localdate(started_at).isoformat() if started_at else "",
                _or_blank(days_in_phase(started_at, starts_on, now)),
                weeks * 7 if in_phase and weeks else "",
                statuses.get(status, "Not checked yet"),
            ]

    return header, rows()


# --- Practice ------------------------------------------------------------------------------


@dataclass
class Practice:
    weeks: list[date]
    completions: list[int]
    chart: Chart
    sections: list[tuple[str, str, int]]  # (status, label, count)

    @property
    def summary(self) -> str:
        total = sum(self.completions)
        span = len(self.weeks)
        weeks = f"{span} week{'s' if span != 1 else ''}"
        if not total:
            return f"No activities ticked off in the last {weeks}."
        busiest = max(range(len(self.weeks)), key=lambda i: self.completions[i])
        return (
            f"{total} activities ticked off in {weeks}; the busiest week started "
            f"{self.weeks[busiest]:%-d %b} ({self.completions[busiest]})."
        )

    @property
    def sections_total(self) -> int:
        return sum(n for _, _, n in self.sections)


def practice(mentees: QuerySet[Membership], *, today: date, since: date | None = None) -> Practice:
    """Activities ticked off per week (from the week of `since`, if later than the
    window's start), and playbook sections by state: two queries."""
    weeks = [w for w in _weeks(today) if since is None or w >= since]
    # Counted by day, summed into weeks here: grouping on the column itself costs half of
    # truncating each of the cohort's completions to its week in SQL (a date made a
    # timestamp, row by row), and 84 days are nothing to add up.
    per_week: dict[date, int] = defaultdict(int)
    for day, n in (
        Completion.objects.filter(
            membership__in=_ids(mentees), done_on__gte=weeks[0], done_on__lte=today
        )
        .order_by()
        .values("done_on")
        .annotate(n=Count("*"))
        .values_list("done_on", "n")
    ):
        per_week[_week_start(day)] += n
    values = [per_week.get(w, 0) for w in weeks]
    labels = [f"w/c {w:%-d %b}" for w in weeks]
    by_state = dict(
        Section.objects.filter(playbook__membership__in=_ids(mentees))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return Practice(
        weeks=weeks,
        completions=values,
        chart=stacked_columns(labels, [Series("Activities ticked off", values, 4)]),
        sections=[(s.value, s.label, by_state.get(s.value, 0)) for s in SectionStatus],
    )


def practice_csv(programme: Programme, mentees: QuerySet[Membership], today: date) -> tuple:
    found = practice(mentees, today=today)
    rows = [[w.isoformat(), n] for w, n in zip(found.weeks, found.completions, strict=True)]
    return ["week starting", "activities ticked off"], rows


def sections_csv(programme: Programme, mentees: QuerySet[Membership], today: date) -> tuple:
    found = practice(mentees, today=today)
    return ["section state", "sections"], [[label, n] for _, label, n in found.sections]


def _short_day(day: date) -> str:
    return f"{day.day} {day:%b}"


# --- Cadence -------------------------------------------------------------------------------


# Each cadence's label (lazy, so in the reader's language), looked up as a dict: building
# the enum member for each of a CSV's rows was a fifth of its time.
_CADENCE_LABELS: dict[str, Any] = dict(Cadence.choices)


@dataclass
class Rhythm:
    """One pairing: the rhythm they agreed, the one they keep, and whether a session is due."""

    pairing: Pairing
    agreed: str  # a Cadence value, or ""
    held_recently: int
    last_held: date | None
    today: date
    starts_on: date | None = None  # the programme's: nothing is due before it

    @property
    def agreed_label(self) -> str:
        return _CADENCE_LABELS.get(self.agreed, "Not agreed")

    @property
    def interval(self) -> int | None:
        return CADENCE_DAYS.get(self.agreed) if self.agreed else None

    @property
    def counted_from(self) -> date:
        """Where the count of recent sessions starts: RECENT_DAYS ago, or the day the pair
        was paired if that is later (they held none before it; sessions held before the
        programme began still count, so its start is not where the count starts)."""
        paired = timezone.localdate(self.pairing.started_at)
        return max(paired, self.today - timedelta(days=RECENT_DAYS))

    @property
    def actual_label(self) -> str:
        days = (self.today - self.counted_from).days
        n = self.held_recently
        if days >= RECENT_DAYS:
            if not n:
                return f"None in {RECENT_DAYS} days"
            return f"{n} in {RECENT_DAYS} days (every {round(RECENT_DAYS / n)} days)"
        since = f"since {_short_day(self.counted_from)}"
        if not n:
            return f"None yet {since}"
        # How often, once there has been time enough to say.
        every = f" (every {round(days / n)} days)" if days >= 28 else ""
        return f"{n} {since}{every}"

    @functools.cached_property
    def due_on(self) -> date | None:
        # The one next-session rule, without a date the pair set: this table is the rhythm.
        return next_session_on(
            agreed=None,
            last_held=self.last_held,
            cadence=self.agreed,
            since=timezone.localdate(self.pairing.started_at),
            today=self.today,
            starts_on=self.starts_on,
        )

    @property
    def overdue_days(self) -> int:
        due = self.due_on
        return max((self.today - due).days, 0) if due else 0


PAIRING_ORDER = ("-mentee__pace_behind", "mentee__user__name", "pk")


def _pairings(programme: Programme, mentees: QuerySet[Membership]) -> QuerySet[Pairing]:
    """The cohort's pairings, those furthest behind first."""
    return (
        Pairing.objects.active()
        .filter(programme=programme, mentee__in=_ids(mentees))
        .order_by(*PAIRING_ORDER)
    )


def _agreed() -> Subquery:
    """The cadence a pairing agreed last (the one in force)."""
    return Subquery(
        CadenceAgreement.objects.filter(
            pairing=OuterRef("pk"), status=CadenceAgreement.Status.ACCEPTED
        )
        .order_by("-answered_at", "-pk")
        .values("cadence")[:1]
    )


def _held_by_pairing(
    programme: Programme, mentees: QuerySet[Membership], since: datetime
) -> dict[int, tuple[int, datetime]]:
    """For each pairing of the cohort: sessions logged since `since`, and when the last was
    held. One query over the cohort's sessions, grouped: for a whole cohort a third cheaper
    than `_with_rhythm`'s two lookups a pairing, which suit a page of fifty."""
    return {
        pairing: (n, last)
        for pairing, n, last in MentoringSession.objects.filter(
            programme=programme, status=SessionStatus.LOGGED, mentee__in=_ids(mentees)
        )
        .order_by()
        .values("pairing")
        .annotate(n=Count("pk", filter=Q(held_at__gte=since)), last=Max("held_at"))
        .values_list("pairing", "n", "last")
    }


def _with_rhythm(pairings: QuerySet[Pairing], since: datetime) -> QuerySet[Pairing]:
    """Each pairing's agreed cadence, last session and sessions since `since`: correlated
    subqueries on the (pairing, status, held_at) index, so only the pairings asked about
    have their sessions read (a join with GROUP BY hashed every session of the site)."""
    logged = MentoringSession.objects.filter(pairing=OuterRef("pk"), status=SessionStatus.LOGGED)
    last_held = logged.order_by("-held_at").values("held_at")[:1]
    held_recently = (
        logged.filter(held_at__gte=since)
        .order_by()
        .values("pairing")
        .annotate(n=Count("*"))  # not the id: the index alone answers, no session row read
        .values("n")
    )
    return pairings.select_related("mentee__user", "mentor__user").annotate(
        agreed=_agreed(),
        last_held=Subquery(last_held),
        held_recently=Coalesce(Subquery(held_recently), 0),
    )


def _rhythm(p: Pairing, today: date, starts_on: date | None) -> Rhythm:
    last_held = getattr(p, "last_held", None)
    return Rhythm(
        pairing=p,
        agreed=getattr(p, "agreed", None) or "",
        held_recently=getattr(p, "held_recently", 0),
        last_held=timezone.localdate(last_held) if last_held else None,
        today=today,
        starts_on=starts_on,
    )


class _CsvPairing:
    """What `Rhythm` reads of a pairing, for the CSV's plain rows."""

    __slots__ = ("started_at",)

    def __init__(self, started_at: datetime) -> None:
        self.started_at = started_at


def rhythms(
    programme: Programme, mentees: QuerySet[Membership], *, today: date, page: Any = 1
) -> tuple[Page, list[Rhythm]]:
    """Per pairing, agreed against actual, those furthest behind first: two queries. The
    page is chosen on ids alone; only its fifty pairings have their sessions counted."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    shown: Page = Paginator(_pairings(programme, mentees).values("pk"), PAGE_SIZE).get_page(page)
    # The page's ids as a subquery, not a list: with fifty ids spelled out, the planner
    # hashes every membership of the site to join the fifty mentees.
    ids = cast(QuerySet, shown.object_list)
    found = Pairing.objects.filter(programme=programme, pk__in=ids).order_by(*PAIRING_ORDER)
    rows = [_rhythm(p, today, programme.starts_on) for p in _with_rhythm(found, since)]
    shown.object_list = rows
    return shown, rows


def cadence_csv(programme: Programme, mentees: QuerySet[Membership], today: date) -> tuple:
    header = [
        "mentee",
        "mentor",
        "agreed",
        f"sessions in last {RECENT_DAYS} days",
        "last session",
        "next due",
        "days overdue",
    ]
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    zone = timezone.get_current_timezone()

    def rows() -> Iterator[list]:
        # Plain tuples, not five model instances a row; `Rhythm` still does the sums.
        held_by_pairing = _held_by_pairing(programme, mentees, since)
        for pk, mentee, mentee_email, mentor, mentor_email, started_at, agreed in (
            _pairings(programme, mentees)
            .annotate(agreed=_agreed())
            .values_list(
                "pk",
                "mentee__user__name",
                "mentee__user__email",
                "mentor__user__name",
                "mentor__user__email",
                "started_at",
                "agreed",
            )
            .iterator(chunk_size=1000)
        ):
            held, last = held_by_pairing.get(pk, (0, None))
            r = Rhythm(
                pairing=_CsvPairing(started_at),  # type: ignore[arg-type]
                agreed=agreed or "",
                held_recently=held,
                last_held=timezone.localtime(last, zone).date() if last else None,
                today=today,
                starts_on=programme.starts_on,
            )
            yield [
                display_name(mentee, mentee_email),
                display_name(mentor, mentor_email),
                r.agreed_label,
                r.held_recently,
                r.last_held.isoformat() if r.last_held else "",
                r.due_on.isoformat() if r.due_on else "",
                r.overdue_days,
            ]

    return header, rows()


# --- Nudges --------------------------------------------------------------------------------


def nudges_csv(programme: Programme, mentees: QuerySet[Membership], today: date) -> tuple:
    windows: list[WindowFigures] = nudge_figures(programme, now=timezone.now())
    header = ["kind"] + [
        f"{w} in last {win.days} days"
        for win in windows
        for w in ("sent", "acted on", "still within their week")
    ]
    by_kind: dict[str, list[Any]] = {}
    for win in windows:
        for k in win.kinds:
            row = by_kind.setdefault(k.kind, [k.label])
            row += [k.sent, *((k.acted, k.waiting) if k.measured else ("", ""))]
    return header, list(by_kind.values())


# --- Downloads -----------------------------------------------------------------------------

CsvRows = Callable[[Programme, QuerySet[Membership], date], tuple[Sequence[str], Iterable[Any]]]

# The tables drawn from the whole programme whatever the filters.
WHOLE_PROGRAMME = frozenset({"nudges"})

CSV_TABLES: dict[str, tuple[str, CsvRows]] = {
    "at-risk": ("At risk", at_risk_csv),
    "funnel": ("Phase funnel by week", funnel_csv),
    "timelines": ("Timelines", timeline_csv),
    "practice": ("Activities ticked off by week", practice_csv),
    "sections": ("Playbook sections by state", sections_csv),
    "cadence": ("Cadence per pairing", cadence_csv),
    "nudges": ("Nudges sent and acted on", nudges_csv),
}


@dataclass
class Dashboard:
    filters: Filters
    funnel: Funnel
    at_risk: AtRisk
    timeline_page: Page
    timelines: list[Timeline]
    practice: Practice
    rhythm_page: Page
    rhythms: list[Rhythm]
    nudges: list[WindowFigures]
    extra: dict[str, Any] = field(default_factory=dict)


def dashboard(
    programme: Programme,
    filters: Filters,
    *,
    today: date | None = None,
    timeline_page: Any = 1,
    rhythm_page: Any = 1,
) -> Dashboard:
    today = today or timezone.localdate()
    mentees = cohort(programme, filters)
    shown_timelines, timeline_rows = timelines(programme, mentees, today=today, page=timeline_page)
    shown_rhythms, rhythm_rows = rhythms(programme, mentees, today=today, page=rhythm_page)
    phases = funnel(programme, mentees, today=today)
    return Dashboard(
        filters=filters,
        funnel=phases,
        at_risk=at_risk(mentees, today=today),
        timeline_page=shown_timelines,
        timelines=timeline_rows,
        # The same weeks as the phases' chart: none from before anyone in view had joined.
        practice=practice(mentees, today=today, since=phases.weeks[0]),
        rhythm_page=shown_rhythms,
        rhythms=rhythm_rows,
        nudges=nudge_figures(programme, now=timezone.now()),
    )
