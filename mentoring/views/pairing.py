"""A lead pairs mentors with mentees: suggestions, changes with a reason, endings, requests."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.pairing import ChangeRequestForm, EndPairingForm, MentorProfileForm, PairForm
from mentoring.models import MentorChangeRequest, MentorProfile
from mentoring.selectors.pairing import suggest_mentors
from mentoring.services.pairing import (
    DEFAULT_CAPACITY,
    end_pairing,
    pair,
    request_mentor_change,
)
from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.models import Membership, Pairing, Role


def _active(programme):
    return Prefetch(
        "mentee_pairings",
        queryset=Pairing.objects.active()
        .filter(programme=programme)
        .select_related("mentor__user"),
        to_attr="active_pairings",
    )


@require_GET
def pairing_list(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead_to_see()  # who is paired with whom
    mentees = (
        Membership.objects.visible_to(request.user)
        .filter(programme=access.programme, role=Role.MENTEE, is_active=True)
        .select_related("user", "current_phase")
        .prefetch_related(_active(access.programme))
        .order_by("user__name", "pk")
    )
    requests = MentorChangeRequest.objects.visible_to(request.user).filter(
        mentee__programme=access.programme, resolved_at__isnull=True
    )
    context = {
        "access": access,
        "tab": "pairings",
        "mentees": Paginator(mentees, 50).get_page(request.GET.get("page")),
        "requests": requests.select_related("mentee__user"),
    }
    return render(request, "mentoring/pairing_list.html", context)


@require_http_methods(["GET", "POST"])
def pairing_edit(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead_to_see()  # who is paired with whom
    mentee = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user"),
        pk=member, programme=access.programme, role=Role.MENTEE,
    )  # fmt: skip
    current = Pairing.objects.active().filter(mentee=mentee).select_related("mentor__user").first()
    suggestions = [
        s for s in suggest_mentors(mentee) if current is None or s.mentor.pk != current.mentor_id
    ]
    form = PairForm(
        request.POST or None, mentors=[s.mentor for s in suggestions], changing=current is not None
    )
    if request.method == "POST" and form.is_valid():
        mentor = next(s.mentor for s in suggestions if s.mentor.pk == form.cleaned_data["mentor"])
        paired = f"{mentee.user.display_name} is paired with {mentor.user.display_name}."
        with reported(request, success=paired, form=form) as outcome:
            reason = form.cleaned_data.get("reason", "")
            pair(mentor=mentor, mentee=mentee, by=request.user, reason=reason)
        if outcome.ok:
            return redirect("mentoring:pairings", slug=slug)
    context = {"access": access, "tab": "pairings", "mentee": mentee, "current": current}
    context |= {"suggestions": suggestions, "form": form, "end_form": EndPairingForm()}
    context["history"] = Pairing.objects.filter(
        mentee=mentee, ended_at__isnull=False
    ).select_related("mentor__user")
    context["requests"] = MentorChangeRequest.objects.visible_to(request.user).filter(mentee=mentee)
    return render(request, "mentoring/pairing_edit.html", context)


@require_POST
def pairing_end(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.user).select_related("mentee__user"),
        pk=pk, programme=access.programme, ended_at__isnull=True,
    )  # fmt: skip
    back = redirect("mentoring:pairing_edit", slug=slug, member=pairing.mentee_id)
    form = EndPairingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the pairing ends; the mentee can read it later.")
        return back
    ended = f"The pairing of {pairing.mentee.user.display_name} has ended."
    with reported(request, success=ended):
        end_pairing(pairing=pairing, by=request.user, reason=form.cleaned_data["reason"])
    return back


@require_POST
def change_request(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    membership = access.membership(Role.MENTEE)
    if membership is None:
        raise Http404
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tell your programme lead why, so they can find a better match.")
        return redirect("mentoring:mine", slug=slug)
    sent = "Your programme lead has your request. Your mentor isn't told by us."
    with reported(request, success=sent):
        request_mentor_change(
            mentee=membership, by=request.user, reason=form.cleaned_data["reason"]
        )
    return redirect("mentoring:mine", slug=slug)


@require_http_methods(["GET", "POST"])
def mentor_profile(request: AuthedRequest, slug: str) -> HttpResponse:
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
        request, "mentoring/pairing_offer.html", {"access": access, "tab": "offer", "form": form}
    )
