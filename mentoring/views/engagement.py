"""How each mentee wants to be mentored, the cadence a pair agrees, and the mentor's offer."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from programmes.access import programme_access
from programmes.models import Membership, Role

from ..forms_pairing import (
    AnswerForm,
    ChangeRequestForm,
    MentorProfileForm,
    PreferencesForm,
    ProposeCadenceForm,
)
from ..models import CadenceAgreement, EngagementPreference, MentorProfile, Pairing
from ..services import (
    DEFAULT_CAPACITY,
    PairingError,
    answer_cadence,
    propose_cadence,
    request_mentor_change,
    save_preferences,
)


def pairing_context(pairing: Pairing | None) -> dict:
    """The agreed cadence of a pairing, any open proposal, and when the next session is due."""
    if pairing is None:
        return {"pairing": None}
    agreements = list(
        CadenceAgreement.objects.filter(pairing=pairing).select_related("proposed_by")
    )
    agreed = next((a for a in agreements if a.status == CadenceAgreement.Status.ACCEPTED), None)
    return {
        "pairing": pairing,
        "agreed": agreed,
        "proposal": next(
            (a for a in agreements if a.status == CadenceAgreement.Status.PROPOSED), None
        ),
        "propose_form": ProposeCadenceForm(
            initial={"cadence": agreed.cadence if agreed else "fortnightly"}
        ),
    }


@require_http_methods(["GET", "POST"])
def my_mentoring(request: HttpRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    membership = access.membership(Role.MENTEE)
    if membership is None:
        raise Http404("You are not a mentee in this programme.")
    current = (
        EngagementPreference.objects.visible_to(request.user)
        .current()
        .filter(membership=membership)
        .first()
    )
    form = PreferencesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        save_preferences(membership=membership, by=request.user, **form.cleaned_data)
        messages.success(request, "Saved. Your mentor sees how you'd like to be mentored.")
        return redirect("mentoring:mine", slug=slug)
    pairing = (
        Pairing.objects.visible_to(request.user)
        .active()
        .filter(mentee=membership)
        .select_related("mentor__user", "mentee__user")
        .first()
    )
    context = {"access": access, "tab": "mentoring", "form": form, "membership": membership}
    context |= pairing_context(pairing)
    context["history"] = EngagementPreference.objects.filter(
        membership=membership, superseded_at__isnull=False
    )[:10]
    context["change_form"] = ChangeRequestForm()
    return render(request, "mentoring/engagement_mine.html", context)


def partner(request: HttpRequest, slug: str, member: int) -> HttpResponse:
    """A mentor's (or lead's) view of how a mentee wants to be mentored."""
    access = programme_access(request, slug)
    mentee = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user"),
        pk=member, programme=access.programme, role=Role.MENTEE,
    )  # fmt: skip
    if mentee.user_id == request.user.pk:
        return redirect("mentoring:mine", slug=slug)
    preference = (
        EngagementPreference.objects.visible_to(request.user)
        .current()
        .filter(membership=mentee)
        .first()
    )
    pairing = (
        Pairing.objects.visible_to(request.user)
        .active()
        .filter(mentee=mentee)
        .select_related("mentor__user", "mentee__user")
        .first()
    )
    context = {"access": access, "tab": "overview", "mentee": mentee, "preference": preference}
    context |= pairing_context(pairing)
    context["is_their_mentor"] = bool(pairing and pairing.mentor.user_id == request.user.pk)
    return render(request, "mentoring/engagement_partner.html", context)


def _my_pairing(request: HttpRequest, access, pk: int) -> Pairing:
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.user).select_related("mentor", "mentee"),
        pk=pk, programme=access.programme, ended_at__isnull=True,
    )  # fmt: skip
    if request.user.pk not in (pairing.mentor.user_id, pairing.mentee.user_id):
        raise Http404
    return pairing


def _back(request: HttpRequest, slug: str, pairing: Pairing) -> HttpResponse:
    if pairing.mentee.user_id == request.user.pk:
        return redirect("mentoring:mine", slug=slug)
    return redirect("mentoring:partner", slug=slug, member=pairing.mentee_id)


@require_POST
def cadence_propose(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    pairing = _my_pairing(request, access, pk)
    form = ProposeCadenceForm(request.POST)
    if form.is_valid():
        propose_cadence(pairing=pairing, by=request.user, **form.cleaned_data)
        messages.success(request, "Proposed. It takes effect when the other person accepts.")
    else:
        messages.error(request, "Choose how often you'd like to meet.")
    return _back(request, slug, pairing)


@require_POST
def cadence_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    agreement = get_object_or_404(
        CadenceAgreement.objects.visible_to(request.user),
        pk=pk,
        pairing__programme=access.programme,
    )
    pairing = _my_pairing(request, access, agreement.pairing_id)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise PairingError("Accept or decline the proposal.")
        answered = answer_cadence(
            agreement=agreement, by=request.user, accept=form.cleaned_data["accept"]
        )
        messages.success(
            request, f"{answered.get_status_display()}: {answered.get_cadence_display().lower()}."
        )
    except PairingError as error:
        messages.error(request, str(error))
    return _back(request, slug, pairing)


@require_POST
def change_request(request: HttpRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    membership = access.membership(Role.MENTEE)
    if membership is None:
        raise Http404
    form = ChangeRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise PairingError("Tell your programme lead why, so they can find a better match.")
        request_mentor_change(
            mentee=membership, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, "Your programme lead has your request. Your mentor isn't told by us."
        )
    except PairingError as error:
        messages.error(request, str(error))
    return redirect("mentoring:mine", slug=slug)


@require_http_methods(["GET", "POST"])
def mentor_profile(request: HttpRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    membership = access.membership(Role.MENTOR)
    if membership is None:
        raise Http404("You are not a mentor in this programme.")
    profile = MentorProfile.objects.filter(membership=membership).first()
    initial = {
        "capacity": profile.capacity if profile else DEFAULT_CAPACITY,
        "strengths": profile.strengths if profile else [],
    }
    form = MentorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        MentorProfile.objects.update_or_create(membership=membership, defaults=form.cleaned_data)
        messages.success(request, "Saved. Leads see your capacity and strengths when pairing.")
        return redirect("mentoring:mentor_profile", slug=slug)
    return render(
        request, "mentoring/mentor_profile.html", {"access": access, "tab": "offer", "form": form}
    )
