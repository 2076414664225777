"""The activity checklist: a mentee's own (and their mentor's beside it), a mentor's own with
their partners, a read-only view for mentor and leads, and the lead's activity templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from playbooks.forms.activity import (
    ActivityForm,
    CompletionForm,
    MentorCompletionForm,
    PersonalTargetForm,
)
from playbooks.models import Activity, Completion, PersonalTarget
from playbooks.models.activity import ActivityQuerySet
from playbooks.selectors.activity import (
    PAGE_SIZE,
    checklist_owners,
    owner_row,
)
from playbooks.selectors.checklist import log_address, own_checklist, rows_for
from playbooks.services import activity as services
from programmes.access import AuthedRequest, ProgrammeAccess, programme_access
from programmes.errors import reported
from programmes.models import Membership, Role
from programmes.policy import is_own, require
from programmes.selectors.rows import csrf_field, id_paths, id_prefix


def _activities(request: AuthedRequest, access: ProgrammeAccess) -> ActivityQuerySet:
    return Activity.objects.visible_to(request.user).current().filter(programme=access.programme)


def _completions(request: AuthedRequest, membership: Membership) -> QuerySet[Completion]:
    return Completion.objects.visible_to(request.user).filter(membership=membership)


def _mentors_completions(request: AuthedRequest, mentee: Membership) -> QuerySet[Completion]:
    """What the mentee's current mentor logged, shown beside the mentee's own checklist."""
    return _completions_of_mentors(request).filter(
        membership__programme=mentee.programme_id,
        membership__mentor_pairings__mentee=mentee,
        membership__mentor_pairings__ended_at__isnull=True,
    )


def _completions_of_mentors(request: AuthedRequest) -> QuerySet[Completion]:
    visible = Completion.objects.visible_to(request.user)
    return visible.filter(membership__role=Role.MENTOR).select_related("membership__user")


def _page(
    request: AuthedRequest, template: str, access: ProgrammeAccess, **context
) -> HttpResponse:
    context |= {"access": access, "tab": context.pop("tab", "checklist")}
    return render(request, f"playbooks/{template}", context)


def _mentee_context(request: AuthedRequest, access: ProgrammeAccess, mentee: Membership) -> dict:
    today = services.today_for(mentee.user)
    rows, this_week = rows_for(
        _activities(request, access).open_to(mentee),
        list(_completions(request, mentee)),
        today,
        list(_mentors_completions(request, mentee)),
    )
    target = PersonalTarget.objects.visible_to(request.user).filter(membership=mentee).first()
    return {"owner": mentee, "rows": rows, "this_week": this_week, "target": target}


@require_GET
def checklist(request: AuthedRequest, slug: str) -> HttpResponse:
    """The signed-in person's own checklist: a mentee's, or a mentor's with their partners.
    The owner is their own membership, so its rows come from `own_checklist` (see there)."""
    access = programme_access(request, slug)
    mentee, mentor = access.membership(Role.MENTEE), access.membership(Role.MENTOR)
    owner = mentee or mentor
    if owner is None:
        access.require_lead()
        return redirect("playbooks:activities", slug=slug)
    owner.user = request.user
    # The programme's current activities: access.programme is one the person may see
    # (programme_access found it through Programme.visible_to), which is all
    # Activity.visible_to asks.
    activities = Activity.objects.filter(programme=access.programme).current()
    activities = activities.order_by("position", "pk")
    if mentee is not None:
        activities = activities.open_to(mentee)
    found = own_checklist(activities, owner, services.today_for(request.user), slug)
    context = {"owner": owner, "rows": found.rows, "this_week": found.this_week, "own": True}
    if mentee is not None:
        per_week = found.target.per_week if found.target else None
        return _page(
            request,
            "activity_checklist.html",
            access,
            target=found.target,
            target_per_week="" if per_week is None else per_week,
            **context,
        )
    partners = (
        Membership.objects.visible_to(request.user)
        .filter(programme=access.programme, role=Role.MENTEE, is_active=True)
        .filter(mentee_pairings__mentor=mentor, mentee_pairings__ended_at__isnull=True)
        .select_related("user", "current_phase")
        .annotate(last_done=Max("activity_completions__done_on"))
    )
    return _page(request, "activity_checklist_mentor.html", access, partners=partners, **context)


def _mentee(request: AuthedRequest, access: ProgrammeAccess, member: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user", "current_phase"),
        pk=member,
        programme=access.programme,
        role=Role.MENTEE,
    )


@require_GET
def member_checklist(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    """A mentee's checklist as their mentor and leads read it: nothing to tick."""
    access = programme_access(request, slug)
    mentee = _mentee(request, access, member)
    if mentee.user_id == request.user.pk:
        return redirect("playbooks:checklist", slug=slug)
    mentee.programme = access.programme
    context = _mentee_context(request, access, mentee)
    return _page(request, "activity_checklist.html", access, own=False, **context)


def _own_membership(request: AuthedRequest, access: ProgrammeAccess, member: int) -> Membership:
    """A checklist's owner, for a change: 404 for those who may not see it at all. The
    service refuses anyone but the owner (403), whatever the page offered them."""
    return get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user", "current_phase"),
        pk=member,
        programme=access.programme,
    )


@require_http_methods(["GET", "POST"])
def log_completion(request: AuthedRequest, slug: str, member: int, activity: int) -> HttpResponse:
    access = programme_access(request, slug)
    owner = _own_membership(request, access, member)
    found = get_object_or_404(_activities(request, access), pk=activity)
    # Refused before the form is shown, as the service would refuse it once sent: a mentor
    # or lead who opens a mentee's tick form by its address never sees a form they can't use.
    require(is_own(request.user, owner), "Only the person who did an activity can log it.")
    form_class = MentorCompletionForm if owner.role == Role.MENTOR else CompletionForm
    form = form_class(request.POST or None, today=services.today_for(request.user))
    quick = "quick" in request.POST  # the one-click tick: done today, nothing more to say
    if request.method == "POST" and (quick or form.is_valid()):
        data = {} if quick else form.cleaned_data
        with reported(request, success=f"Logged “{found.title}”. Well done."):
            services.log_completion(membership=owner, activity=found, by=request.user, **data)
        if request.htmx:
            return _ticked(request, access, owner, found)
        return redirect("playbooks:checklist", slug=slug)
    return _page(request, "activity_log.html", access, form=form, owner=owner, activity=found)


def _ticked(
    request: AuthedRequest, access: ProgrammeAccess, owner: Membership, activity: Activity
) -> HttpResponse:
    """The ticked activity's row and the week's count, for htmx: the rest of a long checklist
    stays where it was on the page."""
    mentee = owner.role == Role.MENTEE
    rows, this_week = rows_for(
        [activity],
        list(_completions(request, owner)),
        services.today_for(owner.user),
        list(_mentors_completions(request, owner)) if mentee else [],
        log_url=log_address(access.programme.slug, owner),
    )
    targets = PersonalTarget.objects.visible_to(request.user).filter(membership=owner)
    context = {"access": access, "owner": owner, "own": True, "row": rows[0]}
    context |= {"this_week": this_week, "target": targets.first() if mentee else None}
    return render(request, "playbooks/activity_checklist_rows.html#ticked", context)


@require_POST
def undo_completion(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    completion = get_object_or_404(
        Completion.objects.visible_to(request.user).select_related("membership", "activity"),
        pk=pk,
        membership__programme=access.programme,
    )
    took_back = f"Took back “{completion.activity.title}” on {completion.done_on:%-d %b}."
    with reported(request, success=took_back):
        services.undo_completion(completion=completion, by=request.user)
    return redirect("playbooks:checklist", slug=slug)


@require_POST
def personal_target(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    owner = _own_membership(request, access, member)
    form = PersonalTargetForm(request.POST)
    if form.is_valid():
        per_week = form.cleaned_data["per_week"]
        services.set_personal_target(membership=owner, by=request.user, per_week=per_week)
        messages.success(
            request, f"Your target is {per_week} a week." if per_week else "No target."
        )
    else:
        messages.error(request, "A target is a whole number of activities a week, 1 to 50.")
    return redirect("playbooks:checklist", slug=slug)


@require_GET
def activities(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    listed = _activities(request, access).order_by("position", "pk")
    page = Paginator(checklist_owners(access.programme), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    address = id_prefix("playbooks:member_checklist", slug)
    form = ActivityForm(programme=access.programme)
    return _page(
        request,
        "activity_list.html",
        access,
        tab="activities",
        activities=listed,
        mentees=page,
        mentee_rows=[owner_row(mentee, address) for mentee in page],
        # Each activity's row links and posts to three addresses, each with its own form.
        edit_paths=id_paths("playbooks:activity_edit", slug),
        move_paths=id_paths("playbooks:activity_move", slug),
        remove_paths=id_paths("playbooks:activity_remove", slug),
        csrf_field=csrf_field(request),
        form=form,
    )


@require_POST
def activity_create(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = ActivityForm(request.POST, programme=access.programme)
    if form.is_valid():
        activity = services.add_activity(
            programme=access.programme, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"Added “{activity.title}” to the checklist.")
        return redirect("playbooks:activities", slug=slug)
    return _page(request, "activity_form.html", access, tab="activities", form=form)


@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    activity = get_object_or_404(_activities(request, access), pk=pk)
    access.require_lead()
    form = ActivityForm(request.POST or None, instance=activity, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        activity.refresh_from_db()
        services.update_activity(activity=activity, by=request.user, **data)
        messages.success(request, f"Saved “{activity.title}”.")
        return redirect("playbooks:activities", slug=slug)
    return _page(
        request, "activity_form.html", access, tab="activities", form=form, activity=activity
    )


@require_POST
def activity_remove(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    activity = get_object_or_404(_activities(request, access), pk=pk)
    services.remove_activity(activity=activity, by=request.user)
    messages.success(request, f"Took “{activity.title}” off the checklist.")
    return redirect("playbooks:activities", slug=slug)


@require_POST
def activity_move(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    activity = get_object_or_404(_activities(request, access), pk=pk)
    with reported(request):
        services.move_activity(
            activity=activity, by=request.user, up=request.POST.get("to") == "up"
        )
    return redirect("playbooks:activities", slug=slug)
