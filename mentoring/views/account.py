"""A person's own account: download everything the product holds about them, delete their
account (after signing in again, through allauth's reauthentication), and the page that asks
for two-factor where a programme requires it."""

from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from mentoring.forms.account import DeleteAccountForm
from mentoring.selectors.account_data import data_archive
from mentoring.services.account import delete_account, handover_message
from mentoring.services.membership import sole_lead_of
from programmes.access import AuthedRequest
from programmes.errors import reported
from programmes.models import Membership, Role


def _memberships(request: AuthedRequest) -> list[Membership]:
    return list(
        Membership.objects.filter(user=request.user)
        .select_related("programme")
        .order_by("programme__name", "role")
    )


@require_GET
def two_factor_required(request: AuthedRequest) -> HttpResponse:
    """Where mentoring/two_factor.py sends a lead or mentor whose programme requires
    two-factor they have not set up: why, and the way to allauth's set-up."""
    asking = (
        Membership.objects.active()
        .filter(user=request.user, role__in=[Role.LEAD, Role.MENTOR])
        .filter(programme__require_two_factor=True)
        .select_related("programme")
        .order_by("programme__name", "role")
    )
    context = {
        "asking": list(asking),
        "has_app": is_mfa_enabled(request.user, [Authenticator.Type.TOTP]),
    }
    return render(request, "mentoring/account_two_factor.html", context)


@require_GET
def account_data(request: AuthedRequest) -> HttpResponse:
    context = {"memberships": _memberships(request)}
    return render(request, "mentoring/account_data.html", context)


@never_cache
@require_GET
def account_data_download(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(data_archive(request.user), content_type="application/zip")
    name = f"my-mentoring-data-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def account_delete(request: AuthedRequest) -> HttpResponse:
    """The page says what happens; posting it (after signing in again, if that was not
    in the last few minutes) closes the account and signs the person out."""
    sole = sole_lead_of(request.user)
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with reported(request, form=form) as outcome:
            delete_account(user=request.user, by=request.user)
        if outcome.ok:
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for taking part.")
            return redirect("account_login")
    context = {
        "form": form,
        "memberships": _memberships(request),
        "handover": handover_message(sole) if sole else "",
    }
    return render(request, "mentoring/account_delete.html", context)
