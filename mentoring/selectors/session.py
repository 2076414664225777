from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from mentoring.models import (
    AgreedAction,
    Channel,
    Guideline,
    GuidelineCheck,
    MentoringSession,
    SessionFeedback,
)
from mentoring.services.session import CSV_HEADER
from programmes.models import Membership, Phase, Programme


def sessions_in_phase(membership: Membership, phase: Phase) -> tuple[int, int]:
    """How the SESSIONS_LOGGED criterion counts: sessions logged in this phase (or since it
    started), and the actions agreed in them still open. Two queries."""
    in_phase = Q(phase=phase)
    if membership.current_phase_id == phase.pk and membership.phase_started_at:
        in_phase |= Q(held_at__gte=membership.phase_started_at)
    ids = list(
        MentoringSession.objects.logged()
        .filter(in_phase, mentee=membership)
        .values_list("pk", flat=True)
    )
    open_actions = (
        AgreedAction.objects.filter(session_id__in=ids, done_at__isnull=True).count() if ids else 0
    )
    return len(ids), open_actions


def sessions_logged_and_actions_done(membership: Membership, phase: Phase) -> bool:
    """Met when the mentee has `phase.exit_count` sessions logged in this phase (or since
    it started) and every action agreed in them is done."""
    held, open_actions = sessions_in_phase(membership, phase)
    return held >= phase.exit_count and open_actions == 0


def session_figures(programme: Programme) -> dict:
    """Dates, lengths, channels, counts, self-checks and ratings for a programme's logged
    sessions, in aggregate. A fixed number of queries whatever the programme's size."""
    logged = MentoringSession.objects.logged().filter(programme=programme)
    today = timezone.localdate()
    totals = logged.aggregate(
        sessions=Count("pk"),
        total_minutes=Sum("minutes"),
        average_minutes=Avg("minutes"),
        pairs=Count("pairing", distinct=True),
        last=Max("held_at"),
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
    labels = dict(Channel.choices)
    channels = [
        {**row, "label": labels.get(row["channel"], "Not said")}
        for row in logged.values("channel")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
        .order_by("-n")
    ]
    return {
        "totals": totals,
        "actions": actions,
        "feedback": feedback,
        "channels": channels,
        "months": list(
            logged.annotate(month=TruncMonth("held_at"))
            .values("month")
            .annotate(n=Count("pk"), minutes=Sum("minutes"))
            .order_by("month")
        ),
        "checks": _guideline_rows(programme, logged),
    }


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


def pair_figures(programme: Programme) -> QuerySet:
    """One row per pairing with logged sessions: counts and dates only."""
    return (
        MentoringSession.objects.logged()
        .filter(programme=programme)
        .values("pairing_id", "mentee__user__name", "mentee__user__email", "mentor__user__name")
        .annotate(
            n=Count("pk", distinct=True),
            minutes=Sum("minutes"),
            last=Max("held_at"),
            next_on=Max("next_session_on"),
        )
        .order_by("mentee__user__name", "pairing_id")
    )


def _cell(value: str) -> str:
    # A name starting with = + - or @ would run as a formula in a spreadsheet.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def session_csv_rows(programme: Programme) -> Iterator[list]:
    """The CSV a lead downloads: one row per logged session, without a word of its notes."""
    yield CSV_HEADER
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
            agreed=Count("actions", distinct=True),
            done=Count("actions", filter=Q(actions__done_at__isnull=False), distinct=True),
        )
        .order_by("held_at", "pk")
    )
    for row in rows.iterator(chunk_size=2000):
        held = timezone.localtime(row["held_at"])
        yield [
            held.date().isoformat(),
            held.strftime("%H:%M"),
            _cell(row["mentee__user__name"] or row["mentee__user__email"]),
            _cell(row["mentor__user__name"] or row["mentor__user__email"]),
            row["minutes"],
            row["channel"],
            _cell(row["phase__name"] or ""),
            row["agreed"],
            row["done"],
            row["next_session_on"].isoformat() if row["next_session_on"] else "",
        ]
