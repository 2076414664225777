"""How far a mentee is towards their phase's exit criterion, counted the way the criterion
itself counts, what holds it back, and the one next step with where to take it.

The counting is shared with the criterion checks (`sessions_in_phase`, `phase_sections`,
`workshops_attended`), so the home page can never say "4 sessions needed" while the check
sees something else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from mentoring.selectors.session import sessions_in_phase
from playbooks.models import ThemeMapping
from playbooks.selectors.playbook import phase_sections
from programmes.models import (
    AssessmentKind,
    AssessmentResponse,
    ExitCriterion,
    Membership,
    WorkshopSeat,
)
from programmes.services.progress import workshops_attended


@dataclass(frozen=True)
class CriterionProgress:
    summary: str  # where they are, in the criterion's own terms
    blocker: str  # what holds the phase back, or ""
    met: bool
    done: int | None  # for a progress bar, where the criterion counts
    needed: int | None
    step: str  # the one next step, as a button label
    step_url: str

    @property
    def percent(self) -> int:
        if not self.needed:
            return 0
        return min(100, round(100 * (self.done or 0) / self.needed))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def owned_actions(own: int, mentors: int, noun: str, nouns: str, then: str = "") -> str:
    """`own + mentors` actions, saying whose: "2 agreed actions, yours", "1 agreed action,
    your mentor's, still open". The mentee can tick only their own, so the page says when
    an action is the mentor's rather than sending them to tick it."""
    total = own + mentors
    if not mentors:
        whose = "yours"
    elif not own:
        whose = "your mentor's"
    else:
        whose = f"{own} yours and {mentors} your mentor's"
    phrase = f"{total} {noun if total == 1 else nouns}, {whose}"
    return f"{phrase}, {then}" if then else phrase


def criterion_progress(membership: Membership) -> CriterionProgress | None:
    """The mentee's progress in their current phase; None once they have finished. A few
    queries for one mentee (a person holds one or two mentee memberships)."""
    phase = membership.current_phase
    if phase is None:
        return None
    slug = membership.programme.slug
    n = phase.exit_count
    match phase.exit_criterion:
        case ExitCriterion.BASELINE_SUBMITTED:
            status = (
                AssessmentResponse.objects.filter(
                    membership=membership, kind=AssessmentKind.BASELINE
                )
                .values_list("status", flat=True)
                .first()
            )
            submitted = status == AssessmentResponse.Status.SUBMITTED
            return CriterionProgress(
                summary="Baseline submitted."
                if submitted
                else "Your baseline is saved as a draft."
                if status
                else "Baseline not started yet.",
                blocker="",
                met=submitted,
                done=None,
                needed=None,
                step="Continue your baseline" if status else "Start your baseline",
                step_url=reverse("programmes:assessment", kwargs={"slug": slug}),
            )
        case ExitCriterion.WORKSHOPS_ATTENDED:
            attended = workshops_attended(membership)
            booked = WorkshopSeat.objects.filter(
                membership=membership,
                booked_at__isnull=False,
                workshop__starts_at__gt=timezone.now(),
            ).count()
            summary = f"{attended} of {_plural(n, 'workshop')} attended"
            summary += f"; {booked} booked." if booked else "."
            return CriterionProgress(
                summary=summary,
                blocker="",
                met=attended >= n,
                done=attended,
                needed=n,
                step="Book a workshop" if attended + booked < n else "See your workshops",
                step_url=reverse("programmes:workshops", kwargs={"slug": slug}),
            )
        case ExitCriterion.PLAYBOOK_SECTIONS:
            done, total, next_title = phase_sections(membership, phase, with_next=True)
            return CriterionProgress(
                summary=f"{done} of {_plural(total, 'section')} complete.",
                blocker="",
                met=total > 0 and done == total,
                done=done,
                needed=total,
                step=f"Continue “{next_title}”" if next_title else "Open your playbook",
                step_url=reverse("playbooks:playbook", kwargs={"slug": slug}),
            )
        case ExitCriterion.SESSIONS_LOGGED:
            held, open_actions, mentors = sessions_in_phase(membership, phase)
            own = open_actions - mentors
            summary = (
                f"{_plural(held, 'session')} held ({n} needed)"
                if held >= n
                else f"{_plural(held, 'session')} held of {n} needed"
            )
            if open_actions:
                still = owned_actions(
                    own,
                    mentors,
                    "action agreed in this phase",
                    "actions agreed in this phase",
                    "still open",
                )
                summary += f"; {still}."
            else:
                summary += "."
            blocker = ""
            if held >= n and open_actions:
                # The summary just said whose they are: say only that they are what is left.
                that = "that action is" if open_actions == 1 else "those actions are"
                blocker = f"Enough sessions are held: {that} all that holds this phase open."
                if not own:
                    them = "it off once it's" if mentors == 1 else "them off once they're"
                    blocker += f" Your mentor ticks {them} done."
            if own:
                step, step_name = "See your open actions", "mentoring:sessions"
            elif mentors:
                step = "See your mentor's action" if mentors == 1 else "See your mentor's actions"
                step_name = "mentoring:sessions"
            else:
                step, step_name = "Your mentoring", "mentoring:mine"
            return CriterionProgress(
                summary=summary,
                blocker=blocker,
                met=held >= n and not open_actions,
                done=min(held, n),
                needed=n,
                step=step,
                step_url=reverse(step_name, kwargs={"slug": slug}),
            )
        case ExitCriterion.LEAD_SIGN_OFF:
            themes = ThemeMapping.objects.filter(membership=membership).aggregate(
                placed=Count("pk"), unplaced=Count("pk", filter=Q(pillar__isnull=True))
            )
            if themes["placed"]:
                summary = (
                    f"{_plural(themes['placed'], 'theme')} mapped onto the business's pillars"
                    + (f", {themes['unplaced']} with no pillar yet" if themes["unplaced"] else "")
                    + ". A lead signs this phase off once your strategy fits."
                )
            else:
                summary = (
                    "No themes mapped yet: place your playbook's themes on the business's "
                    "pillars, then a lead signs this phase off."
                )
            return CriterionProgress(
                summary=summary,
                blocker="",
                met=False,
                done=None,
                needed=None,
                step="Your themes and the pillars" if themes["placed"] else "Map your themes",
                step_url=reverse("playbooks:integration", kwargs={"slug": slug}),
            )
    return CriterionProgress(
        summary="Your mentor or a lead moves you on when you are ready.",
        blocker="",
        met=False,
        done=None,
        needed=None,
        step="Your journey",
        step_url=reverse("programmes:my_journey", kwargs={"slug": slug}),
    )
