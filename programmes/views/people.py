"""A lead's people page: who is in the programme, and inviting more, one by one or by CSV."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from programmes.access import programme_access
from programmes.forms import InvitationImportForm, InviteForm
from programmes.models import Invitation, Membership
from programmes.services.invitations import (
    InvitationError,
    import_invitations,
    invite,
    resend_invitation,
    revoke_invitation,
)

PAGE_SIZE = 50


def _people_context(request: HttpRequest, access, **forms) -> dict:
    active_pairings = Prefetch(
        "mentee_pairings",
        queryset=access.programme.pairings.filter(ended_at__isnull=True).select_related(
            "mentor__user"
        ),
        to_attr="active_pairings",
    )
    members = (
        Membership.objects.visible_to(request.user)
        .filter(programme=access.programme, is_active=True)
        .select_related("user", "current_phase", "programme")
        .prefetch_related(active_pairings)
        .order_by("role", "user__name", "user__email")
    )
    invitations = Invitation.objects.visible_to(request.user).filter(
        programme=access.programme, accepted_at__isnull=True
    )
    return {
        "access": access,
        "tab": "people",
        "members": Paginator(members, PAGE_SIZE).get_page(request.GET.get("page")),
        "invitations": Paginator(
            invitations.select_related("invited_by").order_by("-created_at", "-pk"), PAGE_SIZE
        ).get_page(request.GET.get("invitations")),
        "invite_form": forms.get("invite_form")
        or InviteForm(mentee_label=access.programme.mentee_label),
        "import_form": forms.get("import_form") or InvitationImportForm(),
        "import_report": forms.get("import_report"),
    }


def people(request: HttpRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    return render(request, "programmes/people_list.html", _people_context(request, access))


@require_POST
def person_invite(request: HttpRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = InviteForm(request.POST, mentee_label=access.programme.mentee_label)
    if form.is_valid():
        try:
            invitation = invite(
                programme=access.programme,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("programmes:people", slug=slug)
    context = _people_context(request, access, invite_form=form)
    return render(request, "programmes/people_list.html", context, status=400)


@require_POST
def people_import(request: HttpRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = InvitationImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        report = import_invitations(
            programme=access.programme,
            by=request.user,
            text=form.cleaned_data["file"],
            base_url=request.build_absolute_uri("/"),
        )
        if report.ok:
            messages.success(
                request, f"Invited {len(report.created)} people; emails are on their way."
            )
            return redirect("programmes:people", slug=slug)
    context = _people_context(request, access, import_form=form, import_report=report)
    return render(request, "programmes/people_list.html", context, status=400)


def _invitation(request: HttpRequest, access, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.visible_to(request.user), pk=pk, programme=access.programme
    )


@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    invitation = _invitation(request, access, pk)
    try:
        resend_invitation(
            invitation=invitation, by=request.user, base_url=request.build_absolute_uri("/")
        )
        messages.success(
            request, f"Sent a new link to {invitation.email}; the old one no longer works."
        )
    except InvitationError as error:
        messages.error(request, str(error))
    return redirect("programmes:people", slug=slug)


@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    invitation = _invitation(request, access, pk)
    try:
        revoke_invitation(invitation=invitation, by=request.user)
        messages.success(request, f"Revoked the invitation to {invitation.email}.")
    except InvitationError as error:
        messages.error(request, str(error))
    return redirect("programmes:people", slug=slug)
