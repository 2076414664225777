"""Accepting an invitation: the link from the email, for a new or an existing account."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.forms.invitation import InvitationImportForm, InviteForm
from programmes.models import Invitation, Role
from programmes.services.invitation import (
    accept_invitation,
    emails_of,
    import_invitations,
    invitation_from_token,
    invite,
    resend_invitation,
    revoke_invitation,
)
from programmes.views.membership import _invitation, _people_context


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_from_token(token)
    if invitation is None or invitation.state != Invitation.State.PENDING:
        status = 410 if invitation is not None else 404
        return render(
            request, "programmes/invitation_closed.html", {"invitation": invitation}, status=status
        )
    here = request.get_full_path()
    if request.method == "POST" and request.user.is_authenticated:
        welcome = f"Welcome to {invitation.programme.name}."
        with reported(request, success=welcome) as outcome:
            membership = accept_invitation(invitation=invitation, user=request.user)
        if not outcome.ok:
            return redirect(here)
        if membership.role == Role.MENTEE:
            return redirect("programmes:my_journey", slug=invitation.programme.slug)
        return redirect("programmes:detail", slug=invitation.programme.slug)
    if not request.user.is_authenticated:
        # Whoever holds this link received it at this address: no second verification email.
        get_adapter(request).stash_verified_email(request, invitation.email)
        request.session["invitation_token"] = token
    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    context = {
        "invitation": invitation,
        "matches": request.user.is_authenticated
        and invitation.email.lower() in emails_of(request.user),
        "has_account": has_account,
        "login_url": reverse("account_login") + "?" + urlencode({"next": here}),
        "signup_url": reverse("account_signup")
        + "?"
        + urlencode({"next": here, "email": invitation.email}),
    }
    return render(request, "programmes/invitation_accept.html", context)


@require_POST
def person_invite(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = InviteForm(request.POST, mentee_label=access.programme.mentee_label)
    if form.is_valid():
        with reported(request, form=form) as outcome:
            invitation = invite(
                programme=access.programme,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
            messages.success(request, f"Invitation sent to {invitation.email}.")
        if outcome.ok:
            return redirect("programmes:people", slug=slug)
    context = _people_context(request, access, invite_form=form)
    return render(request, "programmes/membership_list.html", context, status=400)


@require_POST
def people_import(request: AuthedRequest, slug: str) -> HttpResponse:
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
    return render(request, "programmes/membership_list.html", context, status=400)


@require_POST
def invitation_resend(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    invitation = _invitation(request, access, pk)
    sent = f"Sent a new link to {invitation.email}; the old one no longer works."
    with reported(request, success=sent):
        resend_invitation(
            invitation=invitation, by=request.user, base_url=request.build_absolute_uri("/")
        )
    return redirect("programmes:people", slug=slug)


@require_POST
def invitation_revoke(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    invitation = _invitation(request, access, pk)
    with reported(request, success=f"Revoked the invitation to {invitation.email}."):
        revoke_invitation(invitation=invitation, by=request.user)
    return redirect("programmes:people", slug=slug)
