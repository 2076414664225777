"""Each mentee's journey: their own roadmap, and the same page for their mentor and leads,
who may move them on (or, for a lead, back) with a note."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.forms.membership import PauseForm
from programmes.forms.progress import MoveBackForm, MoveForm
from programmes.models import Membership, Role
from programmes.policy import can_advance, can_move_back, can_pause
from programmes.selectors.progress import Journey, journey_for
from programmes.selectors.timeline import Timeline, timeline_from
from programmes.services.membership import pause, resume
from programmes.services.progress import UNCHECKED, advance_phase, move_back


@require_GET
def my_journey(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    membership = access.membership(Role.MENTEE)
    if membership is None:
        raise Http404("You are not a mentee in this programme.")
    journey = journey_for(membership)
    context = {"access": access, "tab": "journey", "journey": journey}
    context["timeline"] = _timeline(journey)
    context |= {"own": True, "can_pause": True, "pause_form": PauseForm()}
    context["next_step"] = _next_step(slug, membership)
    return render(request, "programmes/progress_detail.html", context)


# The button under "What completes this phase" on a mentee's own journey, by the current
# phase's exit criterion: (page, label).
_NEXT_STEPS = {
    "baseline": ("programmes:assessment", "Open your self-assessment"),
    "workshops": ("programmes:workshops", "Book or see your workshops"),
    "playbook": ("playbooks:playbook", "Open your playbook"),
    "sessions": ("mentoring:sessions", "Your sessions and open actions"),
    "signoff": ("playbooks:integration", "Map your themes onto the business’s pillars"),  # noqa: RUF001
}
_MENTORING_STEP = ("mentoring:mine", "Your mentoring")


def _next_step(slug: str, membership: Membership) -> tuple[str, str] | None:
    """(address, label) of the one next step for the current phase: one reverse()."""
    if membership.current_phase is None:
        return None
    name, label = _NEXT_STEPS.get(membership.current_phase.exit_criterion, _MENTORING_STEP)
    return reverse(name, args=[slug]), label


def _timeline(journey: Journey) -> Timeline:
    """The journey's timeline from the phases and moves `journey_for` read already."""
    return timeline_from(journey.membership, [s.phase for s in journey.stops], journey.moves)


def _mentee(request: AuthedRequest, access, member: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user", "current_phase"),
        pk=member,
        programme=access.programme,
        role=Role.MENTEE,
    )


@require_GET
def member_journey(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    membership = _mentee(request, access, member)
    if membership.user_id == request.user.pk:
        return redirect("programmes:my_journey", slug=slug)
    return _render_journey(request, access, membership)


def _render_journey(
    request: AuthedRequest,
    access,
    membership: Membership,
    advance_form: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A mentee's journey as their mentor or a lead sees it; `advance_form` carries a refused
    move back to the page with its errors."""
    membership.programme = access.programme
    journey = journey_for(membership)
    context = {
        "access": access,
        "tab": "people" if access.is_lead else "overview",
        "journey": journey,
        "timeline": _timeline(journey),
        "can_advance": can_advance(request.user, membership),
        "can_move_back": can_move_back(request.user, membership),
        "advance_form": advance_form
        or MoveForm(initial={"from_phase": membership.current_phase_id}),
        "back_form": MoveBackForm(initial={"from_phase": membership.current_phase_id}),
        "can_pause": access.is_lead,
        "pause_form": PauseForm(),
    }
    return render(request, "programmes/progress_detail.html", context, status=status)


def _seen_phase(form):
    """The phase the page showed the mentee in, if the form said (see FromPhase)."""
    seen = form.cleaned_data.get("from_phase")
    return UNCHECKED if seen is None else seen


@require_POST
def member_advance(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    membership = _mentee(request, access, member)
    if not can_advance(request.user, membership):
        raise PermissionDenied("Only their mentor or a programme lead can move them on.")
    form = MoveForm(request.POST)
    if not form.is_valid():
        # Nobody moves on a note that was refused: the page comes back with the errors.
        messages.error(request, f"{membership.user.display_name} was not moved on.")
        return _render_journey(request, access, membership, advance_form=form, status=400)
    with reported(request):
        moved = advance_phase(
            membership=membership,
            by=request.user,
            note=form.cleaned_data.get("note", ""),
            from_phase_id=_seen_phase(form),
        )
        where = moved.current_phase.name if moved.current_phase else "business as usual"
        messages.success(request, f"{membership.user.display_name} moved on to {where}.")
    return redirect("programmes:member_journey", slug=slug, member=member)


@require_POST
def member_move_back(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    membership = _mentee(request, access, member)
    access.require_lead()
    form = MoveBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why, so the person and their mentor understand the move.")
        return redirect("programmes:member_journey", slug=slug, member=member)
    with reported(request):
        moved = move_back(
            membership=membership,
            by=request.user,
            note=form.cleaned_data["note"],
            from_phase_id=_seen_phase(form),
        )
        where = moved.current_phase.name if moved.current_phase else "business as usual"
        messages.success(request, f"{membership.user.display_name} moved back to {where}.")
    return redirect("programmes:member_journey", slug=slug, member=member)


def _back_to_journey(request: AuthedRequest, slug: str, membership: Membership) -> HttpResponse:
    if membership.user_id == request.user.pk:
        return redirect("programmes:my_journey", slug=slug)
    return redirect("programmes:member_journey", slug=slug, member=membership.pk)


@require_POST
def member_pause(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    """A lead, or the mentee on their own journey, pauses them until a date."""
    access = programme_access(request, slug)
    membership = _mentee(request, access, member)
    if not can_pause(request.user, membership):  # refused before the date is looked at
        raise PermissionDenied("Only a programme lead or the person themself can pause them.")
    form = PauseForm(request.POST)
    if not form.is_valid():
        problems = form.errors.get("until") or ["Choose a valid date."]
        messages.error(request, " ".join(str(problem) for problem in problems))
        return _back_to_journey(request, slug, membership)
    until = form.cleaned_data["until"]
    with reported(request, success=f"Paused until {until.day} {until:%B %Y}."):
        pause(membership=membership, until=until, by=request.user)
    return _back_to_journey(request, slug, membership)


@require_POST
def member_resume(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    membership = _mentee(request, access, member)
    with reported(request, success="Resumed: pace is checked again within a quarter of an hour."):
        resume(membership=membership, by=request.user)
    return _back_to_journey(request, slug, membership)
