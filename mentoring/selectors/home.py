"""What a person sees on their home page, for each role they hold.

Every figure here comes from a fixed number of queries, however many programmes,
partners or mentees there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q
from django.utils import timezone

from mentoring.models import AgreedAction
from mentoring.selectors.cadence import next_sessions
from playbooks.models import Section
from playbooks.models import SectionStatus as PlaybookSectionStatus
from programmes.models import Membership, Pairing, Phase, PhaseTransition, Role


@dataclass
class Step:
    phase: Phase
    state: str  # "done", "current" or "upcoming"
    entered_at: datetime | None = None


@dataclass
class Journey:
    membership: Membership
    steps: list[Step]
    mentor: Pairing | None
    open_actions: int = 0
    overdue_actions: int = 0
    next_session: date | None = None

    @property
    def progress_percent(self) -> int:
        done = sum(1 for step in self.steps if step.state == "done")
        return round(100 * done / len(self.steps)) if self.steps else 0


@dataclass
class FunnelRow:
    label: str
    count: int
    percent: int


@dataclass
class LeadView:
    membership: Membership
    mentees: int = 0
    mentors: int = 0
    unpaired: int = 0
    funnel: list[FunnelRow] = field(default_factory=list)


@dataclass
class Partner:
    pairing: Pairing
    last_session: datetime | None = None
    cadence: str | None = None
    due: date | None = None
    overdue_days: int = 0
    overdue_actions: int = 0
    to_review: int = 0

    @property
    def mentee(self) -> Membership:
        return self.pairing.mentee


@dataclass
class MentorView:
    membership: Membership
    partners: list[Partner] = field(default_factory=list)


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


def _journeys(mentee_memberships: list[Membership]) -> list[Journey]:
    if not mentee_memberships:
        return []
    programme_ids = {m.programme_id for m in mentee_memberships}
    phases_by_programme: dict[int, list[Phase]] = defaultdict(list)
    for phase in Phase.objects.filter(programme_id__in=programme_ids).order_by("position"):
        phases_by_programme[phase.programme_id].append(phase)
    entered: dict[tuple[int, int], datetime] = {}
    for membership_id, phase_id, at in PhaseTransition.objects.filter(
        membership__in=mentee_memberships, to_phase__isnull=False
    ).values_list("membership_id", "to_phase_id", "at"):
        entered[(membership_id, phase_id)] = at
    today = timezone.localdate()
    actions = {
        row["mentee_id"]: row
        for row in AgreedAction.objects.filter(
            mentee__in=mentee_memberships, done_at__isnull=True, session__status="logged"
        )
        .values("mentee_id")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    }
    mentors = {
        pairing.mentee_id: pairing
        for pairing in Pairing.objects.active()
        .filter(mentee__in=mentee_memberships)
        .select_related("mentor__user")
    }
    coming = next_sessions(mentors.values(), today=today)
    journeys = []
    for membership in mentee_memberships:
        current = membership.current_phase
        steps = []
        for phase in phases_by_programme[membership.programme_id]:
            if membership.operationalised_at or (current and phase.position < current.position):
                state = "done"
            elif current and phase.pk == current.pk:
                state = "current"
            else:
                state = "upcoming"
            steps.append(Step(phase, state, entered.get((membership.pk, phase.pk))))
        journeys.append(
            Journey(
                membership,
                steps,
                mentors.get(membership.pk),
                open_actions=actions.get(membership.pk, {}).get("open", 0),
                overdue_actions=actions.get(membership.pk, {}).get("overdue", 0),
                next_session=_next_on(coming, mentors.get(membership.pk)),
            )
        )
    return journeys


def _next_on(coming: dict, pairing: Pairing | None) -> date | None:
    """The mentee's next session, if it is still ahead (an overdue one is the mentor's to
    arrange; the mentee's home shows what is coming)."""
    nxt = coming.get(pairing.pk) if pairing else None
    return nxt.on if nxt and nxt.on and nxt.on >= nxt.today else None


def _lead_views(lead_memberships: list[Membership]) -> list[LeadView]:
    if not lead_memberships:
        return []
    programme_ids = [m.programme_id for m in lead_memberships]
    phases_by_programme: dict[int, list[Phase]] = defaultdict(list)
    for phase in Phase.objects.filter(programme_id__in=programme_ids).order_by("position"):
        phases_by_programme[phase.programme_id].append(phase)
    counts: dict[tuple[int, int | None], int] = {}
    operationalised: dict[int, int] = defaultdict(int)
    for row in (
        Membership.objects.active()
        .filter(programme_id__in=programme_ids, role=Role.MENTEE)
        .values("programme_id", "current_phase_id")
        .annotate(n=Count("id"), done=Count("id", filter=Q(operationalised_at__isnull=False)))
    ):
        counts[(row["programme_id"], row["current_phase_id"])] = row["n"] - row["done"]
        operationalised[row["programme_id"]] += row["done"]
    people = {
        row["programme_id"]: row
        for row in Membership.objects.active()
        .filter(programme_id__in=programme_ids)
        .values("programme_id")
        .annotate(
            mentees=Count("id", filter=Q(role=Role.MENTEE)),
            mentors=Count("id", filter=Q(role=Role.MENTOR)),
        )
    }
    paired = dict(
        Pairing.objects.active()
        .filter(programme_id__in=programme_ids, mentee__is_active=True)
        .values("programme_id")
        .annotate(n=Count("id"))
        .values_list("programme_id", "n")
    )
    views = []
    for membership in lead_memberships:
        pid = membership.programme_id
        figures = people.get(pid, {"mentees": 0, "mentors": 0})
        rows = [
            FunnelRow(phase.name, counts.get((pid, phase.pk), 0), 0)
            for phase in phases_by_programme[pid]
        ]
        rows.append(FunnelRow("Operationalised", operationalised[pid], 0))
        for row, percent in zip(rows, whole_percentages([r.count for r in rows]), strict=True):
            row.percent = percent
        views.append(
            LeadView(
                membership,
                mentees=figures["mentees"],
                mentors=figures["mentors"],
                unpaired=figures["mentees"] - paired.get(pid, 0),
                funnel=rows,
            )
        )
    return views


def _mentor_views(mentor_memberships: list[Membership]) -> list[MentorView]:
    """Each partner with their phase, last session, the next one due by the agreed cadence,
    overdue actions and playbook sections waiting for review: five queries in all."""
    if not mentor_memberships:
        return []
    pairings = list(
        Pairing.objects.active()
        .filter(mentor__in=mentor_memberships)
        .select_related("mentee__user", "mentee__current_phase", "programme")
        .order_by("mentee__user__name")
    )
    mentee_ids = [p.mentee_id for p in pairings]
    coming = next_sessions(pairings)
    now = timezone.now()
    overdue = dict(
        AgreedAction.objects.filter(
            mentee_id__in=mentee_ids, done_at__isnull=True, due_on__lt=now.date()
        )
        .values("mentee_id")
        .annotate(n=Count("id"))
        .values_list("mentee_id", "n")
    )
    to_review = dict(
        Section.objects.filter(
            playbook__membership_id__in=mentee_ids, status=PlaybookSectionStatus.READY
        )
        .values("playbook__membership_id")
        .annotate(n=Count("id"))
        .values_list("playbook__membership_id", "n")
    )
    by_mentor: dict[int, list[Partner]] = defaultdict(list)
    for pairing in pairings:
        nxt = coming[pairing.pk]
        by_mentor[pairing.mentor_id].append(
            Partner(
                pairing=pairing,
                last_session=nxt.last_held,
                cadence=nxt.cadence,
                due=nxt.on,
                overdue_days=nxt.days_late,
                overdue_actions=overdue.get(pairing.mentee_id, 0),
                to_review=to_review.get(pairing.mentee_id, 0),
            )
        )
    return [MentorView(m, by_mentor[m.pk]) for m in mentor_memberships]


def home_context(user) -> dict:
    memberships = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("programme", "current_phase")
        .order_by("programme__name")
    )

    def of_role(role: str) -> list[Membership]:
        return [m for m in memberships if m.role == role]

    return {
        "memberships": memberships,
        "journeys": _journeys(of_role(Role.MENTEE)),
        "mentor_views": _mentor_views(of_role(Role.MENTOR)),
        "lead_views": _lead_views(of_role(Role.LEAD)),
    }
