"""A programme: the list of mine, creating one, its home for each role, settings, copying."""

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from programmes.access import AuthedRequest, programme_access
from programmes.forms.programme import DuplicateForm, ProgrammeCreateForm, ProgrammeSettingsForm
from programmes.models import Membership, Role
from programmes.selectors.programme import (
    lead_overview,
    mentor_partners,
    programme_mentees,
    setup_steps,
)
from programmes.selectors.rows import id_paths
from programmes.services.programme import change_programme, create_programme, duplicate_programme


@require_GET
def programme_list(request: AuthedRequest) -> HttpResponse:
    memberships = (
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("programme", "current_phase")
        .order_by("programme__name", "role")
    )
    return render(request, "programmes/programme_list.html", {"memberships": memberships})


@require_http_methods(["GET", "POST"])
def programme_create(request: AuthedRequest) -> HttpResponse:
    form = ProgrammeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        programme = create_programme(by=request.user, **form.cleaned_data)
        messages.success(request, f"{programme.name} is ready to set up. Invite people next.")
        return redirect("programmes:detail", slug=programme.slug)
    return render(request, "programmes/programme_create.html", {"form": form})


@require_GET
def programme_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    if not (access.is_lead or access.is_mentor):
        return redirect("programmes:my_journey", slug=slug)
    context = {"access": access, "tab": "overview"}
    if access.is_lead:
        overview = lead_overview(access.programme)
        steps = setup_steps(access.programme, overview)
        if not all(step.done for step in steps):
            context["setup_steps"] = steps
        paginator = Paginator(programme_mentees(access.programme), 50)
        paginator.count = overview.mentee_count  # the same active mentees, counted already
        context |= {
            "overview": overview,
            "page": paginator.get_page(request.GET.get("page")),
            "journey_paths": id_paths("programmes:member_journey", slug),
        }
    mentor = access.membership(Role.MENTOR)
    if mentor is not None:
        context["partners"] = mentor_partners(mentor)
    return render(request, "programmes/programme_detail.html", context)


@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    # The form checks a copy: refused values must not reach the page's own header.
    form = ProgrammeSettingsForm(request.POST or None, instance=copy.copy(access.programme))
    if request.method == "POST" and form.is_valid():
        starts_before = access.programme.starts_on
        change_programme(programme=access.programme, by=request.user, **form.cleaned_data)
        if access.programme.starts_on != starts_before:
            # The pace check reads the start date; it looks at everyone again at its next run.
            messages.success(
                request,
                "Settings saved. Everyone's pace is checked against the new start date at "
                "the next pace check, within the quarter hour.",
            )
        else:
            messages.success(request, "Settings saved.")
        return redirect("programmes:edit", slug=slug)
    context = {"access": access, "tab": "settings", "form": form}
    context["duplicate_form"] = DuplicateForm(initial={"name": f"{access.programme.name} (next)"})
    return render(request, "programmes/programme_edit.html", context)


@require_http_methods(["POST"])
def programme_duplicate(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        context = {"access": access, "tab": "settings", "duplicate_form": form}
        context["form"] = ProgrammeSettingsForm(instance=access.programme)
        return render(request, "programmes/programme_edit.html", context, status=400)
    copy = duplicate_programme(source=access.programme, by=request.user, **form.cleaned_data)
    messages.success(request, f"{copy.name} is a copy of {access.programme.name}, without people.")
    return redirect("programmes:detail", slug=copy.slug)
