from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3

from mentoring.models import (
    AgreedAction,
    Channel,
    Guideline,
    GuidelineCheck,
    MentoringSession,
    Owner,
    SessionFeedback,
    SessionStatus,
)
from mentoring.services.session import CSV_HEADER
from programmes.models import Membership, Pairing, Phase, Programme

PAIRS_PAGE_SIZE = 50


class PhaseSessions(NamedTuple):
    held: int  # sessions logged in the phase (or since it started)
    open_actions: int  # actions agreed in them still open, whoever owns them
    mentors_open: int  # of those, the mentor's (the mentee cannot tick them)


def sessions_in_phase(membership: Membership, phase: Phase) -> PhaseSessions:
    """How the SESSIONS_LOGGED criterion counts: sessions logged in this phase (or since it
    started), and the actions agreed in them still open, with the mentor's share. Two
    queries."""
    in_phase = Q(phase=phase)
    if membership.current_phase_id == phase.pk and membership.phase_started_at:
        in_phase |= Q(held_at__gte=membership.phase_started_at)
    ids = list(
        MentoringSession.objects.logged()
        .filter(in_phase, mentee=membership)
        .values_list("pk", flat=True)
    )
    if not ids:
        return PhaseSessions(0, 0, 0)
    counts = AgreedAction.objects.filter(session_id__in=ids, done_at__isnull=True).aggregate(
        open=Count("pk"), mentors=Count("pk", filter=Q(owner=Owner.MENTOR))
    )
    return PhaseSessions(len(ids), counts["open"], counts["mentors"])


def sessions_logged_and_actions_done(membership: Membership, phase: Phase) -> bool:
    """Met when the mentee has `phase.exit_count` sessions logged in this phase (or since
    it started) and every action agreed in them is done."""
    found = sessions_in_phase(membership, phase)
    return found.held >= phase.exit_count and found.open_actions == 0


def own_sessions(
    visible: QuerySet[MentoringSession],
    *,
    mentor: Membership | None,
    mentee: Membership | None,
) -> QuerySet[MentoringSession]:
    """A person's sessions list: `visible` (their `visible_to`, the access rule) narrowed by
    their own role's column as well, so that the mentee's or the mentor's index answers
    instead of a scan of every session for the OR across joins. Newest first, with each
    session's count of actions and whether its mentee answered, looked up per row."""
    own = Q(pk__in=[])
    if mentor is not None:
        own |= Q(mentor=mentor)
    if mentee is not None:
        own |= Q(mentee=mentee, status=SessionStatus.LOGGED)
    actions = (
        AgreedAction.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        visible.filter(own)
        .annotate(
            actions_count=Coalesce(Subquery(actions), 0),
            has_feedback=Exists(SessionFeedback.objects.filter(session=OuterRef("pk"))),
        )
        .order_by("-held_at", "-pk")
    )


def session_figures(programme: Programme, *, page: Any = 1, aggregates: dict | None = None) -> dict:
    """Dates, lengths, channels, counts, self-checks and ratings for a programme's logged
    sessions, in aggregate (`aggregates`, if the caller kept them), and one page of its
    pairs. A fixed number of queries whatever the programme's size."""
    found = dict(aggregates if aggregates is not None else session_aggregates(programme))
    pairs = pair_figures(programme, page=page, count=found["totals"].get("pairs"))
    found["totals"] = {**found["totals"], "pairs": pairs.paginator.count}
    found["pairs"] = pairs
    # Labelled here, not in the kept aggregates: in the reader's own time zone.
    found["months"] = [{**row, "label": _month_label(row["month"])} for row in found["months"]]
    return found


def session_aggregates(programme: Programme) -> dict:
    """The figures of `session_figures` that cover the whole programme, and nothing of any
    one person, so a page may cache them: each table read once, counted with FILTER."""
    logged = MentoringSession.objects.logged().filter(programme=programme)
    today = timezone.localdate()
    # One pass over the sessions, by channel and month: the totals, the channels and the
    # months are sums of its rows.
    groups = list(
        logged.annotate(month=TruncMonth("held_at"))
        .values("channel", "month")
        .annotate(n=Count("pk"), minutes=Sum("minutes"), last=Max("held_at"))
        .order_by()
    )
    actions = AgreedAction.objects.filter(session__in=logged).aggregate(
        agreed=Count("pk"),
        done=Count("pk", filter=Q(done_at__isnull=False)),
        overdue=Count("pk", filter=Q(done_at__isnull=True, due_on__lt=today)),
    )
    feedback = SessionFeedback.objects.filter(session__in=logged).aggregate(
        answered=Count("pk"),
        rated=Count("rating"),
        average=Avg("rating"),
        good_yes=Count("pk", filter=Q(good_way_to_meet=True)),
        good_no=Count("pk", filter=Q(good_way_to_meet=False)),
        more=Count("pk", filter=Q(frequency="more")),
        right=Count("pk", filter=Q(frequency="right")),
        less=Count("pk", filter=Q(frequency="less")),
        **{f"r{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)},
    )
    feedback["ratings"] = [(n, feedback.pop(f"r{n}")) for n in range(1, 6)]
    totals = _totals(groups)
    totals["pairs"] = _pairs_met(programme).count()
    return {
        "totals": totals,
        "actions": actions,
        "feedback": feedback,
        "channels": _summed(groups, "channel", by_count=True),
        "months": _summed(groups, "month"),
        "checks": _guideline_rows(programme, logged),
    }


def _month_label(month: datetime | None) -> str:
    """What `{{ month|date:"F Y" }}` writes: December 2026."""
    if month is None:
        return ""
    if timezone.is_aware(month):
        month = timezone.localtime(month)
    return f"{MONTHS[month.month]} {month.year:04d}"


def _totals(groups: Sequence[Mapping[str, Any]]) -> dict:
    sessions = sum(g["n"] for g in groups)
    minutes = sum(g["minutes"] or 0 for g in groups) if groups else None
    return {
        "sessions": sessions,
        "total_minutes": minutes,
        "average_minutes": minutes / sessions if sessions and minutes is not None else None,
        "last": max((g["last"] for g in groups), default=None),
    }


def _summed(groups: Sequence[Mapping[str, Any]], key: str, *, by_count: bool = False) -> list[dict]:
    """The groups' sessions and minutes summed by `key`: by the most sessions first, or in
    the key's order."""
    found: dict[Any, dict] = {}
    for g in groups:
        row = found.setdefault(g[key], {key: g[key], "n": 0, "minutes": 0})
        row["n"] += g["n"]
        row["minutes"] += g["minutes"] or 0
    rows = list(found.values())
    if key == "channel":
        labels = dict(Channel.choices)
        for row in rows:
            row["label"] = labels.get(row["channel"], "Not said")
    if by_count:
        return sorted(rows, key=lambda row: -row["n"])
    return sorted(rows, key=lambda row: row[key])


def _guideline_rows(programme: Programme, logged: QuerySet[MentoringSession]) -> list[dict]:
    counts = (
        GuidelineCheck.objects.filter(session__in=logged)
        .exclude(answer="")
        .values("guideline_id", "answer")
        .annotate(n=Count("pk"))
    )
    by_guideline: dict[int, dict[str, int]] = {}
    for row in counts:
        by_guideline.setdefault(row["guideline_id"], {})[row["answer"]] = row["n"]
    rows = []
    for guideline in Guideline.objects.filter(programme=programme).order_by("position", "pk"):
        answers = by_guideline.get(guideline.pk, {})
        if guideline.archived_at and not answers:
            continue
        rows.append(
            {
                "guideline": guideline,
                "yes": answers.get("yes", 0),
                "partly": answers.get("partly", 0),
                "no": answers.get("no", 0),
            }
        )
    return rows


def _pairs_met(programme: Programme) -> QuerySet[Pairing]:
    """The programme's pairings with a logged session."""
    met = MentoringSession.objects.logged().filter(pairing=OuterRef("pk"))
    return Pairing.objects.filter(programme=programme).filter(Exists(met))


def pair_figures(programme: Programme, *, page: Any = 1, count: int | None = None) -> Page:
    """One page of the pairings with logged sessions, by the mentee's name: counts and dates
    only. The page is chosen on pairing ids alone (no grouping to count or to page); then
    only its pairings' sessions are grouped. `count`, the number of those pairings, if the
    caller knows it (`session_aggregates` does), saves counting them again."""
    ids = _pairs_met(programme).order_by("mentee__user__name", "pk").values_list("pk", flat=True)
    paginator = Paginator(ids, PAIRS_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property, set ahead
    shown = paginator.get_page(page)
    on_page = list(shown.object_list)
    rows = {
        row["pairing_id"]: row
        for row in MentoringSession.objects.logged()
        .filter(pairing_id__in=on_page)
        .values("pairing_id", "mentee__user__name", "mentee__user__email", "mentor__user__name")
        .annotate(
            n=Count("pk"),
            minutes=Sum("minutes"),
            last=Max("held_at"),
            next_on=Max("next_session_on"),
        )
        .order_by()
    }
    listed: list[dict[str, Any]] = [dict(rows[pk]) for pk in on_page if pk in rows]
    day = day_label()
    for row in listed:
        row["last_label"], row["next_label"] = day(row["last"]), day(row["next_on"])
    return Page(listed, shown.number, shown.paginator)


def day_label(*, time: bool = False):
    """`f(value)`: what `{{ value|date:"j M Y" }}` writes (6 Dec 2026; a moment in the
    current time zone; "" for None), or with `time` `{{ value|date:"j M Y, H:i" }}`, without
    the template filter's work per call."""
    months = {n: str(name).title() for n, name in MONTHS_3.items()}

    def label(value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        day = f"{value.day} {months[value.month]} {value.year:04d}"
        if time and isinstance(value, datetime):
            return f"{day}, {value.hour:02d}:{value.minute:02d}"
        return day

    return label


def session_csv(programme: Programme) -> tuple[list[str], Iterator[list]]:
    """The CSV a lead downloads: one row per logged session, without a word of its notes.
    The header and the rows, for `programmes.spreadsheet.csv_response`, which makes every
    cell safe to open in a spreadsheet."""
    return CSV_HEADER, _session_csv_rows(programme)


def _session_csv_rows(programme: Programme) -> Iterator[list]:
    rows = (
        MentoringSession.objects.logged()
        .filter(programme=programme)
        .values(
            "held_at",
            "mentee__user__name",
            "mentee__user__email",
            "mentor__user__name",
            "mentor__user__email",
            "minutes",
            "channel",
            "phase__name",
            "next_session_on",
        )
        .annotate(
            # One to-many join: each action is counted once without DISTINCT, which would
            # sort all of the programme's actions.
            agreed=Count("actions"),
            done=Count("actions", filter=Q(actions__done_at__isnull=False)),
        )
        .order_by("held_at", "pk")
    )
    zone = timezone.get_current_timezone()  # once: looking it up per row cost a third
    for row in rows.iterator(chunk_size=2000):
        held = row["held_at"].astimezone(zone)
        yield [
            held.date().isoformat(),
            held.strftime("%H:%M"),
            row["mentee__user__name"] or row["mentee__user__email"],
            row["mentor__user__name"] or row["mentor__user__email"],
            row["minutes"],
            row["channel"],
            row["phase__name"] or "",
            row["agreed"],
            row["done"],
            row["next_session_on"].isoformat() if row["next_session_on"] else "",
        ]
