"""How each mentee wants to be mentored, the cadence a pair agrees, and the mentor's offer."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mentoring.forms.cadence import ProposeCadenceForm
from mentoring.forms.engagement import PreferencesForm
from mentoring.forms.pairing import ChangeRequestForm
from mentoring.models import CadenceAgreement, EngagementPreference
from mentoring.selectors.cadence import rhythm_suggestion
from mentoring.services.engagement import save_preferences
from programmes.access import AuthedRequest, programme_access
from programmes.models import Membership, Pairing, Role


def pairing_context(pairing: Pairing | None) -> dict:
    """The agreed cadence of a pairing, any open proposal, and when the next session is due."""
    if pairing is None:
        return {"pairing": None}
    agreements = list(
        CadenceAgreement.objects.filter(pairing=pairing).select_related("proposed_by")
    )
    agreed = next((a for a in agreements if a.status == CadenceAgreement.Status.ACCEPTED), None)
    suggestion = rhythm_suggestion(pairing, agreed.cadence if agreed else "")
    return {
        "suggestion": suggestion,
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
def my_mentoring(request: AuthedRequest, slug: str) -> HttpResponse:
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


@require_GET
def partner(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
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
