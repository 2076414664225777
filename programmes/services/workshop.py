"""Workshops: leads schedule them, mentees book places, leads record who attended.

Recorded attendance counts towards the "workshops attended" exit criterion, so recording it
checks each changed mentee's progress straight away. Mentees with a place are told when a
lead moves or cancels the workshop.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import icalendar
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from programmes.errors import Invalid
from programmes.models import (
    Membership,
    NotificationKind,
    Programme,
    Role,
    Workshop,
    WorkshopSeat,
)
from programmes.policy import Actor, actor, require_lead, require_person
from programmes.services.notification import notify
from programmes.services.progress import check_progress

BOOKED = Q(booked_at__isnull=False)


class WorkshopError(Invalid):
    """A change to a workshop or a booking that cannot be made; the message says why, and
    `field` which of the form's fields it is about, if one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# A workshop is a sitting: one that runs longer is a mistake in its dates (QA: three months).
LONGEST = timedelta(hours=12)


def _check_times(
    programme: Programme, starts_at: datetime, ends_at: datetime, time_zone: str
) -> None:
    """Within a day's sitting, and within the programme's dates where it has them, as the
    workshop's own calendar shows its day."""
    if ends_at - starts_at > LONGEST:
        raise WorkshopError(
            "A workshop lasts 12 hours at most: check the dates, or schedule each day on its own.",
            "ends_at",
        )
    day = starts_at.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    if programme.starts_on and day < programme.starts_on:
        raise WorkshopError(
            f"The programme starts on {programme.starts_on:%-d %B %Y}: choose a date from then.",
            "starts_at",
        )
    if programme.ends_on and day > programme.ends_on:
        raise WorkshopError(
            f"The programme ends on {programme.ends_on:%-d %B %Y}: choose a date until then.",
            "starts_at",
        )


def places_booked(workshop: Workshop) -> int:
    return workshop.seats.filter(BOOKED).count()


def _mentee_membership(workshop: Workshop, user: Actor) -> Membership:
    require_person(user)
    membership = Membership.objects.filter(
        programme_id=workshop.programme_id, user=user, role=Role.MENTEE, is_active=True
    ).first()
    if membership is None:
        raise WorkshopError("Only mentees of this programme book places at its workshops.")
    return membership


def _when(workshop: Workshop) -> str:
    """The workshop's start, in its own time zone and naming it: "Tue 3 Mar 2026, 18:00
    (Europe/London)"."""
    local = workshop.starts_at.astimezone(zoneinfo.ZoneInfo(workshop.time_zone))
    return f"{local:%a %-d %b %Y, %H:%M} ({workshop.time_zone})"


def _where(workshop: Workshop) -> str:
    return workshop.location or ("online" if workshop.video_url else "")


def _tell(
    recipients: Iterable[int],
    workshop: Workshop,
    *,
    by: Actor,
    key: str,
    title: str,
    link: str | None = None,
    reason: str = "You have a place at this workshop.",
) -> None:
    """Tell mentees about a workshop they have a place at (not `by`, who made the change):
    its title, time and place only."""
    ids = set(recipients) - {getattr(by, "pk", None)}
    if not ids:
        return
    where = _where(workshop)
    notify(
        ids,
        kind=NotificationKind.WORKSHOP_BOOKED,
        key=f"{workshop.pk}:{key}",
        title=title,
        body=f"{_when(workshop)}{f', {where}' if where else ''}.",
        reason=reason,
        link=link
        or reverse(
            "programmes:workshop_detail",
            kwargs={"slug": workshop.programme.slug, "pk": workshop.pk},
        ),
        programme=workshop.programme,
        exclude=by,
    )


def _booked_user_ids(workshop: Workshop) -> list[int]:
    return list(workshop.seats.filter(BOOKED).values_list("membership__user_id", flat=True))


def _locked(workshop: Workshop) -> Workshop:
    # Every booking and capacity change takes this row lock first, so two people cannot
    # both take the last place.
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


@transaction.atomic
def schedule_workshop(
    *,
    programme: Programme,
    by: Actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    topic: str = "",
    description: str = "",
    location: str = "",
    video_url: str = "",
    capacity: int | None = None,
) -> Workshop:
    """Put a workshop on a programme's calendar."""
    require_lead(by, programme, "Only a lead of this programme can schedule workshops.")
    _check_times(programme, starts_at, ends_at, time_zone)
    return Workshop.objects.create(
        programme=programme,
        created_by=actor(by),
        title=title.strip(),
        topic=topic.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        location=location.strip(),
        video_url=video_url,
        capacity=capacity,
    )


@transaction.atomic
def update_workshop(
    *,
    workshop: Workshop,
    by: Actor,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    topic: str = "",
    description: str = "",
    location: str = "",
    video_url: str = "",
    capacity: int | None = None,
) -> Workshop:
    """Change a workshop's details. Its places cannot shrink below those already booked.
    If its time or place changes, the mentees with a place are told."""
    require_lead(by, workshop.programme_id, "Only a lead of this programme can change it.")
    workshop = _locked(workshop)
    _check_times(workshop.programme, starts_at, ends_at, time_zone)
    booked = places_booked(workshop)
    if capacity is not None and capacity < booked:
        raise WorkshopError(
            f"{booked} places are booked already, so there must be at least {booked}.",
            "capacity",
        )
    was = (workshop.starts_at, workshop.ends_at, workshop.location.strip(), workshop.video_url)
    workshop.title = title.strip()
    workshop.topic = topic.strip()
    workshop.description = description.strip()
    workshop.starts_at, workshop.ends_at, workshop.time_zone = starts_at, ends_at, time_zone
    workshop.location, workshop.video_url = location.strip(), video_url
    workshop.capacity = capacity
    workshop.save()
    moved = (workshop.starts_at, workshop.ends_at) != was[:2]
    now = timezone.now()
    if (moved or (workshop.location, workshop.video_url) != was[2:]) and workshop.ends_at > now:
        # Each change is its own event: moving it back and forth tells people each time.
        title = (
            f"{workshop.title} moved to {_when(workshop)}"
            if moved
            else f"{workshop.title} has a new place: {_where(workshop) or 'to be confirmed'}"
        )
        _tell(
            _booked_user_ids(workshop),
            workshop,
            by=by,
            key=f"changed:{now.timestamp():.6f}",
            title=title,
        )
    return workshop


@transaction.atomic
def cancel_workshop(*, workshop: Workshop, by: Actor) -> None:
    """Take a workshop off the calendar, with its bookings. A workshop whose attendance is
    recorded stays: it counts towards people's progress."""
    require_lead(by, workshop.programme_id, "Only a lead of this programme can cancel it.")
    workshop = _locked(workshop)
    if workshop.seats.filter(attended__isnull=False).exists():
        raise WorkshopError(
            "Attendance is recorded for this workshop and counts towards people's progress, "
            "so it cannot be cancelled."
        )
    if workshop.ends_at > timezone.now():
        _tell(
            _booked_user_ids(workshop),
            workshop,
            by=by,
            key="cancelled",
            title=f"{workshop.title} is cancelled",
            # The workshop's own page goes with it; the list shows what is still on.
            link=reverse("programmes:workshops", kwargs={"slug": workshop.programme.slug}),
        )
    workshop.delete()


@transaction.atomic
def book_place(*, workshop: Workshop, by: Actor, at: datetime | None = None) -> WorkshopSeat:
    """Book a place at a workshop for the mentee `by`, if one is left."""
    at = at or timezone.now()
    workshop = _locked(workshop)
    membership = _mentee_membership(workshop, by)
    if workshop.ends_at <= at:
        raise WorkshopError("This workshop has finished.")
    seat = WorkshopSeat.objects.filter(workshop=workshop, membership=membership).first()
    if seat is not None and seat.booked_at is not None:
        raise WorkshopError("You have a place at this workshop already.")
    if workshop.capacity is not None and places_booked(workshop) >= workshop.capacity:
        raise WorkshopError("This workshop is full.")
    if seat is None:
        seat = WorkshopSeat.objects.create(workshop=workshop, membership=membership, booked_at=at)
    else:
        seat.booked_at = at
        seat.save(update_fields=["booked_at"])
    # Only a booking someone else made for the mentee tells them; their own does not.
    _tell(
        [membership.user_id],
        workshop,
        by=by,
        key=f"booked:{seat.pk}:{at.timestamp():.6f}",
        title=f"You have a place at {workshop.title}",
    )
    return seat


@transaction.atomic
def cancel_place(*, workshop: Workshop, by: Actor, at: datetime | None = None) -> None:
    """Give up the mentee `by`'s place at a workshop that has not finished."""
    at = at or timezone.now()
    workshop = _locked(workshop)
    membership = _mentee_membership(workshop, by)
    seat = WorkshopSeat.objects.filter(workshop=workshop, membership=membership).first()
    if seat is None or seat.booked_at is None:
        raise WorkshopError("You have no place at this workshop.")
    if workshop.ends_at <= at:
        raise WorkshopError("This workshop has finished.")
    _tell(
        [membership.user_id],
        workshop,
        by=by,
        key=f"unbooked:{seat.pk}:{at.timestamp():.6f}",
        title=f"Your place at {workshop.title} is cancelled",
        reason="You had a place at this workshop.",
    )
    if seat.attended is None:
        seat.delete()
    else:
        # Attendance already recorded by a lead stays; only the booking goes.
        seat.booked_at = None
        seat.save(update_fields=["booked_at"])


@transaction.atomic
def record_attendance(
    *, workshop: Workshop, by: Actor, attendance: dict[Membership, bool], at: datetime | None = None
) -> list[Membership]:
    """Record who attended a workshop that has started, and move on each mentee whose
    attendance changed and who now meets their phase's exit criterion.

    `attendance` maps the programme's mentees to attended or not; others are ignored.
    Returns the memberships whose attendance changed.
    """
    require_lead(by, workshop.programme_id, "Only a lead of this programme records attendance.")
    at = at or timezone.now()
    workshop = _locked(workshop)
    if workshop.starts_at > at:
        raise WorkshopError("Attendance can be recorded once the workshop has started.")
    mentees = {
        m.pk: m
        for m in attendance
        if m.programme_id == workshop.programme_id and m.role == Role.MENTEE
    }
    seats = {
        seat.membership_id: seat
        for seat in WorkshopSeat.objects.filter(workshop=workshop, membership_id__in=mentees)
    }
    changed, new_seats, updated_seats = [], [], []
    for pk, membership in mentees.items():
        attended = attendance[membership]
        seat = seats.get(pk)
        if seat is None:
            seat = WorkshopSeat(workshop=workshop, membership=membership)
            new_seats.append(seat)
        elif seat.attended is attended:
            continue
        else:
            updated_seats.append(seat)
        seat.attended, seat.recorded_by, seat.recorded_at = attended, actor(by), at
        changed.append(membership)
    WorkshopSeat.objects.bulk_create(new_seats)
    WorkshopSeat.objects.bulk_update(updated_seats, ["attended", "recorded_by", "recorded_at"])
    for membership in changed:
        check_progress(membership=membership, at=at)
    return changed


def calendar_file(workshop: Workshop, *, page_url: str, host: str) -> bytes:
    """The workshop as an iCalendar file. Its times are in UTC, as in every calendar the app
    makes (see `mentoring.selectors.calendar`): each calendar app shows them in its user's
    own time zone, and all of them read the same instant."""
    description = "\n\n".join(filter(None, [workshop.description, f"Details: {page_url}"]))
    if workshop.video_url:
        description = f"Join online: {workshop.video_url}\n\n{description}"
    event = icalendar.Event.new(
        # Stable for the workshop, so a calendar updates the event when the file is
        # downloaded again instead of adding a second one.
        uid=f"workshop-{workshop.pk}@{host}",
        summary=workshop.title,
        description=description,
        start=workshop.starts_at.astimezone(UTC),
        end=workshop.ends_at.astimezone(UTC),
        stamp=datetime.now(UTC),
        location=workshop.location or workshop.video_url or None,
        url=workshop.video_url or page_url,
    )
    return icalendar.Calendar.new(
        prodid="-//Mentoring//Workshops//EN", method="PUBLISH", subcomponents=[event]
    ).to_ical()
