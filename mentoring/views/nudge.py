"""A programme's nudges, for its leads: did they help, a preview of what the pace sweep would
send now and to whom (which sends nothing), and the programme's nudge controls."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mentoring.selectors.nudge import ACTED_DAYS, PREVIEW_ROWS, nudge_figures, nudge_preview
from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.forms.programme import NudgeSettingsForm
from programmes.models import Programme
from programmes.services.programme import change_nudge_settings


@require_http_methods(["GET", "POST"])
def nudge_overview(request: AuthedRequest, slug: str) -> HttpResponse:
    # Nudges are the programme's in aggregate: for its leads only, and nobody else is told
    # the page exists (a 404, as for an outsider).
    access = programme_access(request, slug)
    programme = access.programme
    if not access.is_lead:  # `policy.leads`, answered by the memberships access read
        raise Http404("Only the programme's leads see its nudges.")
    form = NudgeSettingsForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        with reported(request, success="Nudge settings saved.", form=form) as outcome:
            change_nudge_settings(programme=programme, by=request.user, **form.cleaned_data)
        if outcome.ok:
            return redirect("mentoring:nudges", slug=slug)
    now = timezone.now()
    context = {
        "access": access,
        "tab": "nudges",
        "form": form,
        "windows": nudge_figures(programme, now=now),
        "acted_days": ACTED_DAYS,
        "preview": nudge_preview(programme, now=now, page=request.GET.get("page")),
        "preview_rows": PREVIEW_ROWS,
        "is_active": programme.status == Programme.Status.ACTIVE,
        "now": now,
    }
    return render(request, "mentoring/nudge_overview.html", context)
