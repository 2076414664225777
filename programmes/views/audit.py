"""A programme's audit trail, for its leads: who did what, when and from where."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programmes.access import AuthedRequest, programme_access
from programmes.models import AuditAction, AuditEntry
from programmes.policy import leads

PAGE_SIZE = 50


@require_GET
def audit_trail(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    if not leads(request.user, access.programme):
        raise Http404("Only the programme's leads read its audit trail.")
    entries = AuditEntry.objects.filter(programme=access.programme).select_related(None)
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        entries = entries.filter(action=action)
    else:
        action = ""
    page = Paginator(entries.order_by("-at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "access": access,
        "tab": "audit",
        "page": page,
        "action": action,
        "actions": AuditAction.choices,
    }
    return render(request, "programmes/audit_list.html", context)
