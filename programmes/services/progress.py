"""Each mentee's own way through the phases: joining, moving on, moving back, signing off."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Final

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from programmes.errors import Invalid
from programmes.models import (
    AssessmentKind,
    AssessmentResponse,
    AuditAction,
    ExitCriterion,
    Membership,
    NotificationKind,
    Phase,
    PhaseProgress,
    PhaseStatus,
    PhaseTransition,
    Programme,
    Role,
    WorkshopSeat,
)
from programmes.policy import (
    SYSTEM,
    Actor,
    actor,
    can_advance,
    can_move_back,
    is_system,
    mentors_of,
    require,
    require_lead,
)
from programmes.services import audit
from programmes.services.membership import look_again
from programmes.services.notification import notify, outdated
from programmes.signals import member_enrolled

if TYPE_CHECKING:
    # The AUTH_USER_MODEL, as django-stubs resolves it: this app does not import mentoring.
    from django.contrib.auth.models import _User as User


class ProgressError(Invalid):
    """A move that cannot be made; the message says why, for the person who tried."""


# --- Exit criteria ---------------------------------------------------------------------

# A check answers "has this mentee met this phase's exit criterion?". Checks for criteria
# that belong to other apps (playbook sections, mentoring sessions) are registered by those
# apps when they load; until one is registered, that criterion is met by moving on by hand.
CriterionCheck = Callable[[Membership, Phase], bool]
_CHECKS: dict[str, CriterionCheck] = {}


def register_criterion_check(criterion: str, check: CriterionCheck) -> None:
    _CHECKS[criterion] = check


def is_checked_automatically(phase: Phase) -> bool:
    return phase.exit_criterion in _CHECKS


def criterion_met(membership: Membership, phase: Phase) -> bool:
    check = _CHECKS.get(phase.exit_criterion)
    return bool(check and check(membership, phase))


def _baseline_submitted(membership: Membership, phase: Phase) -> bool:
    return AssessmentResponse.objects.filter(
        membership=membership,
        kind=AssessmentKind.BASELINE,
        status=AssessmentResponse.Status.SUBMITTED,
    ).exists()


def workshops_attended(membership: Membership) -> int:
    return WorkshopSeat.objects.filter(membership=membership, attended=True).count()


def _workshops_attended(membership: Membership, phase: Phase) -> bool:
    return workshops_attended(membership) >= phase.exit_count


register_criterion_check(ExitCriterion.BASELINE_SUBMITTED, _baseline_submitted)
register_criterion_check(ExitCriterion.WORKSHOPS_ATTENDED, _workshops_attended)


# --- Moves --------------------------------------------------------------------------------


def _phases(programme: Programme) -> list[Phase]:
    return list(programme.phases.order_by("position"))


def _record(
    membership: Membership,
    *,
    to_phase: Phase | None,
    kind: str,
    by: Actor,
    note: str,
    at: datetime,
    tell_the_pair: bool = True,
) -> PhaseTransition:
    from_phase = membership.current_phase
    transition = PhaseTransition.objects.create(
        membership=membership,
        kind=kind,
        from_phase=from_phase,
        from_name=from_phase.name if from_phase else "",
        to_phase=to_phase,
        to_name=to_phase.name if to_phase else "Operationalised",
        by=actor(by),
        note=note,
        at=at,
    )
    membership.current_phase = to_phase
    membership.phase_started_at = at if to_phase else None
    membership.operationalised_at = None if to_phase else at
    fields = ["current_phase", "phase_started_at", "operationalised_at"]
    moved = kind != PhaseTransition.Kind.JOINED
    if moved:
        # Days in the phase start again: the old phase's overrun is no longer their pace.
        # The sweep is asked to look now, and they are judged again once this commits.
        now = timezone.now()
        if membership.pace_due_at is None or membership.pace_due_at > now:
            membership.pace_due_at = now
            fields.append("pace_due_at")
    membership.save(update_fields=fields)
    if moved:
        _announce(transition, membership, by=by, tell_the_pair=tell_the_pair)
        look_again([membership.pk])
    return transition


def _announce(
    transition: PhaseTransition, membership: Membership, *, by: Actor, tell_the_pair: bool
) -> None:
    """Tell the mentee, their mentor and the programme's leads that the mentee moved; not
    the person who moved them. The note stays on the journey page: it is the mover's words,
    so the notification only says where to read it. A sign-off tells the pair itself
    (`tell_the_pair=False`), so they hear of it once."""
    # The next step a nudge named before the move belonged to the phase left behind.
    outdated(
        membership.user_id, about=membership, kind=NotificationKind.NEXT_STEP, before=transition.at
    )
    programme = membership.programme
    name = membership.user.display_name
    where = transition.to_phase.name if transition.to_phase else "business as usual"
    moved = "moved back to" if transition.kind == PhaseTransition.Kind.MOVED_BACK else "moved on to"
    if transition.kind == PhaseTransition.Kind.AUTOMATIC:
        how = f"automatically, on completing {transition.from_name}"
    else:
        how = f"by {by.display_name}"
    body = f"From {transition.from_name or 'the start'} to {where}, {how}."
    if transition.kind == PhaseTransition.Kind.MOVED_BACK:
        body += " The journey page says why."
    journey = reverse(
        "programmes:member_journey", kwargs={"slug": programme.slug, "member": membership.pk}
    )

    def tell(recipients: Iterable[int], title: str, reason: str, link: str) -> None:
        notify(
            recipients,
            kind=NotificationKind.PHASE_CHANGED,
            key=transition.pk,
            title=title,
            body=body,
            reason=reason,
            link=link,
            programme=programme,
            about=membership,
            exclude=by,
            at=transition.at,
        )

    if tell_the_pair:
        tell(
            [membership.user_id],
            f"You {moved} {where}",
            f"It is your journey in {programme.name}.",
            reverse("programmes:my_journey", kwargs={"slug": programme.slug}),
        )
        tell(
            [mentor.user_id for mentor in mentors_of(membership)],
            f"{name} {moved} {where}",
            f"You mentor {name}.",
            journey,
        )
    leads = Membership.objects.filter(programme=programme, role=Role.LEAD, is_active=True)
    tell(
        leads.values_list("user_id", flat=True),
        f"{name} {moved} {where}",
        f"You lead {programme.name}.",
        journey,
    )


@transaction.atomic
def enrol(
    *, programme: Programme, user: User, role: str, by: Actor, at: datetime | None = None
) -> Membership:
    """Add a person to a programme in a role. A mentee starts in the first phase.

    A lead enrols people; an accepted invitation enrols its person as the system."""
    require_lead(by, programme, "Only a lead of this programme can add people to it.")
    at = at or timezone.now()
    membership, created = Membership.objects.get_or_create(
        programme=programme, user=user, role=role, defaults={"joined_at": at}
    )
    if not created:
        if not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
            _audit_role(membership, by=by, at=at)
        return membership
    _audit_role(membership, by=by, at=at)
    if role == Role.MENTEE:
        phases = _phases(programme)
        PhaseProgress.objects.bulk_create(
            PhaseProgress(membership=membership, phase=phase) for phase in phases
        )
        if phases:
            PhaseProgress.objects.filter(membership=membership, phase=phases[0]).update(
                status=PhaseStatus.IN_PROGRESS, started_at=at
            )
            _record(
                membership,
                to_phase=phases[0],
                kind=PhaseTransition.Kind.JOINED,
                by=by,
                note="Joined the programme",
                at=at,
            )
    member_enrolled.send(sender=Membership, membership=membership)
    return membership


def _audit_role(membership: Membership, *, by: Actor, at: datetime) -> None:
    programme = membership.programme
    role = programme.mentee_label if membership.role == Role.MENTEE else membership.role
    audit.record(
        AuditAction.ROLE_GIVEN,
        programme=programme,
        by=by,
        summary=f"{audit.name_of(membership.user)} joined as {role}",
        at=at,
    )


class _Unchecked(Enum):
    UNCHECKED = "unchecked"


# A move made without saying which phase the person saw (a typed sentinel).
UNCHECKED: Final = _Unchecked.UNCHECKED


def _refuse_if_moved(membership: Membership, expected_phase_id: int | _Unchecked | None) -> None:
    """A move is made from the phase the person saw; if someone moved the mentee since
    (a second click, a mentor and a lead at once), nothing happens twice."""
    if expected_phase_id is UNCHECKED or expected_phase_id == membership.current_phase_id:
        return
    where = membership.current_phase.name if membership.current_phase else "business as usual"
    raise ProgressError(
        f"{membership.user.display_name} has already been moved (now in {where}); "
        "nothing was changed."
    )


def _locked_mentee(membership: Membership) -> Membership:
    # Lock only the membership row: PostgreSQL cannot lock the nullable side of the join.
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("programme", "current_phase", "user")
        .get(pk=membership.pk)
    )
    if membership.role != Role.MENTEE:
        raise ProgressError("Only mentees move through phases.")
    return membership


def _move_forward(
    membership: Membership,
    *,
    by: Actor,
    note: str,
    kind: str,
    at: datetime,
    tell_the_pair: bool = True,
) -> None:
    if membership.operationalised_at is not None:
        raise ProgressError("This person is already operationalised.")
    phases = _phases(membership.programme)
    current = membership.current_phase
    if current is None:
        next_phase = phases[0] if phases else None
    else:
        later = [phase for phase in phases if phase.position > current.position]
        next_phase = later[0] if later else None
        PhaseProgress.objects.filter(membership=membership, phase=current).update(
            status=PhaseStatus.COMPLETE, completed_at=at
        )
    if next_phase is not None:
        PhaseProgress.objects.filter(membership=membership, phase=next_phase).update(
            status=PhaseStatus.IN_PROGRESS, started_at=at, completed_at=None
        )
    _record(
        membership,
        to_phase=next_phase,
        kind=kind,
        by=by,
        note=note,
        at=at,
        tell_the_pair=tell_the_pair,
    )


@transaction.atomic
def advance_phase(
    *,
    membership: Membership,
    by: Actor,
    note: str = "",
    at: datetime | None = None,
    from_phase_id: int | _Unchecked | None = UNCHECKED,
    tell_the_pair: bool = True,
) -> Membership:
    """Move a mentee into their next phase; past the last one they are operationalised.
    The mentee, their mentor and the programme's leads are told (without `tell_the_pair`,
    only the leads: a sign-off tells the pair in its own words).

    With `from_phase_id`, only if they are still in that phase."""
    membership = _locked_mentee(membership)
    require(can_advance(by, membership), "You cannot move this person on.")
    _refuse_if_moved(membership, from_phase_id)
    was = membership.current_phase.name if membership.current_phase else "business as usual"
    _move_forward(
        membership,
        by=by,
        note=note,
        kind=PhaseTransition.Kind.ADVANCED,
        at=at or timezone.now(),
        tell_the_pair=tell_the_pair,
    )
    if not is_system(by):  # automatic moves are in the phase history; by hand, here too
        now_in = membership.current_phase.name if membership.current_phase else "business as usual"
        audit.record(
            AuditAction.MOVED_ON,
            programme=membership.programme_id,
            by=by,
            summary=f"{audit.name_of(membership.user)} moved on from {was} to {now_in}",
        )
    return membership


@transaction.atomic
def move_back(
    *,
    membership: Membership,
    by: Actor,
    note: str,
    at: datetime | None = None,
    from_phase_id: int | _Unchecked | None = UNCHECKED,
) -> Membership:
    """Move a mentee back one phase (an operationalised one back into the last phase)."""
    membership = _locked_mentee(membership)
    require(can_move_back(by, membership), "Only a lead of this programme can move people back.")
    _refuse_if_moved(membership, from_phase_id)
    if not note.strip():
        raise ProgressError("Say why, so the person and their mentor understand the move.")
    at = at or timezone.now()
    phases = _phases(membership.programme)
    current = membership.current_phase
    if current is None:
        if membership.operationalised_at is None or not phases:
            raise ProgressError("There is no phase to move back to.")
        previous = phases[-1]
    else:
        earlier = [phase for phase in phases if phase.position < current.position]
        if not earlier:
            raise ProgressError("This person is in the first phase already.")
        previous = earlier[-1]
        PhaseProgress.objects.filter(membership=membership, phase=current).update(
            status=PhaseStatus.NOT_STARTED, started_at=None, completed_at=None
        )
    PhaseProgress.objects.filter(membership=membership, phase=previous).update(
        status=PhaseStatus.IN_PROGRESS, completed_at=None
    )
    _record(
        membership,
        to_phase=previous,
        kind=PhaseTransition.Kind.MOVED_BACK,
        by=by,
        note=note.strip(),
        at=at,
    )
    audit.record(
        AuditAction.MOVED_BACK,
        programme=membership.programme_id,
        by=by,
        summary=f"{audit.name_of(membership.user)} moved back to {previous.name}",
        at=at,
    )
    return membership


@transaction.atomic
def check_progress(*, membership: Membership, at: datetime | None = None) -> Membership:
    """Move a mentee on for as long as their current phase's exit criterion is met.

    Called whenever something that a criterion counts happens (an assessment submitted,
    attendance recorded, ...). Moving on by hand, and sign-off, stay with people.
    """
    membership = _locked_mentee(membership)
    at = at or timezone.now()
    for _ in range(50):  # a programme has a handful of phases; this only guards a loop
        phase = membership.current_phase
        if phase is None or not criterion_met(membership, phase):
            break
        _move_forward(
            membership,
            by=SYSTEM,
            note=f"Completed: {phase.exit_summary}",
            kind=PhaseTransition.Kind.AUTOMATIC,
            at=at,
        )
    return membership
