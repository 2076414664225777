"""A lead edits a programme's phases: rename, describe, reorder, add, remove, criteria."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.forms.phase import PhaseForm
from programmes.models import Phase
from programmes.services.phase import add_phase, change_phase, move_phase, remove_phase
from programmes.services.progress import is_checked_automatically


@require_GET
def phase_list(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    phases = Phase.objects.visible_to(request.user).filter(programme=access.programme)
    in_phase = dict(
        access.programme.memberships.active()
        .values("current_phase_id")
        .annotate(n=Count("id"))
        .values_list("current_phase_id", "n")
    )
    rows = [(phase, in_phase.get(phase.pk, 0), is_checked_automatically(phase)) for phase in phases]
    context = {"access": access, "tab": "phases", "rows": rows, "form": PhaseForm()}
    # A plan longer than the programme is worth a word: each person's pace counts against it.
    programme = access.programme
    planned = sum(phase.expected_weeks or 0 for phase, _, _ in rows)
    if programme.starts_on and programme.ends_on and planned:
        runs = ((programme.ends_on - programme.starts_on).days + 6) // 7
        if planned > runs:
            context["plan_too_long"] = (planned, runs)
    return render(request, "programmes/phase_list.html", context)


@require_http_methods(["GET", "POST"])
def phase_edit(request: AuthedRequest, slug: str, pk: int | None = None) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    phase = None
    if pk is not None:
        phase = get_object_or_404(
            Phase.objects.visible_to(request.user), pk=pk, programme=access.programme
        )
    form = PhaseForm(request.POST or None, instance=phase, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        if phase is None:
            data = form.cleaned_data
            add_phase(programme=access.programme, by=request.user, **data)
            messages.success(request, f"Added {data['name']} as the last phase.")
        else:
            change_phase(phase=phase, by=request.user, **form.cleaned_data)
            messages.success(request, f"Saved {phase.name}.")
        return redirect("programmes:phases", slug=slug)
    context = {"access": access, "tab": "phases", "form": form, "phase": phase}
    return render(request, "programmes/phase_form.html", context)


@require_POST
def phase_move(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    phase = get_object_or_404(
        Phase.objects.visible_to(request.user), pk=pk, programme=access.programme
    )
    with reported(request):
        move_phase(phase=phase, by=request.user, up=request.POST.get("direction") == "up")
    return redirect("programmes:phases", slug=slug)


@require_POST
def phase_remove(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    phase = get_object_or_404(
        Phase.objects.visible_to(request.user), pk=pk, programme=access.programme
    )
    removed = f"Removed {phase.name}. Past moves through it keep its name."
    with reported(request, success=removed):
        remove_phase(phase=phase, by=request.user)
    return redirect("programmes:phases", slug=slug)
