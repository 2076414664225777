from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentoring.forms.cadence import AnswerForm, ProposeCadenceForm
from mentoring.models import CadenceAgreement
from mentoring.services.cadence import answer_cadence, propose_cadence, withdraw_cadence
from mentoring.views.engagement import pairing_context
from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.models import Pairing


def _my_pairing(request: AuthedRequest, access, pk: int) -> Pairing:
    pairing = get_object_or_404(
        Pairing.objects.visible_to(request.user).select_related("mentor__user", "mentee__user"),
        pk=pk, programme=access.programme, ended_at__isnull=True,
    )  # fmt: skip
    if request.user.pk not in (pairing.mentor.user_id, pairing.mentee.user_id):
        raise Http404
    return pairing


def _my_agreement(request: AuthedRequest, access, pk: int) -> tuple[CadenceAgreement, Pairing]:
    """A proposal of the signed-in person's own current pairing, and that pairing."""
    agreement = get_object_or_404(
        CadenceAgreement.objects.visible_to(request.user),
        pk=pk,
        pairing__programme=access.programme,
    )
    return agreement, _my_pairing(request, access, agreement.pairing_id)


def _back(request: AuthedRequest, slug: str, pairing: Pairing) -> HttpResponse:
    if pairing.mentee.user_id == request.user.pk:
        return redirect("mentoring:mine", slug=slug)
    return redirect("mentoring:partner", slug=slug, member=pairing.mentee_id)


@require_POST
def cadence_propose(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    pairing = _my_pairing(request, access, pk)
    form = ProposeCadenceForm(request.POST)
    if form.is_valid():
        with reported(request):
            made = propose_cadence(pairing=pairing, by=request.user, **form.cleaned_data)
            if made.status == CadenceAgreement.Status.ACCEPTED:  # they had proposed just this
                cadence = made.get_cadence_display().lower()
                messages.success(request, f"Agreed: they had proposed it too. You meet {cadence}.")
            else:
                messages.success(
                    request, "Proposed. It takes effect when the other person accepts."
                )
    else:
        messages.error(request, "Choose how often you'd like to meet.")
    return _back(request, slug, pairing)


@require_POST
def cadence_withdraw(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    agreement, pairing = _my_agreement(request, access, pk)
    with reported(request, success="Withdrawn. Your agreed cadence stays as it was."):
        withdraw_cadence(agreement=agreement, by=request.user)
    return _back(request, slug, pairing)


@require_POST
def cadence_answer(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    agreement, pairing = _my_agreement(request, access, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Accept or decline the proposal.")
        return _answered(request, access, pairing)
    with reported(request):
        answered = answer_cadence(
            agreement=agreement, by=request.user, accept=form.cleaned_data["accept"]
        )
        cadence = answered.get_cadence_display().lower()
        messages.success(  # says what the answer was, so only once the service took it
            request,
            f"Accepted: you meet {cadence} from now on."
            if answered.status == answered.Status.ACCEPTED
            else f"Declined: you did not agree to meet {cadence}.",
        )
    return _answered(request, access, pairing)


def _answered(request: AuthedRequest, access, pairing: Pairing) -> HttpResponse:
    """Back to the page the panel is on; for htmx, the panel alone. Whoever answers is one of
    the pair, and both of them may propose another cadence."""
    if not request.htmx:
        return _back(request, access.programme.slug, pairing)
    context = {"access": access, "can_propose": True} | pairing_context(pairing)
    return render(request, "mentoring/cadence_panel.html#answered", context)
