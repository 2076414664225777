"""The notification centre, notification settings and the one-click unsubscribe."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.notification import NotificationSettingsForm, SnoozeForm
from mentoring.notification_kinds import kinds_for
from programmes.access import AuthedRequest
from programmes.errors import reported
from programmes.models import Membership, Notification, NotificationKind, NotificationSettings
from programmes.services import notification as notifications

PAGE_SIZE = 25


def _when(at: datetime, now: datetime) -> str:
    """'3 hours ago' for the last week, then the date: the age matters, not the minute."""
    if (now - at).total_seconds() < 60:
        return "just now"
    if (now - at).days < 7:
        return f"{timesince(at, now, depth=1)} ago"
    local = timezone.localtime(at)
    return format_date(local, "j M" if local.year == timezone.localtime(now).year else "j M Y")


def _snooze_context(request: AuthedRequest) -> dict:
    found = notifications.settings_for(request.user)
    today = timezone.localdate()
    return {"preferences": found, "snoozed": found.is_snoozed(today), "today": today}


@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    shown = Notification.objects.visible_to(request.user).shown().select_related("programme")
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for n in page:
        n.when = _when(n.visible_from, now)  # type: ignore[attr-defined]
    context = {"page": page} | _snooze_context(request)
    return render(request, "mentoring/notification_list.html", context)


@require_POST
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points; only ever to a path on this site."""
    found = get_object_or_404(Notification.objects.visible_to(request.user).shown(), pk=pk)
    notifications.mark_read(by=request.user, notification=found)
    local = found.link.startswith("/") and url_has_allowed_host_and_scheme(
        found.link, allowed_hosts=set(), require_https=request.is_secure()
    )
    return redirect(found.link if local else "mentoring:notifications")


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    marked = notifications.mark_read(by=request.user)
    if marked:
        messages.success(request, f"Marked {marked} as read." if marked > 1 else "Marked as read.")
    return redirect("mentoring:notifications")


def _settings_form(
    request: AuthedRequest, found: NotificationSettings, data=None
) -> NotificationSettingsForm:
    """The settings form, offering only the kinds that can reach this person through the
    roles they hold now, in any programme."""
    roles = Membership.objects.active().filter(user=request.user).values_list("role", flat=True)
    return NotificationSettingsForm(data, found=found, offered=kinds_for(set(roles)))


@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthedRequest) -> HttpResponse:
    context = _snooze_context(request)
    form = _settings_form(
        request, context["preferences"], request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with reported(request, success="Your notification settings are saved.", form=form) as done:
            notifications.update_settings(
                by=request.user,
                delivery=data["delivery"],
                quiet_from=data["quiet_from"],
                quiet_until=data["quiet_until"],
                muted_kinds=data["muted_kinds"],
            )
        if done.ok:
            return redirect("mentoring:notification_settings")
    context |= {"form": form, "snooze_form": SnoozeForm()}
    return render(request, "mentoring/notification_settings.html", context)


@require_POST
def notification_snooze(request: AuthedRequest) -> HttpResponse:
    form = SnoozeForm(request.POST)
    if form.is_valid():
        until = form.cleaned_data["until"]
        with reported(request, form=form) as done:
            notifications.snooze(by=request.user, until=until)
        if done.ok:
            if until is None:
                messages.success(request, "Nudges are back on.")
                return redirect(_next(request))
            # Not a message too: the snooze section says it, beside the button to wake.
            return redirect(_next(request, "#snooze"))
    # A day refused: say so beside the date, on the page that has it.
    context = _snooze_context(request)
    context |= {
        "form": _settings_form(request, context["preferences"]),
        "snooze_form": form,
    }
    return render(request, "mentoring/notification_settings.html", context)


def _next(request: HttpRequest, fragment: str = "") -> str:
    wanted = request.POST.get("next", "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts=set()):
        return wanted
    return reverse("mentoring:notification_settings") + fragment


@login_not_required
@csrf_exempt  # RFC 8058 one-click: mail clients POST with no cookies; the signature is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners follow links and must not unsubscribe anyone); POST does it."""
    kind = ""
    with reported(request) as done:
        if request.method == "POST":
            _user, kind = notifications.unsubscribe(token=token)
        else:
            _user_id, kind = notifications.read_unsubscribe_token(token)
    context = {
        "kind_label": NotificationKind(kind).label if done.ok else "",
        "unsubscribed": done.ok and request.method == "POST",
    }
    response = render(
        request,
        "mentoring/notification_unsubscribe.html",
        context,
        status=200 if done.ok else 400,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
