from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentoring.forms.guideline import GuidelineForm
from mentoring.models import (
    Guideline,
)
from mentoring.services.guideline import add_guideline, edit_guideline, remove_guideline
from programmes.access import AuthedRequest, programme_access


@require_http_methods(["GET", "POST"])
def guideline_list(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    form = GuidelineForm(request.POST or None)
    if request.method == "POST":
        access.require_lead()
        if form.is_valid():
            add_guideline(programme=access.programme, by=request.user, **form.cleaned_data)
            messages.success(request, "Added. Mentors see it beside every session log.")
            return redirect("mentoring:guidelines", slug=slug)
    guidelines = (
        Guideline.objects.visible_to(request.user).current().filter(programme=access.programme)
    )
    context = {"access": access, "tab": "guidelines", "form": form, "guidelines": guidelines}
    return render(request, "mentoring/guideline_list.html", context)


def _guideline(request: AuthedRequest, slug: str, pk: int):
    access = programme_access(request, slug)
    guideline = get_object_or_404(
        Guideline.objects.visible_to(request.user).current(), pk=pk, programme=access.programme
    )
    access.require_lead()
    return guideline


@require_POST
def guideline_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    guideline = _guideline(request, slug, pk)
    form = GuidelineForm(request.POST, instance=guideline)
    if form.is_valid():
        edit_guideline(guideline=guideline, by=request.user, text=form.cleaned_data["text"])
        messages.success(request, "Guideline saved.")
    else:
        messages.error(request, "A guideline needs some words (up to 300 characters).")
    return redirect("mentoring:guidelines", slug=slug)


@require_POST
def guideline_remove(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    guideline = _guideline(request, slug, pk)
    remove_guideline(guideline=guideline, by=request.user)
    messages.success(request, f"Removed “{guideline.text}”. Past self-checks keep it.")
    return redirect("mentoring:guidelines", slug=slug)
