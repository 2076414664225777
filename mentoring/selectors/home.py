"""What a person sees on their home page, for each role they hold.

Every figure here comes from a fixed number of queries, however many programmes,
partners or mentees there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from mentoring.models import AgreedAction, User
from mentoring.selectors.cadence import next_sessions
from mentoring.selectors.criterion import CriterionProgress, criterion_progress
from playbooks.models import Section
from playbooks.models import SectionStatus as PlaybookSectionStatus
from programmes.models import Membership, Pairing, Role
from programmes.selectors.programme import FunnelRow, Overview, overviews
from programmes.selectors.progress import Journey, Stop, journeys
from programmes.selectors.timeline import Timeline, timelines_of


@dataclass
class HomeJourney:
    """A mentee's roadmap (the same one their journey page shows) with their mentor, open
    actions and next session."""

    journey: Journey
    mentor: Pairing | None
    open_actions: int = 0
    overdue_actions: int = 0
    next_session: date | None = None
    criterion: CriterionProgress | None = None

    @property
    def membership(self) -> Membership:
        return self.journey.membership

    @property
    def pace(self) -> str:
        """The pace status the last sweep stored ("" until it has looked)."""
        return self.membership.pace_status

    @property
    def steps(self) -> list[Stop]:
        return self.journey.stops

    @property
    def progress_percent(self) -> int:
        return self.journey.progress_percent


@dataclass
class LeadView:
    """A programme the person leads, at a glance (the overview its own page shows too)."""

    membership: Membership
    overview: Overview

    @property
    def mentees(self) -> int:
        return self.overview.mentee_count

    @property
    def mentors(self) -> int:
        return self.overview.mentor_count

    @property
    def unpaired(self) -> int:
        return self.overview.unpaired_count

    @property
    def funnel(self) -> list[FunnelRow]:
        return self.overview.funnel


@dataclass
class Partner:
    pairing: Pairing
    last_session: datetime | None = None
    cadence: str | None = None
    due: date | None = None
    overdue_days: int = 0
    overdue_actions: int = 0
    to_review: int = 0
    timeline: Timeline | None = None  # their phases, as on the lead's dashboard

    @property
    def mentee(self) -> Membership:
        return self.pairing.mentee


@dataclass
class MentorView:
    membership: Membership
    partners: list[Partner] = field(default_factory=list)


def _journeys(mentee_memberships: list[Membership]) -> list[HomeJourney]:
    if not mentee_memberships:
        return []
    roadmaps = journeys(mentee_memberships)
    today = timezone.localdate()
    actions: dict[int, Mapping[str, Any]] = {
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
    return [
        HomeJourney(
            roadmaps[membership.pk],
            mentors.get(membership.pk),
            open_actions=actions.get(membership.pk, {}).get("open", 0),
            overdue_actions=actions.get(membership.pk, {}).get("overdue", 0),
            next_session=_next_on(coming, mentors.get(membership.pk)),
            criterion=criterion_progress(membership),
        )
        for membership in mentee_memberships
    ]


def _next_on(coming: dict, pairing: Pairing | None) -> date | None:
    """The mentee's next session, if it is still ahead (an overdue one is the mentor's to
    arrange; the mentee's home shows what is coming)."""
    nxt = coming.get(pairing.pk) if pairing else None
    return nxt.on if nxt and nxt.on and nxt.on >= nxt.today else None


def _lead_views(lead_memberships: list[Membership]) -> list[LeadView]:
    found = overviews(m.programme_id for m in lead_memberships)
    return [LeadView(m, found[m.programme_id]) for m in lead_memberships]


def _mentor_views(mentor_memberships: list[Membership]) -> list[MentorView]:
    """Each partner with their phase, last session, the next one due by the agreed cadence,
    overdue actions, playbook sections waiting for review and their phases as a timeline:
    seven queries in all."""
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
            mentee_id__in=mentee_ids,
            done_at__isnull=True,
            due_on__lt=now.date(),
            session__status="logged",
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
    phases = {t.member.pk: t for t in timelines_of([p.mentee for p in pairings])}
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
                timeline=phases.get(pairing.mentee_id),
            )
        )
    return [MentorView(m, by_mentor[m.pk]) for m in mentor_memberships]


def home_context(user: User) -> dict:
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
