"""Integration pages: the lead's business strategy with the alignment matrix and sign-off, and
each mentee's mapping of their themes onto the business's pillars."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from playbooks.forms.integration import PillarForm, SignOffForm, StrategyForm, ThemeMappingForm
from playbooks.models import BusinessStrategy, StrategyPillar, ThemeMapping
from playbooks.selectors.activity import PAGE_SIZE
from playbooks.selectors.integration import alignment_matrix
from playbooks.services import integration as services
from programmes.access import AuthedRequest, ProgrammeAccess, programme_access
from programmes.errors import reported
from programmes.models import Membership, Role
from programmes.selectors.programme import programme_mentees
from programmes.selectors.rows import csrf_field, id_prefix


def _page(
    request: AuthedRequest, template: str, access: ProgrammeAccess, **context
) -> HttpResponse:
    context |= {"access": access, "tab": context.pop("tab", "strategy")}
    return render(request, f"playbooks/{template}", context)


def _pillars(request: AuthedRequest, access: ProgrammeAccess):
    visible = StrategyPillar.objects.visible_to(request.user)
    return visible.filter(programme=access.programme).order_by("position", "pk")


def _strategy(request: AuthedRequest, access: ProgrammeAccess) -> BusinessStrategy | None:
    visible = BusinessStrategy.objects.visible_to(request.user)
    return visible.filter(programme=access.programme).first()


@require_GET
def strategy(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    pillars = list(_pillars(request, access))
    mentees = Paginator(programme_mentees(access.programme), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(mentees.object_list)
    # The lead sees every mentee of the programme they lead (`ThemeMapping.visible_to`):
    # their mappings are those of the mentees on the page, found on the membership's index.
    mappings = ThemeMapping.objects.filter(membership__in=[m.pk for m in shown]).only(
        "membership_id", "pillar_id", "theme"
    )
    return _page(
        request,
        "integration_strategy.html",
        access,
        strategy=_strategy(request, access),
        pillars=pillars,
        mentees=mentees,
        matrix=alignment_matrix(shown, pillars, mappings.order_by()),
        integration_address=id_prefix("playbooks:member_integration", slug),
        sign_off_address=id_prefix("playbooks:sign_off", slug),
        csrf_field=csrf_field(request),
        pillar_form=PillarForm(),
        sign_off_form=SignOffForm(),
    )


@require_http_methods(["GET", "POST"])
def strategy_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = StrategyForm(request.POST or None, instance=_strategy(request, access))
    if request.method == "POST" and form.is_valid():
        services.save_strategy(programme=access.programme, by=request.user, **form.cleaned_data)
        messages.success(request, "The business strategy is saved.")
        return redirect("playbooks:strategy", slug=slug)
    return _page(request, "integration_strategy_form.html", access, form=form)


@require_POST
def pillar_create(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = PillarForm(request.POST)
    if form.is_valid():
        pillar = services.add_pillar(
            programme=access.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"Added the pillar “{pillar.name}”.")
        return redirect("playbooks:strategy", slug=slug)
    return _page(request, "integration_pillar_form.html", access, form=form)


@require_http_methods(["GET", "POST"])
def pillar_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    pillar = get_object_or_404(_pillars(request, access), pk=pk)
    access.require_lead()
    form = PillarForm(
        request.POST or None, initial={"name": pillar.name, "description": pillar.description}
    )
    if request.method == "POST" and form.is_valid():
        services.update_pillar(pillar=pillar, by=request.user, **form.cleaned_data)
        messages.success(request, f"Saved “{pillar.name}”.")
        return redirect("playbooks:strategy", slug=slug)
    return _page(request, "integration_pillar_form.html", access, form=form, pillar=pillar)


@require_POST
def pillar_remove(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    pillar = get_object_or_404(_pillars(request, access), pk=pk)
    services.remove_pillar(pillar=pillar, by=request.user)
    messages.success(request, f"Removed “{pillar.name}”. Themes placed on it wait for a new place.")
    return redirect("playbooks:strategy", slug=slug)


@require_POST
def pillar_move(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    pillar = get_object_or_404(_pillars(request, access), pk=pk)
    with reported(request):
        services.move_pillar(pillar=pillar, by=request.user, up=request.POST.get("to") == "up")
    return redirect("playbooks:strategy", slug=slug)


@require_POST
def sign_off(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    mentee = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user", "current_phase"),
        pk=member,
        programme=access.programme,
        role=Role.MENTEE,
    )
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the note under 500 characters; nobody was signed off.")
        return redirect("playbooks:strategy", slug=slug)
    with reported(request, success=f"Signed off {mentee.user.display_name}."):
        services.sign_off(membership=mentee, by=request.user, note=form.cleaned_data["note"])
    return redirect("playbooks:strategy", slug=slug)


def _integration(request, access, mentee: Membership, **context) -> HttpResponse:
    mappings = ThemeMapping.objects.visible_to(request.user).filter(membership=mentee)
    return _page(
        request,
        "integration_detail.html",
        access,
        tab="integration" if context.get("own") else "strategy" if access.is_lead else "overview",
        mentee=mentee,
        mappings=mappings,
        strategy=_strategy(request, access),
        pillars=_pillars(request, access),
        **context,
    )


@require_GET
def integration(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    mentee = access.membership(Role.MENTEE)
    if mentee is None:
        access.require_lead()
        return redirect("playbooks:strategy", slug=slug)
    form = ThemeMappingForm(programme=access.programme)
    return _integration(request, access, mentee, form=form, own=True)


@require_GET
def member_integration(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    """A mentee's mapping as their mentor and leads read it."""
    access = programme_access(request, slug)
    mentee = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user"),
        pk=member,
        programme=access.programme,
        role=Role.MENTEE,
    )
    if mentee.user_id == request.user.pk:
        return redirect("playbooks:integration", slug=slug)
    return _integration(request, access, mentee, own=False)


@require_POST
def map_theme(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    mentee = access.membership(Role.MENTEE)
    if mentee is None:
        raise PermissionDenied(f"Only each {access.programme.mentee_label} maps their own themes.")
    form = ThemeMappingForm(request.POST, programme=access.programme)
    if form.is_valid():
        services.map_theme(membership=mentee, by=request.user, **form.cleaned_data)
        messages.success(request, f"Placed “{form.cleaned_data['theme']}”.")
        return redirect("playbooks:integration", slug=slug)
    return _integration(request, access, mentee, form=form, own=True)


@require_POST
def unmap_theme(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    mapping = get_object_or_404(
        ThemeMapping.objects.visible_to(request.user).select_related("membership"),
        pk=pk,
        membership__programme=access.programme,
    )
    services.unmap_theme(mapping=mapping, by=request.user)
    messages.success(request, f"Removed “{mapping.theme}”.")
    return redirect("playbooks:integration", slug=slug)
