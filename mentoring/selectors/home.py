"""What a person sees on their home page, for each role they hold.

Every figure here comes from a fixed number of queries, however many programmes,
partners or mentees there are.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from mentoring.models import AgreedAction, Cadence, CadenceAgreement, Owner, User
from mentoring.selectors.cadence import next_session_of, with_next_session
from mentoring.selectors.criterion import CriterionProgress, criterion_progress, owned_actions
from playbooks.models import Section
from playbooks.models import SectionStatus as PlaybookSectionStatus
from programmes.models import ExitCriterion, Membership, PaceStatus, Pairing, Role
from programmes.selectors.programme import FunnelRow, Overview, overviews
from programmes.selectors.progress import Journey, Stop, journeys
from programmes.selectors.rows import id_prefix
from programmes.selectors.rows import pace_badge as status_badge
from programmes.selectors.timeline import Timeline, timelines_of


@dataclass
class HomeJourney:
    """A mentee's roadmap (the same one their journey page shows) with their mentor, open
    actions and next session.

    The open actions are those the pace sweep counts (every open action of a logged
    session, whoever owns it), so the overdue figure here and the pace's reason agree; the
    mentor's share is kept apart because the mentee cannot tick it."""

    journey: Journey
    mentor: Pairing | None
    open_actions: int = 0
    overdue_actions: int = 0
    mentors_open: int = 0  # of `open_actions`, the mentor's
    mentors_overdue: int = 0  # of `overdue_actions`, the mentor's
    next_session: date | None = None
    criterion: CriterionProgress | None = None
    cadence: str | None = None  # the rhythm the pair agreed, if any
    # A rhythm proposed and not yet answered, and whether the mentee proposed it (the
    # mentor waits to answer) or the mentor did (the mentee is asked to).
    proposed: str = ""
    proposed_by_me: bool = False

    @property
    def membership(self) -> Membership:
        return self.journey.membership

    @property
    def next_session_arranged(self) -> bool:
        """Whether the pair set the next session's date in their last session (the pairing's
        `agreed_on`, from `with_next_session`); otherwise it is when their agreed rhythm
        makes the next one due, and nothing is arranged yet."""
        agreed = getattr(self.mentor, "agreed_on", None)
        return self.next_session is not None and self.next_session == agreed

    @property
    def pace(self) -> str:
        """The pace status the last sweep stored ("" until it has looked)."""
        return self.membership.pace_status

    @property
    def pace_badge(self) -> SafeString | str:
        return pace_badge(self.membership)

    @property
    def actions_summary(self) -> str:
        """The actions line: "3 open actions, 2 yours and 1 your mentor's"."""
        own = self.open_actions - self.mentors_open
        return owned_actions(own, self.mentors_open, "open action", "open actions")

    @property
    def overdue_summary(self) -> str:
        """The overdue badge: "2 overdue", naming the mentor's share when there is one."""
        n, mentors = self.overdue_actions, self.mentors_overdue
        if not mentors:
            return f"{n} overdue"
        return f"{n} overdue, {'your mentor' if mentors == n else f'{mentors} your mentor'}'s"

    @property
    def pace_counts_mentors(self) -> bool:
        """Whether to say, beside a slipping or stalled pace, that the mentor's overdue
        actions count in it too (the mentee cannot tick those)."""
        status = self.membership.pace_status
        return bool(self.mentors_overdue) and status in (PaceStatus.SLIPPING, PaceStatus.STALLED)

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
    def at_risk(self) -> int:
        return self.overview.at_risk_count

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
    proposed: str = ""  # a rhythm the partner proposed, waiting for the mentor's answer
    you_proposed: str = ""  # one the mentor proposed, waiting for the partner's
    timeline: Timeline | None = None  # their phases, as on the lead's dashboard
    # The partner's pages, worked out once per programme and page (see `_addresses`).
    journey_url: str = ""
    partner_url: str = ""
    playbook_url: str = ""
    session_start_url: str = ""

    @property
    def mentee(self) -> Membership:
        return self.pairing.mentee

    @property
    def pace_badge(self) -> SafeString | str:
        return pace_badge(self.pairing.mentee)


# The pages each partner's line links to, all ending in the mentee's membership id.
_PARTNER_PAGES = {
    "journey_url": "programmes:member_journey",
    "partner_url": "mentoring:partner",
    "playbook_url": "playbooks:member_playbook",
    "session_start_url": "mentoring:session_start",
}


def _addresses(slug: str) -> dict[str, str]:
    """Each of `_PARTNER_PAGES` for the programme `slug`, up to the member's id: one
    reverse() a page and programme rather than four a partner."""
    return {key: id_prefix(name, slug) for key, name in _PARTNER_PAGES.items()}


@dataclass
class MentorView:
    membership: Membership
    partners: list[Partner] = field(default_factory=list)


def pace_badge(member: Membership) -> SafeString:
    """A mentee's pace as the last sweep judged it, as `_partials/pace.html` draws it: in
    Python, once a partner, rather than a template included per partner."""
    return status_badge(member.pace_status)


def _journeys(mentee_memberships: list[Membership]) -> list[HomeJourney]:
    """Each mentee membership with its roadmap, open actions, mentor and next session."""
    if not mentee_memberships:
        return []
    roadmaps = journeys(mentee_memberships)
    today = timezone.localdate()
    # Each mentee's open and overdue actions, all told and the mentor's share: one query.
    actions: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(
            ("open_actions", "overdue_actions", "mentors_open", "mentors_overdue"), 0
        )
    )
    for mentee_id, owner, open_, overdue in (
        AgreedAction.objects.filter(
            mentee__in=mentee_memberships, done_at__isnull=True, session__status="logged"
        )
        .order_by()
        .values("mentee_id", "owner")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
        .values_list("mentee_id", "owner", "open", "overdue")
    ):
        counts = actions[mentee_id]
        counts["open_actions"] += open_
        counts["overdue_actions"] += overdue
        if owner == Owner.MENTOR:
            counts["mentors_open"] += open_
            counts["mentors_overdue"] += overdue
    waiting = _open_proposal()
    mentors = {
        pairing.mentee_id: pairing
        for pairing in with_next_session(Pairing.objects.active())
        .filter(mentee__in=mentee_memberships)
        .select_related("mentor__user")
        .annotate(
            proposed=Subquery(waiting.values("cadence")[:1]),
            proposed_by=Subquery(waiting.values("proposed_by_id")[:1]),
        )
    }
    coming = {pairing.pk: next_session_of(pairing, today) for pairing in mentors.values()}
    found = []
    for membership in mentee_memberships:
        pairing = mentors.get(membership.pk)
        proposed = getattr(pairing, "proposed", None)
        counts = actions[membership.pk]
        found.append(
            HomeJourney(
                roadmaps[membership.pk],
                pairing,
                **counts,
                next_session=_next_on(coming, pairing),
                criterion=_with_pace_step(membership, criterion_progress(membership), counts),
                cadence=coming[pairing.pk].cadence if pairing else None,
                proposed=Cadence(proposed).label.lower() if proposed else "",
                proposed_by_me=bool(proposed)
                and getattr(pairing, "proposed_by", None) == membership.user_id,
            )
        )
    return found


def _with_pace_step(
    membership: Membership, progress: CriterionProgress | None, counts: dict[str, int]
) -> CriterionProgress | None:
    """The one next step, as the pace sees it too: someone behind with overdue actions of
    their own is sent to tick them off (the pace's reason names them, and so do the
    nudges), rather than to their mentor's action, which is all the phase still waits for."""
    own_overdue = counts["overdue_actions"] - counts["mentors_overdue"]
    behind = membership.pace_status in (PaceStatus.SLIPPING, PaceStatus.STALLED)
    phase = membership.current_phase
    if (
        progress is None
        or not (behind and own_overdue)
        or phase is None
        or phase.exit_criterion != ExitCriterion.SESSIONS_LOGGED
    ):
        return progress
    step = "Tick off your overdue action" + ("s" if own_overdue > 1 else "")
    sessions = reverse("mentoring:sessions", kwargs={"slug": membership.programme.slug})
    return dataclasses.replace(progress, step=step, step_url=sessions)


def _open_proposal() -> QuerySet[CadenceAgreement]:
    """A pairing's rhythm proposed and not yet answered (one at a time; the newest)."""
    return CadenceAgreement.objects.filter(
        pairing_id=OuterRef("pk"), status=CadenceAgreement.Status.PROPOSED
    ).order_by("-proposed_at")


def _next_on(coming: dict, pairing: Pairing | None) -> date | None:
    """The mentee's next session, if it is still ahead (an overdue one is the mentor's to
    arrange; the mentee's home shows what is coming)."""
    nxt = coming.get(pairing.pk) if pairing else None
    return nxt.on if nxt and nxt.on and nxt.on >= nxt.today else None


def _lead_views(lead_memberships: list[Membership]) -> list[LeadView]:
    found = overviews(m.programme_id for m in lead_memberships)
    return [LeadView(m, found[m.programme_id]) for m in lead_memberships]


def _count(rows: QuerySet, by: str) -> Coalesce:
    """How many of `rows` (filtered on an OuterRef over `by`) there are, as a subquery."""
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def _mentor_views(mentor_memberships: list[Membership]) -> list[MentorView]:
    """Each partner with their phase, last session, the next one due by the agreed cadence,
    overdue actions, playbook sections waiting for review and their phases as a timeline:
    three queries in all (the pairings with their figures as subqueries on each partner's
    indexes, and the timelines' two)."""
    if not mentor_memberships:
        return []
    today = timezone.localdate()
    overdue = AgreedAction.objects.filter(
        mentee_id=OuterRef("mentee_id"),
        done_at__isnull=True,
        due_on__lt=timezone.now().date(),
        session__status="logged",
    )
    to_review = Section.objects.filter(
        playbook__membership_id=OuterRef("mentee_id"), status=PlaybookSectionStatus.READY
    )
    # A rhythm the partner proposed (not the mentor), still to be answered.
    waiting = _open_proposal().exclude(proposed_by_id=OuterRef("mentor__user_id"))
    sent = _open_proposal().filter(proposed_by_id=OuterRef("mentor__user_id"))
    pairings = list(
        with_next_session(Pairing.objects.active())
        .filter(mentor__in=mentor_memberships)
        .select_related("mentee__user", "mentee__current_phase", "mentee__programme", "programme")
        .annotate(overdue=_count(overdue, "mentee_id"))
        .annotate(to_review=_count(to_review, "playbook__membership_id"))
        .annotate(proposed=Subquery(waiting.values("cadence")[:1]))
        .annotate(you_proposed=Subquery(sent.values("cadence")[:1]))
        .order_by("mentee__user__name")
    )
    phases = {t.member.pk: t for t in timelines_of([p.mentee for p in pairings])}
    by_mentor: dict[int, list[Partner]] = defaultdict(list)
    addresses: dict[str, dict[str, str]] = {}
    for pairing in pairings:
        nxt = next_session_of(pairing, today)
        slug = pairing.programme.slug
        if slug not in addresses:
            addresses[slug] = _addresses(slug)
        mentee = f"{pairing.mentee_id}/"
        by_mentor[pairing.mentor_id].append(
            Partner(
                pairing=pairing,
                last_session=nxt.last_held,
                cadence=nxt.cadence,
                due=nxt.on,
                overdue_days=nxt.days_late,
                overdue_actions=pairing.overdue,
                to_review=pairing.to_review,
                proposed=Cadence(pairing.proposed).label.lower() if pairing.proposed else "",
                you_proposed=(
                    Cadence(pairing.you_proposed).label.lower() if pairing.you_proposed else ""
                ),
                timeline=phases.get(pairing.mentee_id),
                **{key: path + mentee for key, path in addresses[slug].items()},
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
