"""Accepting an invitation: the link from the email, for a new or an existing account."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from programmes.models import Invitation, Role
from programmes.services.invitations import (
    InvitationError,
    accept_invitation,
    emails_of,
    invitation_from_token,
)


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
        try:
            membership = accept_invitation(invitation=invitation, user=request.user)
        except InvitationError as error:
            messages.error(request, str(error))
            return redirect(here)
        messages.success(request, f"Welcome to {invitation.programme.name}.")
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
