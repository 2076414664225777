"""What a lead and a mentor see on a programme's home: fixed query counts at any size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from programmes.models import (
    AssessmentQuestion,
    Invitation,
    Membership,
    PaceStatus,
    Pairing,
    Phase,
    Programme,
    Role,
)


@dataclass
class FunnelRow:
    label: str
    count: int
    percent: int = 0


@dataclass
class PaceFilter:
    key: str
    label: str
    statuses: tuple[str, ...]
    count: int = 0


def pace_filters() -> list[PaceFilter]:
    """The People page's filters on the stored pace verdict, the riskiest first."""
    found = [PaceFilter("at_risk", "At risk", AT_RISK)]
    found += [PaceFilter(status.value, status.label, (status.value,)) for status in PaceStatus]
    found.append(PaceFilter("unchecked", "Not checked yet", ("",)))
    return found


# Stalled or slipping: the dashboard's "at risk" and the People page's filter of that name.
AT_RISK = (PaceStatus.STALLED.value, PaceStatus.SLIPPING.value)


@dataclass
class Overview:
    """A programme at a glance: where its mentees are in the phases, and its people. The
    lead's home and the programme's page show this one."""

    programme_id: int
    phases: list[Phase]
    funnel: list[FunnelRow]
    mentee_count: int = 0
    mentor_count: int = 0
    unpaired_count: int = 0
    at_risk_count: int = 0  # stalled or slipping at the last pace check


def whole_percentages(counts: list[int]) -> list[int]:
    """Whole-number shares that add up to exactly 100 (largest remainder first)."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * count / total for count in counts]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


def overviews(programme_ids: Iterable[int]) -> dict[int, Overview]:
    """The overview of each programme, by id: three queries, however many programmes and
    people. Active mentees count in the phase they are in, or as operationalised."""
    ids = list(programme_ids)
    if not ids:
        return {}
    phases: dict[int, list[Phase]] = defaultdict(list)
    for phase in Phase.objects.filter(programme_id__in=ids).order_by("position"):
        phases[phase.programme_id].append(phase)
    # One pass over the programmes' active members, by role and phase: the funnel, and the
    # counts of mentees and mentors. (`order_by()`: the model's ordering would join the
    # programme and the user to every row for nothing.)
    in_phase: dict[tuple[int, int | None], int] = {}
    operationalised: dict[int, int] = defaultdict(int)
    at_risk: dict[int, int] = defaultdict(int)
    people: dict[int, dict[str, int]] = defaultdict(lambda: {"mentees": 0, "mentors": 0})
    for row in (
        Membership.objects.active()
        .filter(programme_id__in=ids, role__in=(Role.MENTEE, Role.MENTOR))
        .order_by()
        .values("programme_id", "role", "current_phase_id")
        .annotate(
            n=Count("id"),
            done=Count("id", filter=Q(operationalised_at__isnull=False)),
            risky=Count("id", filter=Q(pace_status__in=AT_RISK)),
        )
    ):
        pid = row["programme_id"]
        if row["role"] == Role.MENTOR:
            people[pid]["mentors"] += row["n"]
            continue
        people[pid]["mentees"] += row["n"]
        in_phase[(pid, row["current_phase_id"])] = row["n"] - row["done"]
        operationalised[pid] += row["done"]
        at_risk[pid] += row["risky"]
    paired = dict(
        Pairing.objects.active()
        .filter(programme_id__in=ids, mentee__is_active=True)
        .order_by()
        .values("programme_id")
        .annotate(n=Count("id"))
        .values_list("programme_id", "n")
    )
    found = {}
    for pid in ids:
        funnel = [FunnelRow(p.name, in_phase.get((pid, p.pk), 0)) for p in phases[pid]]
        funnel.append(FunnelRow("Operationalised", operationalised[pid]))
        shares = whole_percentages([step.count for step in funnel])
        for step, percent in zip(funnel, shares, strict=True):
            step.percent = percent
        figures = people[pid]
        found[pid] = Overview(
            programme_id=pid,
            phases=phases[pid],
            funnel=funnel,
            mentee_count=figures["mentees"],
            mentor_count=figures["mentors"],
            unpaired_count=figures["mentees"] - paired.get(pid, 0),
            at_risk_count=at_risk[pid],
        )
    return found


def lead_overview(programme: Programme) -> Overview:
    return overviews([programme.pk])[programme.pk]


@dataclass(frozen=True)
class SetupStep:
    label: str
    done: bool
    url_name: str  # where it is done, on the programme's own tabs
    hint: str


def setup_steps(programme: Programme, overview: Overview) -> list[SetupStep]:
    """A new programme's first steps, for its lead, each done or not: shown until all are.
    Two queries (the questions, the invitations); the rest is in the overview."""
    word = programme.mentee_label
    has_questions = AssessmentQuestion.objects.filter(programme=programme).exists()
    invited = Invitation.objects.open().filter(programme=programme).exists()
    people = bool(overview.mentor_count and overview.mentee_count)
    return [
        SetupStep(
            "Set out the phases",
            bool(overview.phases),
            "programmes:phases",
            "Each phase, what completes it and how long it usually takes.",
        ),
        SetupStep(
            "Write the self-assessment",
            has_questions,
            "programmes:assessment_questions",
            f"The questions each {word} answers at the start and again at the end.",
        ),
        SetupStep(
            f"Invite mentors and {word}s",
            people,
            "programmes:people",
            "Invitations are out; waiting for people to join."
            if invited and not people
            else "One by one or from a spreadsheet; each gets a link to join.",
        ),
        SetupStep(
            f"Pair each {word} with a mentor",
            bool(overview.mentee_count) and not overview.unpaired_count,
            "mentoring:pairings",
            "Suggestions rank mentors by their strengths and free places.",
        ),
        SetupStep(
            "Make the programme active",
            programme.status == Programme.Status.ACTIVE,
            "programmes:edit",
            "While it is a draft, nobody is nudged.",
        ),
    ]


def programme_mentees(programme: Programme) -> QuerySet[Membership]:
    """The programme's active mentees by name, for a paginated list."""
    return (
        Membership.objects.active()
        .filter(programme=programme, role=Role.MENTEE)
        .select_related("user", "current_phase", "programme")  # days in phase count from it
        .order_by("user__name", "pk")
    )


def mentor_partners(mentor: Membership) -> QuerySet:
    """The mentees this mentor is paired with now, in this programme."""
    return (
        Membership.objects.active()
        .filter(
            programme_id=mentor.programme_id,
            role=Role.MENTEE,
            mentee_pairings__mentor=mentor,
            mentee_pairings__ended_at__isnull=True,
        )
        .select_related("user", "current_phase", "programme")  # days in phase count from it
        .order_by("user__name")
    )
