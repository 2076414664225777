"""How each mentee wants to be mentored, the cadence a pair agrees, and the mentor's offer."""

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods

from mentoring.forms.cadence import ProposeCadenceForm
from mentoring.forms.engagement import PreferencesForm
from mentoring.forms.pairing import ChangeRequestForm
from mentoring.models import (
    CadenceAgreement,
    EngagementPreference,
    MentoringSession,
    SessionStatus,
)
from mentoring.selectors.cadence import rhythm_suggestion
from mentoring.services.engagement import save_preferences
from programmes.access import AuthedRequest, programme_access
from programmes.forms.rendering import RENDERER, fields_html
from programmes.models import Membership, Pairing, Role


def pairing_context(pairing: Pairing | None) -> dict:
    """The agreed cadence of a pairing, any open proposal, and when the next session is due."""
    if pairing is None:
        return {"pairing": None}
    agreements = list(
        CadenceAgreement.objects.filter(pairing=pairing).select_related("proposed_by")
    )
    agreed = next((a for a in agreements if a.status == CadenceAgreement.Status.ACCEPTED), None)
    suggestion = rhythm_suggestion(
        pairing, agreed.cadence if agreed else "", agreed.answered_at if agreed else None
    )
    # It opens on what is agreed, channel too: sent unchanged, it is refused as agreed already.
    initial = {"cadence": agreed.cadence, "channel": agreed.channel} if agreed else {}
    propose_form = ProposeCadenceForm(
        initial={"cadence": "fortnightly"} | initial, renderer=RENDERER
    )
    return {
        "suggestion": suggestion,
        "pairing": pairing,
        "agreed": agreed,
        "proposal": next(
            (a for a in agreements if a.status == CadenceAgreement.Status.PROPOSED), None
        ),
        "propose_form": propose_form,
        # Written only if the panel shows the form (to whoever may propose).
        "propose_fields": SimpleLazyObject(lambda: fields_html(propose_form)),
    }


def _preferences(
    request: AuthedRequest, membership: Membership
) -> tuple[EngagementPreference | None, list[EngagementPreference]]:
    """The mentee's current preferences and the ten they had before, newest first, in one
    query: the current row (at most one) sorts first."""
    rows = list(
        EngagementPreference.objects.visible_to(request.user)
        .filter(membership=membership)
        .order_by(
            ExpressionWrapper(Q(superseded_at__isnull=True), output_field=BooleanField()).desc(),
            "-created_at",
            "-pk",
        )[:11]
    )
    current = rows[0] if rows and rows[0].superseded_at is None else None
    return current, [row for row in rows if row.superseded_at is not None][:10]


@require_http_methods(["GET", "POST"])
def my_mentoring(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    membership = access.membership(Role.MENTEE)
    if membership is None:
        raise Http404("You are not a mentee in this programme.")
    current, history = _preferences(request, membership)
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
    context["history"] = history
    # Their earlier mentors, with the reason the lead gave for each change.
    context["earlier_pairings"] = (
        Pairing.objects.visible_to(request.user)
        .filter(mentee=membership, ended_at__isnull=False)
        .select_related("mentor__user")
        .order_by("-ended_at")[:10]
    )
    if pairing:
        context["change_fields"] = fields_html(ChangeRequestForm(renderer=RENDERER))
    return render(request, "mentoring/engagement_mine.html", context)


@require_GET
def partner(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    """A mentor's (or lead's) view of how a mentee wants to be mentored, with their pace
    (where the mentor's "partner slipping" nudge leads) and, for the mentor, a way to log
    a session."""
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
    is_their_mentor = bool(pairing and pairing.mentor.user_id == request.user.pk)
    context["is_their_mentor"] = is_their_mentor
    # Only the mentor logs the pair's sessions (`session_start`): the button the Sessions
    # list shows them, "Continue draft" while a log is open.
    context["has_draft"] = (
        is_their_mentor
        and MentoringSession.objects.filter(pairing=pairing, status=SessionStatus.DRAFT).exists()
    )
    return render(request, "mentoring/engagement_partner.html", context)
