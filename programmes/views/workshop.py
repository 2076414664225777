"""Workshop pages: the programme's list, one workshop, scheduling, booking, attendance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes.access import AuthedRequest, ProgrammeAccess, programme_access
from programmes.errors import reported
from programmes.forms.workshop import AttendanceForm, WorkshopForm
from programmes.models import (
    AssessmentQuestion,
    ExitCriterion,
    Membership,
    Role,
    Workshop,
    WorkshopSeat,
)
from programmes.models.workshop import WorkshopQuerySet
from programmes.services import workshop as services
from programmes.services.progress import workshops_attended


def _listed(request: AuthedRequest, access: ProgrammeAccess) -> WorkshopQuerySet:
    """This programme's workshops with their places booked and, for a mentee, their seat."""
    booked = Count("seats", filter=Q(seats__booked_at__isnull=False))
    listed = (
        Workshop.objects.visible_to(request.user)
        .filter(programme=access.programme)
        .annotate(booked=booked)
        .annotate(
            places_left=ExpressionWrapper(F("capacity") - F("booked"), output_field=IntegerField())
        )
    )
    mentee = access.membership(Role.MENTEE)
    if mentee is not None:
        mine = WorkshopSeat.objects.filter(membership=mentee)
        listed = listed.prefetch_related(Prefetch("seats", queryset=mine, to_attr="my_seats"))
    return listed


def _workshop(request: AuthedRequest, access: ProgrammeAccess, pk: int) -> Workshop:
    return get_object_or_404(_listed(request, access), pk=pk)


def _page(
    request: AuthedRequest, template: str, access: ProgrammeAccess, **context
) -> HttpResponse:
    context |= {"access": access, "tab": "workshops", "viewer_tz": request.user.time_zone}
    return render(request, f"programmes/{template}", context)


def _topics(access: ProgrammeAccess) -> list[str]:
    """Skills and platforms the programme's self-assessment asks about, as suggestions."""
    questions = AssessmentQuestion.objects.filter(programme=access.programme).exclude(topic="")
    return list(questions.order_by("topic").values_list("topic", flat=True).distinct())


@require_GET
def workshops(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    listed = _listed(request, access)
    mentee = access.membership(Role.MENTEE)
    phase = mentee.current_phase if mentee else None
    return _page(
        request,
        "workshop_list.html",
        access,
        upcoming=listed.upcoming().order_by("starts_at"),
        past=listed.filter(ends_at__lt=timezone.now()).order_by("-starts_at"),
        mentee=mentee,
        attended=workshops_attended(mentee) if mentee else 0,
        phase_counts_workshops=phase and phase.exit_criterion == ExitCriterion.WORKSHOPS_ATTENDED,
    )


@require_http_methods(["GET", "POST"])
def workshop_create(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    form = WorkshopForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.schedule_workshop(
                programme=access.programme, by=request.user, **form.cleaned_data
            )
        except services.WorkshopError as error:
            form.add_error(error.field, str(error))
        else:
            mentees = f"{access.programme.mentee_label}s".capitalize()
            messages.success(
                request, f"“{workshop.title}” is scheduled. {mentees} can book it now."
            )
            return redirect("programmes:workshop_detail", slug=slug, pk=workshop.pk)
    return _page(request, "workshop_form.html", access, form=form, topics=_topics(access))


@require_GET
def workshop_detail(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    workshop = _workshop(request, access, pk)
    booked = workshop.seats.none()
    if access.is_lead:
        booked = workshop.seats.filter(booked_at__isnull=False).select_related("membership__user")
    now = timezone.now()
    return _page(
        request,
        "workshop_detail.html",
        access,
        workshop=workshop,
        my_seat=next(iter(getattr(workshop, "my_seats", [])), None),
        booked_seats=booked,
        started=workshop.starts_at <= now,
        finished=workshop.ends_at < now,
    )


@require_http_methods(["GET", "POST"])
def workshop_edit(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    workshop = _workshop(request, access, pk)
    access.require_lead()
    form = WorkshopForm.for_workshop(workshop, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workshop(workshop=workshop, by=request.user, **form.cleaned_data)
        except services.WorkshopError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, "The workshop is saved.")
            return redirect("programmes:workshop_detail", slug=slug, pk=workshop.pk)
    return _page(
        request, "workshop_form.html", access, form=form, workshop=workshop, topics=_topics(access)
    )


@require_http_methods(["GET", "POST"])
def workshop_delete(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    workshop = _workshop(request, access, pk)
    access.require_lead()
    if request.method == "POST":
        with reported(request, success=f"“{workshop.title}” is cancelled.") as outcome:
            services.cancel_workshop(workshop=workshop, by=request.user)
        if not outcome.ok:
            return redirect("programmes:workshop_detail", slug=slug, pk=workshop.pk)
        return redirect("programmes:workshops", slug=slug)
    return _page(request, "workshop_confirm_delete.html", access, workshop=workshop)


def _mentee_only(access: ProgrammeAccess) -> None:
    if not access.is_mentee:
        raise PermissionDenied(
            f"Only {access.programme.mentee_label}s book places at workshops, each for themselves."
        )


@require_POST
def workshop_book(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    workshop = _workshop(request, access, pk)
    _mentee_only(access)
    with reported(request, success="Your place is booked. Add it to your calendar below."):
        services.book_place(workshop=workshop, by=request.user)
    return _place_changed(request, access, workshop)


@require_POST
def workshop_unbook(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    workshop = _workshop(request, access, pk)
    _mentee_only(access)
    cancelled = "Your booking is cancelled; the place is free for someone else."
    with reported(request, success=cancelled):
        services.cancel_place(workshop=workshop, by=request.user)
    return _place_changed(request, access, workshop)


def _place_changed(
    request: AuthedRequest, access: ProgrammeAccess, workshop: Workshop
) -> HttpResponse:
    """Back to the workshop; for htmx, only the mentee's place and the places left."""
    if not request.htmx:
        return redirect("programmes:workshop_detail", slug=access.programme.slug, pk=workshop.pk)
    fresh = _workshop(request, access, workshop.pk)  # with the places left and the seat now
    context = {"access": access, "workshop": fresh, "finished": fresh.ends_at < timezone.now()}
    context["my_seat"] = next(iter(getattr(fresh, "my_seats", [])), None)
    return render(request, "programmes/workshop_detail.html#place_changed", context)


def _attendance_form(
    request: AuthedRequest, access: ProgrammeAccess, workshop: Workshop
) -> AttendanceForm:
    """Every active mentee of the programme, those who booked first, then by name."""
    everyone = Membership.objects.active().filter(programme=access.programme, role=Role.MENTEE)
    seats = {seat.membership_id: seat for seat in workshop.seats.all()}
    mentees = sorted(
        everyone.select_related("user"),
        key=lambda m: (
            not (m.pk in seats and seats[m.pk].booked_at),
            m.user.display_name.casefold(),
        ),
    )
    data = request.POST if request.method == "POST" else None
    return AttendanceForm(data, mentees=mentees, seats=seats)


@require_http_methods(["GET", "POST"])
def workshop_attendance(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    workshop = _workshop(request, access, pk)
    access.require_lead_to_see()  # who booked and who came: other people's
    form = _attendance_form(request, access, workshop)
    if request.method == "POST" and form.is_valid():
        with reported(request) as outcome:
            changed = services.record_attendance(
                workshop=workshop, by=request.user, attendance=form.attendance()
            )
            messages.success(request, f"Attendance is saved ({len(changed)} changed).")
        if outcome.ok:
            return redirect("programmes:workshop_detail", slug=slug, pk=workshop.pk)
    started = workshop.starts_at <= timezone.now()
    return _page(
        request, "workshop_attendance.html", access, workshop=workshop, form=form, started=started
    )


@require_GET
def workshop_ics(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    access = programme_access(request, slug)
    workshop = _workshop(request, access, pk)
    page_url = request.build_absolute_uri(
        reverse("programmes:workshop_detail", kwargs={"slug": slug, "pk": workshop.pk})
    )
    body = services.calendar_file(
        workshop, page_url=page_url, host=request.get_host().split(":")[0]
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{slugify(workshop.title) or 'workshop'}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
