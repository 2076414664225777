"""Workshops: leads schedule them, everyone in the programme sees them, mentees book places
and download them to their calendar, leads record attendance, which moves mentees on."""

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.models import Programme, Role, Workshop, WorkshopSeat
from programmes.services.progress import advance_phase
from programmes.services.workshop import (
    WorkshopError,
    book_place,
    cancel_place,
    record_attendance,
    schedule_workshop,
)
from tests.calendars import Instant, instants
from tests.factories import make_mentee
from tests.test_site_pages import assert_nothing_inline

EVERYONE = ["lead", "mentor", "mentee", "other_mentee", "other_mentor", "other_lead"]


def make_workshop(programme, lead, *, starts_in=timedelta(days=7), hours=2, **fields):
    starts_at = timezone.now().replace(microsecond=0) + starts_in
    defaults = {"title": "LinkedIn for beginners", "location": "Room 4", "time_zone": "UTC"}
    return schedule_workshop(
        programme=programme,
        by=lead,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        **(defaults | fields),
    )


def url(name, workshop=None, slug=None):
    if workshop is None:
        return reverse(f"programmes:{name}", kwargs={"slug": slug})
    return reverse(
        f"programmes:{name}", kwargs={"slug": workshop.programme.slug, "pk": workshop.pk}
    )


def form_data(**overrides):
    return {
        "title": "Video on a phone",
        "topic": "Video",
        "description": "Bring a phone.",
        "starts_at": "2031-03-10T10:00",
        "ends_at": "2031-03-10T12:00",
        "time_zone": "Asia/Tokyo",
        "location": "",
        "video_url": "https://meet.example.org/video",
        "capacity": "12",
    } | overrides


def as_person(client, cast, name):
    if name != "anonymous":
        client.force_login(cast.people()[name])


def mentee_in_workshops_phase(cast):
    """The cast's mentee, moved on from Research into the Workshops phase (attend 2)."""
    membership = advance_phase(membership=cast.mentee_membership, by=cast.lead, note="Baseline")
    assert membership.current_phase.name == "Workshops"
    assert membership.current_phase.exit_count == 2
    return membership


# --- Who may reach what -------------------------------------------------------------------

READ = dict.fromkeys(EVERYONE, 200) | {"other_lead": 404}
LEAD_ONLY = dict.fromkeys(EVERYONE, 403) | {"lead": 200, "other_lead": 404}
# Who booked and who came is other people's: for anyone but a lead, no such page.
LEADS_SEE = dict.fromkeys(EVERYONE, 404) | {"lead": 200}
MENTEE_ONLY = dict.fromkeys(EVERYONE, 403) | {"mentee": 302, "other_mentee": 302, "other_lead": 404}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("workshop_detail", READ),
        ("workshop_ics", READ),
        ("workshop_edit", LEAD_ONLY),
        ("workshop_delete", LEAD_ONLY),
        ("workshop_attendance", LEADS_SEE),
    ],
)
@pytest.mark.parametrize("person", EVERYONE)
def test_each_workshop_page_opens_for_its_programmes_members_as_their_role_allows(
    client, cast, name, expected, person
):
    workshop = make_workshop(cast.programme, cast.lead)
    as_person(client, cast, person)
    assert client.get(url(name, workshop)).status_code == expected[person]


@pytest.mark.parametrize(
    ("name", "expected"), [("workshops", READ), ("workshop_create", LEAD_ONLY)]
)
@pytest.mark.parametrize("person", EVERYONE)
def test_the_list_and_scheduling_pages_open_as_the_role_allows(
    client, cast, name, expected, person
):
    as_person(client, cast, person)
    assert client.get(url(name, slug=cast.programme.slug)).status_code == expected[person]


@pytest.mark.parametrize(
    "name",
    [
        "workshops",
        "workshop_create",
        "workshop_detail",
        "workshop_edit",
        "workshop_delete",
        "workshop_attendance",
        "workshop_ics",
        "workshop_book",
        "workshop_unbook",
    ],
)
def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_workshop_page(client, cast, name):
    workshop = make_workshop(cast.programme, cast.lead)
    target = (
        url(name, slug=cast.programme.slug)
        if name in {"workshops", "workshop_create"}
        else url(name, workshop)
    )
    response = client.post(target) if "book" in name else client.get(target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("person", EVERYONE)
def test_only_mentees_of_the_programme_may_book_a_place(client, cast, person):
    workshop = make_workshop(cast.programme, cast.lead)
    as_person(client, cast, person)
    assert client.post(url("workshop_book", workshop)).status_code == MENTEE_ONLY[person]
    booked = WorkshopSeat.objects.filter(workshop=workshop).values_list(
        "membership__user", flat=True
    )
    assert list(booked) == ([cast.people()[person].pk] if "mentee" in person else [])


@pytest.mark.parametrize("person", EVERYONE)
def test_only_a_lead_may_change_cancel_or_record_attendance_by_posting(client, cast, person):
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(hours=3))
    as_person(client, cast, person)
    attendance = client.post(
        url("workshop_attendance", workshop), {f"attended-{cast.mentee_membership.pk}": "yes"}
    ).status_code
    assert attendance == (302 if person == "lead" else 404)
    statuses = {
        client.post(url("workshop_edit", workshop), form_data()).status_code,
        client.post(url("workshop_delete", workshop)).status_code,
        client.post(url("workshop_create", slug=cast.programme.slug), form_data()).status_code,
    }
    if person == "lead":
        assert statuses == {302}
        return
    assert statuses == {404 if person == "other_lead" else 403}
    assert Workshop.objects.get(pk=workshop.pk).title == "LinkedIn for beginners"
    assert not WorkshopSeat.objects.exists()
    assert Workshop.objects.count() == 1


def test_a_workshop_is_not_found_under_another_programmes_address(client, cast):
    theirs = make_workshop(cast.other_programme, cast.other_lead)
    client.force_login(cast.lead)
    wrong = reverse(
        "programmes:workshop_detail", kwargs={"slug": cast.programme.slug, "pk": theirs.pk}
    )
    assert client.get(wrong).status_code == 404


def test_workshops_are_visible_to_their_programmes_members_only(cast):
    workshop = make_workshop(cast.programme, cast.lead)
    for name, person in cast.people().items():
        sees = Workshop.objects.visible_to(person).filter(pk=workshop.pk).exists()
        assert sees is (name != "other_lead"), name
    assert not Workshop.objects.visible_to(AnonymousUser()).exists()


def test_booking_and_cancelling_only_work_with_the_post_method(client, cast):
    workshop = make_workshop(cast.programme, cast.lead)
    client.force_login(cast.mentee)
    assert client.get(url("workshop_book", workshop)).status_code == 405
    assert client.get(url("workshop_unbook", workshop)).status_code == 405
    assert not WorkshopSeat.objects.exists()


# --- Scheduling --------------------------------------------------------------------------


def test_a_lead_schedules_a_workshop_in_its_own_time_zone(client, cast):
    client.force_login(cast.lead)
    response = client.post(url("workshop_create", slug=cast.programme.slug), form_data())
    workshop = Workshop.objects.get()
    assert response.url == url("workshop_detail", workshop)
    # 10:00 in Tokyo (UTC+9, no summer time) is 01:00 UTC.
    assert workshop.starts_at == datetime(2031, 3, 10, 1, 0, tzinfo=UTC)
    assert workshop.ends_at == datetime(2031, 3, 10, 3, 0, tzinfo=UTC)
    assert workshop.time_zone == "Asia/Tokyo"
    assert (workshop.topic, workshop.capacity, workshop.created_by) == ("Video", 12, cast.lead)


def test_the_scheduling_form_starts_in_the_leads_own_time_zone(client, cast):
    cast.lead.time_zone = "America/New_York"
    cast.lead.save()
    client.force_login(cast.lead)
    response = client.get(url("workshop_create", slug=cast.programme.slug))
    assert response.context["form"]["time_zone"].value() == "America/New_York"
    assert_nothing_inline(response.content.decode())


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": "2031-03-10T09:00"}, "ends_at", "The workshop must end after it starts."),
        ({"ends_at": "2031-03-10T10:00"}, "ends_at", "The workshop must end after it starts."),
        ({"video_url": "", "location": "  "}, "__all__", "Give a place, a video link, or both."),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"starts_at": "tomorrow"}, "starts_at", "Enter a valid date/time."),
        ({"title": ""}, "title", "This field is required."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
        ({"video_url": "not a link"}, "video_url", "Enter a valid URL."),
        ({"ends_at": "2031-06-10T12:00"}, "ends_at", "A workshop lasts 12 hours at most"),
        (
            # The clocks go from 01:00 to 02:00 in London that night.
            {"time_zone": "Europe/London", "starts_at": "2031-03-30T01:30"},
            "starts_at",
            "The clocks skip this time in Europe/London",
        ),
    ],
)
def test_scheduling_refuses_a_workshop_that_does_not_add_up(
    client, cast, overrides, field, message
):
    client.force_login(cast.lead)
    response = client.post(url("workshop_create", slug=cast.programme.slug), form_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message.split("{")[0][:20] in response.content.decode().replace("&#x27;", "'")
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        ("2020-03-10T10:00", "The programme starts on 1 March 2031: choose a date from then."),
        ("2031-07-10T10:00", "The programme ends on 30 June 2031: choose a date until then."),
    ],
)
def test_a_workshop_outside_the_programmes_dates_is_refused_and_so_is_its_change(
    client, cast, starts_at, message
):
    Programme.objects.filter(pk=cast.programme.pk).update(
        starts_on=date(2031, 3, 1), ends_on=date(2031, 6, 30)
    )
    client.force_login(cast.lead)
    ends_at = starts_at.replace("T10:00", "T12:00")
    create = url("workshop_create", slug=cast.programme.slug)
    response = client.post(create, form_data(starts_at=starts_at, ends_at=ends_at))
    assert message in response.context["form"].errors["starts_at"]
    assert not Workshop.objects.exists()
    client.post(create, form_data())
    workshop = Workshop.objects.get()
    response = client.post(
        url("workshop_edit", workshop), form_data(starts_at=starts_at, ends_at=ends_at)
    )
    assert message in response.context["form"].errors["starts_at"]
    workshop.refresh_from_db()
    assert workshop.starts_at.year == 2031


def test_the_programmes_first_day_is_the_workshops_own_first_day_wherever_it_is(client, cast):
    Programme.objects.filter(pk=cast.programme.pk).update(starts_on=date(2031, 3, 10))
    client.force_login(cast.lead)
    # 09:00 on 10 March in Auckland is still 9 March in London and in UTC.
    data = form_data(
        starts_at="2031-03-10T09:00", ends_at="2031-03-10T11:00", time_zone="Pacific/Auckland"
    )
    response = client.post(url("workshop_create", slug=cast.programme.slug), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Workshop.objects.get().starts_at.astimezone(UTC).day == 9


def test_scheduling_lists_every_problem_at_once(client, cast):
    client.force_login(cast.lead)
    data = form_data(ends_at="2031-03-10T09:00", video_url="")
    form = client.post(url("workshop_create", slug=cast.programme.slug), data).context["form"]
    assert form.errors == {
        "__all__": ["Give a place, a video link, or both."],
        "ends_at": ["The workshop must end after it starts."],
    }


def test_a_place_without_a_video_link_is_enough(client, cast):
    client.force_login(cast.lead)
    data = form_data(video_url="", location="Boardroom, 3rd floor", capacity="")
    client.post(url("workshop_create", slug=cast.programme.slug), data)
    workshop = Workshop.objects.get()
    assert (workshop.location, workshop.video_url, workshop.capacity) == (
        "Boardroom, 3rd floor",
        "",
        None,
    )


def test_the_edit_form_shows_the_times_on_the_workshops_own_clock_and_saves_changes(client, cast):
    client.force_login(cast.lead)
    client.post(url("workshop_create", slug=cast.programme.slug), form_data())
    workshop = Workshop.objects.get()
    page = client.get(url("workshop_edit", workshop)).content.decode()
    assert 'value="2031-03-10T10:00"' in page
    response = client.post(
        url("workshop_edit", workshop),
        form_data(title="Video, part two", time_zone="Europe/Berlin", starts_at="2031-03-10T11:00"),
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Video, part two"
    assert workshop.starts_at == datetime(2031, 3, 10, 10, 0, tzinfo=UTC)  # Berlin is UTC+1


def test_a_lead_cannot_shrink_a_workshop_below_the_places_booked(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=5)
    book_place(workshop=workshop, by=cast.mentee)
    book_place(workshop=workshop, by=cast.other_mentee)
    client.force_login(cast.lead)
    response = client.post(url("workshop_edit", workshop), form_data(capacity="1"))
    assert "2 places are booked already" in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.capacity == 5


def test_a_lead_cancels_a_workshop_and_its_bookings_go_with_it(client, cast):
    workshop = make_workshop(cast.programme, cast.lead)
    book_place(workshop=workshop, by=cast.mentee)
    client.force_login(cast.lead)
    confirm = client.get(url("workshop_delete", workshop)).content.decode()
    assert "1 partner booked a place" in confirm
    response = client.post(url("workshop_delete", workshop))
    assert response.url == url("workshops", slug=cast.programme.slug)
    assert not Workshop.objects.exists()
    assert not WorkshopSeat.objects.exists()


def test_a_workshop_with_recorded_attendance_cannot_be_cancelled(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(days=1))
    record_attendance(workshop=workshop, by=cast.lead, attendance={cast.mentee_membership: True})
    client.force_login(cast.lead)
    response = client.post(url("workshop_delete", workshop), follow=True)
    assert "cannot be cancelled" in response.content.decode()
    assert Workshop.objects.filter(pk=workshop.pk).exists()


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_upcoming_workshops_soonest_first_then_past_ones_latest_first(client, cast):
    later = make_workshop(cast.programme, cast.lead, title="Later", starts_in=timedelta(days=9))
    sooner = make_workshop(cast.programme, cast.lead, title="Sooner", starts_in=timedelta(days=2))
    long_ago = make_workshop(cast.programme, cast.lead, title="Long ago", starts_in=-timedelta(30))
    lately = make_workshop(cast.programme, cast.lead, title="Lately", starts_in=-timedelta(days=3))
    client.force_login(cast.mentee)
    response = client.get(url("workshops", slug=cast.programme.slug))
    assert list(response.context["upcoming"]) == [sooner, later]
    assert list(response.context["past"]) == [lately, long_ago]
    page = response.content.decode()
    positions = [page.index(w.title) for w in (sooner, later, lately, long_ago)]
    assert positions == sorted(positions)
    assert_nothing_inline(page)


def test_each_person_sees_the_time_in_their_own_zone_and_the_workshops(client, cast):
    cast.mentee.time_zone = "America/New_York"
    cast.mentee.save()
    starts_at = datetime(2031, 6, 2, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    schedule_workshop(
        programme=cast.programme,
        by=cast.lead,
        title="Planning content",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1, minutes=30),
        time_zone="Europe/Berlin",
        location="Berlin office",
    )
    client.force_login(cast.mentee)
    page = client.get(url("workshops", slug=cast.programme.slug)).content.decode()
    assert "Mon 2 Jun 2031, 03:00</time>\N{EN DASH}04:30" in page  # New York, summer time
    assert "your time (America/New_York)" in page
    assert "Mon 2 Jun, 09:00\N{EN DASH}10:30 where it happens (Europe/Berlin)" in page


def test_the_list_shows_places_left_and_when_a_workshop_is_full(client, cast):
    roomy = make_workshop(cast.programme, cast.lead, title="Roomy", capacity=3)
    full = make_workshop(cast.programme, cast.lead, title="Tiny", capacity=1)
    make_workshop(cast.programme, cast.lead, title="Open to all")
    book_place(workshop=roomy, by=cast.other_mentee)
    book_place(workshop=full, by=cast.other_mentee)
    client.force_login(cast.mentee)
    page = client.get(url("workshops", slug=cast.programme.slug)).content.decode()
    assert "2 of 3 places left" in page
    assert "Full</span> 1 place" in page
    assert "No places left" in page
    assert "No limit · 0 booked" in page


def test_an_empty_list_invites_the_lead_to_schedule_the_first_workshop(client, cast):
    client.force_login(cast.lead)
    page = client.get(url("workshops", slug=cast.programme.slug)).content.decode()
    assert "Schedule the first workshop" in page
    assert url("workshop_create", slug=cast.programme.slug) in page


def test_an_empty_list_tells_a_mentee_what_happens_next(client, cast):
    client.force_login(cast.mentee)
    page = client.get(url("workshops", slug=cast.programme.slug)).content.decode()
    assert "When your programme lead schedules a workshop it appears here" in page
    assert "Schedule the first workshop" not in page


def test_the_programme_shows_a_workshops_tab(client, cast):
    client.force_login(cast.mentor)
    page = client.get(url("workshops", slug=cast.programme.slug)).content.decode()
    assert 'aria-current="page">Workshops</a>' in page


def _list_queries(client, cast, person, workshops: int) -> int:
    Workshop.objects.all().delete()
    for n in range(workshops):
        starts_in = timedelta(days=n - workshops // 2, hours=1)
        workshop = make_workshop(cast.programme, cast.lead, starts_in=starts_in, capacity=40)
        for mentee in (cast.mentee_membership, *_other_mentees(cast))[: n % 3]:
            WorkshopSeat.objects.create(
                workshop=workshop, membership=mentee, booked_at=timezone.now(), attended=n % 2 == 0
            )
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("workshops", slug=cast.programme.slug))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == workshops + 2  # and the header rows
    return len(queries)


@pytest.mark.parametrize("person", ["lead", "mentee"])
def test_the_workshop_list_runs_the_same_number_of_queries_for_3_and_30_workshops(
    client, cast, person
):
    viewer = cast.people()[person]
    assert _list_queries(client, cast, viewer, 3) == _list_queries(client, cast, viewer, 30)


# --- Booking -------------------------------------------------------------------------------


def test_a_mentee_books_a_place_and_sees_it_booked(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=10)
    client.force_login(cast.mentee)
    response = client.post(url("workshop_book", workshop), follow=True)
    seat = WorkshopSeat.objects.get()
    assert seat.membership == cast.mentee_membership
    assert seat.booked_at is not None
    page = response.content.decode()
    assert "Your place is booked" in page
    assert "Cancel my booking" in page
    assert "9 of 10 places left" in page


def test_booking_twice_keeps_one_place_and_says_so(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=10)
    client.force_login(cast.mentee)
    client.post(url("workshop_book", workshop))
    response = client.post(url("workshop_book", workshop), follow=True)
    assert "You have a place at this workshop already." in response.content.decode()
    assert WorkshopSeat.objects.count() == 1


def test_a_full_workshop_takes_no_more_bookings(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=1)
    book_place(workshop=workshop, by=cast.other_mentee)
    client.force_login(cast.mentee)
    page = client.get(url("workshop_detail", workshop)).content.decode()
    assert "Every place is taken" in page
    assert url("workshop_book", workshop) not in page
    response = client.post(url("workshop_book", workshop), follow=True)
    assert "This workshop is full." in response.content.decode()
    assert WorkshopSeat.objects.filter(membership=cast.mentee_membership).count() == 0


def test_cancelling_a_booking_frees_the_place_for_someone_else(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=1)
    book_place(workshop=workshop, by=cast.mentee)
    client.force_login(cast.mentee)
    client.post(url("workshop_unbook", workshop))
    assert not WorkshopSeat.objects.exists()
    book_place(workshop=workshop, by=cast.other_mentee)
    assert WorkshopSeat.objects.get().membership.user == cast.other_mentee


def test_a_finished_workshop_can_be_neither_booked_nor_unbooked(cast):
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(days=2))
    with pytest.raises(WorkshopError, match="finished"):
        book_place(workshop=workshop, by=cast.mentee)
    later = timezone.now() + timedelta(days=30)
    upcoming = make_workshop(cast.programme, cast.lead)
    book_place(workshop=upcoming, by=cast.mentee)
    with pytest.raises(WorkshopError, match="finished"):
        cancel_place(workshop=upcoming, by=cast.mentee, at=later)


@pytest.mark.parametrize("person", ["lead", "mentor", "other_lead"])
def test_nobody_but_a_mentee_of_the_programme_books_through_the_service(cast, person):
    workshop = make_workshop(cast.programme, cast.lead)
    with pytest.raises(WorkshopError, match="Only mentees"):
        book_place(workshop=workshop, by=cast.people()[person])
    assert not WorkshopSeat.objects.exists()


def test_a_mentee_who_left_the_programme_cannot_book(cast):
    workshop = make_workshop(cast.programme, cast.lead)
    cast.mentee_membership.is_active = False
    cast.mentee_membership.save()
    with pytest.raises(WorkshopError):
        book_place(workshop=workshop, by=cast.mentee)


# --- Calendar file ------------------------------------------------------------------------


def test_the_calendar_file_carries_the_workshop_at_its_instant_in_utc(client, cast):
    starts_at = datetime(2031, 10, 1, 14, 0, tzinfo=ZoneInfo("America/Chicago"))
    workshop = schedule_workshop(
        programme=cast.programme,
        by=cast.lead,
        title="Measuring impact",
        description="Bring last month's numbers.",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        time_zone="America/Chicago",
        location="Chicago office, room 2",
        video_url="https://meet.example.org/impact",
    )
    client.force_login(cast.mentee)
    response = client.get(url("workshop_ics", workshop))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="measuring-impact.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.events
    assert event.start == starts_at
    assert event.end == starts_at + timedelta(hours=2)
    assert b"DTSTART:20311001T190000Z" in response.content  # 14:00 CDT
    assert calendar.timezones == []  # nothing for a calendar app to read differently
    assert str(event["SUMMARY"]) == "Measuring impact"
    assert str(event["LOCATION"]) == "Chicago office, room 2"
    assert str(event["URL"]) == "https://meet.example.org/impact"
    assert "Bring last month's numbers." in str(event["DESCRIPTION"])
    assert url("workshop_detail", workshop) in str(event["DESCRIPTION"])


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_every_calendar_app_reads_a_winter_and_a_summer_workshop_at_the_same_instant(
    client, cast, zone
):
    tz, year = ZoneInfo(zone), timezone.localdate().year
    client.force_login(cast.mentee)
    for starts_at in (datetime(year + 1, 12, 10, 9, 0, tzinfo=tz),
                      datetime(year + 2, 7, 10, 9, 0, tzinfo=tz)):  # fmt: skip
        workshop = schedule_workshop(
            programme=cast.programme, by=cast.lead, title="Impact", location="Room 4",
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), time_zone=zone,
        )  # fmt: skip
        uid = f"workshop-{workshop.pk}@testserver"
        assert instants(client.get(url("workshop_ics", workshop)).content) == {
            uid: Instant(uid, starts_at, starts_at + timedelta(hours=2))
        }


def test_the_calendar_event_keeps_its_uid_so_a_second_download_updates_it(client, cast):
    workshop = make_workshop(cast.programme, cast.lead)
    other = make_workshop(cast.programme, cast.lead)
    client.force_login(cast.mentee)

    def uid(w):
        body = client.get(url("workshop_ics", w)).content
        return str(icalendar.Calendar.from_ical(body).events[0]["UID"])

    assert uid(workshop) == uid(workshop)
    assert uid(workshop) != uid(other)


def test_an_online_only_workshop_gives_its_link_as_the_location(client, cast):
    workshop = make_workshop(
        cast.programme, cast.lead, location="", video_url="https://meet.example.org/x"
    )
    client.force_login(cast.lead)
    event = icalendar.Calendar.from_ical(client.get(url("workshop_ics", workshop)).content)
    assert str(event.events[0]["LOCATION"]) == "https://meet.example.org/x"


# --- Attendance -----------------------------------------------------------------------------


def test_the_attendance_page_lists_the_programmes_mentees_booked_ones_first(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(hours=3))
    with_booking = make_mentee(cast.programme)
    WorkshopSeat.objects.create(
        workshop=workshop, membership=with_booking, booked_at=timezone.now()
    )
    client.force_login(cast.lead)
    response = client.get(url("workshop_attendance", workshop))
    listed = [mentee for mentee, _seat, _field in response.context["form"].rows]
    assert listed[0] == with_booking
    assert set(listed) == {with_booking, cast.mentee_membership, *_other_mentees(cast)}
    assert_nothing_inline(response.content.decode())


def _other_mentees(cast):
    return list(cast.programme.memberships.filter(role=Role.MENTEE, user=cast.other_mentee))


def test_a_lead_records_attendance_for_everyone_in_one_post(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(hours=3))
    book_place(workshop=workshop, by=cast.other_mentee, at=workshop.starts_at - timedelta(days=1))
    [other] = _other_mentees(cast)
    client.force_login(cast.lead)
    response = client.post(
        url("workshop_attendance", workshop),
        {f"attended-{cast.mentee_membership.pk}": "yes", f"attended-{other.pk}": "no"},
    )
    assert response.url == url("workshop_detail", workshop)
    walk_in = WorkshopSeat.objects.get(membership=cast.mentee_membership)
    no_show = WorkshopSeat.objects.get(membership=other)
    assert (walk_in.attended, walk_in.booked_at, walk_in.recorded_by) == (True, None, cast.lead)
    assert (no_show.attended, no_show.recorded_by) == (False, cast.lead)
    assert no_show.booked_at is not None
    assert walk_in.recorded_at is not None


def test_attendance_cannot_be_recorded_before_the_workshop_starts(client, cast):
    workshop = make_workshop(cast.programme, cast.lead)
    client.force_login(cast.lead)
    response = client.post(
        url("workshop_attendance", workshop), {f"attended-{cast.mentee_membership.pk}": "yes"}
    )
    assert "once the workshop has started" in response.content.decode()
    assert not WorkshopSeat.objects.exists()


def test_attending_the_second_workshop_moves_a_mentee_out_of_the_workshops_phase(client, cast):
    membership = mentee_in_workshops_phase(cast)
    first, second = (
        make_workshop(cast.programme, cast.lead, starts_in=-timedelta(days=d)) for d in (9, 2)
    )
    client.force_login(cast.lead)
    attended = {f"attended-{membership.pk}": "yes"}
    client.post(url("workshop_attendance", first), attended)
    membership.refresh_from_db()
    assert membership.current_phase.name == "Workshops"
    client.post(url("workshop_attendance", second), attended)
    membership.refresh_from_db()
    assert membership.current_phase.name == "Playbook"
    move = membership.transitions.latest("at")
    assert (move.from_name, move.to_name, move.by) == ("Workshops", "Playbook", None)


def test_a_mentee_marked_absent_does_not_move_on(cast):
    membership = mentee_in_workshops_phase(cast)
    for days in (9, 2):
        workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(days=days))
        record_attendance(workshop=workshop, by=cast.lead, attendance={membership: False})
    membership.refresh_from_db()
    assert membership.current_phase.name == "Workshops"


def test_recording_the_same_attendance_again_changes_nothing(cast):
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(days=1))
    record_attendance(workshop=workshop, by=cast.lead, attendance={cast.mentee_membership: True})
    first = WorkshopSeat.objects.get()
    later = timezone.now() + timedelta(hours=1)
    changed = record_attendance(
        workshop=workshop, by=cast.lead, attendance={cast.mentee_membership: True}, at=later
    )
    assert changed == []
    assert WorkshopSeat.objects.get().recorded_at == first.recorded_at


def test_attendance_ignores_people_who_are_not_mentees_of_the_programme(cast):
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(days=1))
    outsider = make_mentee(cast.other_programme)
    changed = record_attendance(
        workshop=workshop,
        by=cast.lead,
        attendance={outsider: True, cast.mentor_membership: True, cast.mentee_membership: True},
    )
    assert changed == [cast.mentee_membership]
    assert WorkshopSeat.objects.count() == 1


def test_a_mentee_sees_which_workshops_they_attended(client, cast):
    membership = mentee_in_workshops_phase(cast)
    went = make_workshop(cast.programme, cast.lead, title="Went", starts_in=-timedelta(days=5))
    missed = make_workshop(cast.programme, cast.lead, title="Missed", starts_in=-timedelta(3))
    record_attendance(workshop=went, by=cast.lead, attendance={membership: True})
    record_attendance(workshop=missed, by=cast.lead, attendance={membership: False})
    client.force_login(cast.mentee)
    response = client.get(url("workshops", slug=cast.programme.slug))
    page = response.content.decode()
    assert "You have attended <strong>1</strong> workshop." in page
    assert "To complete your Workshops phase: Attend 2 workshops." in page
    rows = {w.title: w.my_seats[0].attended for w in response.context["past"]}
    assert rows == {"Went": True, "Missed": False}
    # Latest first: each row carries its own status.
    order = [page.index(text) for text in (">Missed<", "Did not attend", ">Went<", "Attended</")]
    assert order == sorted(order)
    detail = client.get(url("workshop_detail", went)).content.decode()
    assert "Your attendance is recorded" in detail


def _attendance_queries(client, cast, mentees: int) -> int:
    workshop = make_workshop(cast.programme, cast.lead, starts_in=-timedelta(hours=1))
    existing = cast.programme.memberships.filter(role=Role.MENTEE).count()
    for n in range(mentees - existing):
        mentee = make_mentee(cast.programme)
        if n % 2:
            WorkshopSeat.objects.create(
                workshop=workshop, membership=mentee, booked_at=timezone.now()
            )
    client.force_login(cast.lead)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("workshop_attendance", workshop))
    assert len(response.context["form"].rows) == mentees
    return len(queries)


def test_the_attendance_page_runs_the_same_number_of_queries_for_5_and_50_mentees(client, cast):
    assert _attendance_queries(client, cast, 5) == _attendance_queries(client, cast, 50)


@pytest.mark.django_db(transaction=True)
def test_people_booking_the_last_place_at_the_same_moment_get_one_place_between_them(cast):
    # SQLite serialises writers anyway; on PostgreSQL (CI) this fails without the row lock.
    workshop = make_workshop(cast.programme, cast.lead, capacity=1)
    people = [make_mentee(cast.programme).user for _ in range(6)]
    start = threading.Barrier(len(people))
    outcomes = []

    def book(person):
        try:
            start.wait(timeout=10)
            book_place(workshop=workshop, by=person)
            outcomes.append("booked")
        except WorkshopError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["This workshop is full."] * 5 + ["booked"]
    assert WorkshopSeat.objects.filter(workshop=workshop).count() == 1


# --- Booking in place (htmx) ----------------------------------------------------------------

HTMX = {"HX-Request": "true"}


def test_booking_by_htmx_answers_with_the_place_and_the_places_left(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=10)
    client.force_login(cast.mentee)
    response = client.post(url("workshop_book", workshop), headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert 'id="my-place"' in fragment and "Cancel my booking" in fragment
    assert "Your place is booked. Add it to your calendar below." in fragment
    places = fragment.split('<div id="workshop-places" hx-swap-oob="innerHTML">')[1]
    assert places.split("</div>")[0].strip() == "9 of 10 places left"
    assert_nothing_inline(fragment)
    assert WorkshopSeat.objects.get().membership == cast.mentee_membership

    fragment = client.post(url("workshop_unbook", workshop), headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert "Book a place" in fragment and "Your booking is cancelled" in fragment
    assert "10 of 10 places left" in fragment
    assert not WorkshopSeat.objects.exists()
    page = client.get(url("workshop_detail", workshop)).content.decode()
    assert "Your booking is cancelled" not in page  # said beside the button already
    assert f'hx-post="{url("workshop_book", workshop)}"' in page


def test_booking_without_htmx_still_goes_back_to_the_workshop(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=10)
    client.force_login(cast.mentee)
    for name in ("workshop_book", "workshop_unbook"):
        response = client.post(url(name, workshop))
        assert response.status_code == 302
        assert response.url == url("workshop_detail", workshop)


def test_a_full_workshop_refuses_a_booking_by_htmx_beside_the_button(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=1)
    book_place(workshop=workshop, by=cast.other_mentee)
    client.force_login(cast.mentee)
    fragment = client.post(url("workshop_book", workshop), headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert "This workshop is full." in fragment and "Every place is taken" in fragment
    assert not WorkshopSeat.objects.filter(membership=cast.mentee_membership).exists()


def test_only_a_mentee_books_by_htmx_too(client, cast):
    workshop = make_workshop(cast.programme, cast.lead, capacity=10)
    client.force_login(cast.mentor)
    assert client.post(url("workshop_book", workshop), headers=HTMX).status_code == 403
    assert not WorkshopSeat.objects.exists()
