"""Calendars: the pair download a session as .ics; each person subscribes to a private feed
of their coming sessions and workshops, which says nothing of what was discussed, and
which stops working the moment its address is revoked."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import CalendarFeed, MentoringSession
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.calendar import issue_feed, revoke_feed
from mentoring.services.engagement import save_preferences
from mentoring.services.pairing import end_pairing
from mentoring.services.session import save_session, start_session
from programmes.models import Pairing
from programmes.services.workshop import schedule_workshop
from tests.calendars import Instant, instants
from tests.factories import make_mentee, make_mentor, make_programme, make_user
from tests.test_site_pages import assert_nothing_inline

SECRET = "my-secret-about-the-board"
BERLIN = ZoneInfo("Europe/Berlin")


def log_for(pairing: Pairing, *, next_in_days: int | None = 10, **fields) -> MentoringSession:
    """A logged session two days ago at 17:30 Berlin time, with notes that must never leave
    the app, and the next session agreed `next_in_days` from today."""
    today = timezone.localdate()
    mentor = pairing.mentor.user
    session = start_session(pairing=pairing, by=mentor)
    fields = {
        "held_at": datetime.combine(today - timedelta(days=2), time(17, 30), BERLIN),
        "minutes": 50,
        "channel": "video",
        "topics": SECRET,
        "resonated": f"resonated {SECRET}",
        "next_session_on": today + timedelta(days=next_in_days) if next_in_days else None,
    } | fields
    return save_session(
        session=session, by=mentor, version=session.version, fields=fields, log=True
    )


def _pairing(membership) -> Pairing:
    return Pairing.objects.active().select_related("mentor__user").get(mentee=membership)


def make_workshop(programme, lead, *, title="LinkedIn for beginners", starts_in=7):
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=starts_in)
    return schedule_workshop(
        programme=programme,
        by=lead,
        title=title,
        description=f"Bring your laptop. {SECRET}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        time_zone="UTC",
        location="Room 4",
        video_url="https://meet.example.org/linkedin",
    )


def parse(response) -> icalendar.Calendar:
    """The calendar, once two calendar parsers have agreed on every event's instant."""
    assert response["Content-Type"].startswith("text/calendar")
    instants(response.content)
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar: icalendar.Calendar) -> list[str]:
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def feed_url(user) -> str:
    return issue_feed(by=user).get_absolute_url()


# --- A session's .ics file ------------------------------------------------------------------


def test_only_the_pair_download_a_session_as_ics(client, cast):
    session = log_for(_pairing(cast.mentee_membership))
    url = reverse("mentoring:session_ics", args=[cast.programme.slug, session.pk])
    expected = {"lead": 404, "mentor": 200, "mentee": 200, "other_mentee": 404,
                "other_mentor": 404, "other_lead": 404}  # fmt: skip
    for who, person in cast.people().items():
        client.force_login(person)
        assert client.get(url).status_code == expected[who], who
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_the_session_file_names_the_partner_and_carries_no_notes(client, cast):
    session = log_for(_pairing(cast.mentee_membership))
    url = reverse("mentoring:session_ics", args=[cast.programme.slug, session.pk])
    for person, partner in ((cast.mentor, "Mia Mentee"), (cast.mentee, "Mo Mentor")):
        client.force_login(person)
        response = client.get(url)
        assert "attachment" in response["Content-Disposition"]
        assert SECRET not in response.content.decode()
        held, planned = parse(response).walk("VEVENT")
        assert str(held["SUMMARY"]) == f"Mentoring session with {partner}"
        assert held.start == session.held_at
        assert held.end - held.start == timedelta(minutes=50)
        assert str(held["LOCATION"]) == "Video call"
        assert str(planned["SUMMARY"]) == f"Mentoring session with {partner}"


def test_the_agreed_next_session_takes_the_last_sessions_time_in_the_mentees_time_zone(
    client, cast
):
    save_preferences(membership=cast.mentee_membership, by=cast.mentee, time_zone="Europe/Berlin")
    pairing = _pairing(cast.mentee_membership)
    agreement = propose_cadence(pairing=pairing, by=cast.mentee, cadence="weekly", channel="phone")
    answer_cadence(agreement=agreement, by=cast.mentor, accept=True)
    session = log_for(pairing)
    client.force_login(cast.mentor)
    response = client.get(reverse("mentoring:session_ics", args=[cast.programme.slug, session.pk]))
    planned = parse(response).walk("VEVENT")[1]
    assert planned.start == datetime.combine(session.next_session_on, time(17, 30), BERLIN)
    assert str(planned["STATUS"]) == "TENTATIVE"  # nobody agreed the hour
    assert str(planned["LOCATION"]) == "Phone"  # the agreed channel, not last time's


def test_a_session_without_a_next_date_downloads_on_its_own(client, cast):
    session = log_for(_pairing(cast.mentee_membership), next_in_days=None)
    client.force_login(cast.mentee)
    response = client.get(reverse("mentoring:session_ics", args=[cast.programme.slug, session.pk]))
    assert len(parse(response).walk("VEVENT")) == 1


def test_the_session_page_links_to_its_ics_file(client, cast):
    session = log_for(_pairing(cast.mentee_membership))
    client.force_login(cast.mentee)
    page = client.get(session.get_absolute_url()).content.decode()
    assert reverse("mentoring:session_ics", args=[cast.programme.slug, session.pk]) in page
    assert "Add to calendar (.ics)" in page


# --- The private feed -----------------------------------------------------------------------


def test_the_feed_parses_without_signing_in_and_holds_the_mentors_coming_sessions_and_workshops(
    client, cast
):
    log_for(_pairing(cast.mentee_membership))
    log_for(_pairing(Pairing.objects.get(mentee__user=cast.other_mentee).mentee))
    make_workshop(cast.programme, cast.lead)
    make_workshop(cast.programme, cast.lead, title="Last month's workshop", starts_in=-30)
    make_workshop(cast.other_programme, cast.other_lead, title="Another programme's")
    response = client.get(feed_url(cast.mentor))  # no one signed in: a calendar app
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET not in body and "Bring your laptop" not in body
    assert "Otto" not in body  # another pair's session, though it is in their own feeds:
    assert "Mentoring session with Otto Othermentee" in summaries(
        parse(client.get(feed_url(cast.other_mentor)))
    )
    calendar = parse(response)
    assert summaries(calendar) == ["LinkedIn for beginners", "Mentoring session with Mia Mentee"]
    workshop = next(e for e in calendar.walk("VEVENT") if e["SUMMARY"] == "LinkedIn for beginners")
    assert str(workshop["LOCATION"]) == "Room 4"
    assert "https://meet.example.org/linkedin" in str(workshop["DESCRIPTION"])


def test_the_mentees_feed_holds_their_session_with_their_mentor(client, cast):
    log_for(_pairing(cast.mentee_membership))
    calendar = parse(client.get(feed_url(cast.mentee)))
    assert summaries(calendar) == ["Mentoring session with Mo Mentor"]


def test_a_lead_and_another_programmes_people_get_no_ones_sessions(client, cast):
    log_for(_pairing(cast.mentee_membership))
    make_workshop(cast.programme, cast.lead)
    assert summaries(parse(client.get(feed_url(cast.lead)))) == ["LinkedIn for beginners"]
    assert summaries(parse(client.get(feed_url(cast.other_lead)))) == []
    assert summaries(parse(client.get(feed_url(cast.other_mentor)))) == ["LinkedIn for beginners"]


def test_past_dates_and_ended_pairings_leave_the_feed(client, cast):
    pairing = _pairing(cast.mentee_membership)
    log_for(pairing, next_in_days=-1)
    url = feed_url(cast.mentor)
    assert summaries(parse(client.get(url))) == []
    log_for(pairing)
    assert summaries(parse(client.get(url))) == ["Mentoring session with Mia Mentee"]
    end_pairing(pairing=pairing, by=cast.lead, reason="Moved away")
    assert summaries(parse(client.get(url))) == []


def test_only_the_latest_sessions_next_date_is_in_the_feed(client, cast):
    pairing = _pairing(cast.mentee_membership)
    log_for(pairing, next_in_days=20, held_at=timezone.now() - timedelta(days=9))
    latest = log_for(pairing, next_in_days=5)
    calendar = parse(client.get(feed_url(cast.mentee)))
    (event,) = calendar.walk("VEVENT")
    assert event.start.date() == latest.next_session_on


def test_a_revoked_address_gets_nothing(client, cast):
    log_for(_pairing(cast.mentee_membership))
    old = feed_url(cast.mentor)
    new = feed_url(cast.mentor)  # issuing again revokes the old one
    response = client.get(old)
    assert response.status_code == 404
    assert b"Mia" not in response.content and b"VCALENDAR" not in response.content
    assert client.get(new).status_code == 200
    revoke_feed(by=cast.mentor)
    assert client.get(new).status_code == 404


def test_an_unknown_or_tampered_address_gets_404(client, cast):
    feed = issue_feed(by=cast.mentee)
    assert (
        client.get(reverse("mentoring:calendar_feed", args=["nothing-like-a-token"])).status_code
        == 404
    )
    tampered = feed.key + feed.secret[:-1] + ("A" if feed.secret[-1] != "A" else "B")
    assert client.get(reverse("mentoring:calendar_feed", args=[tampered])).status_code == 404
    assert client.get(reverse("mentoring:calendar_feed", args=[feed.key])).status_code == 404


def test_a_deactivated_persons_address_gets_404(client, cast):
    url = feed_url(cast.mentee)
    cast.mentee.is_active = False
    cast.mentee.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_each_person_gets_their_own_long_random_address(cast):
    tokens = {issue_feed(by=person).token for person in cast.people().values()}
    assert len(tokens) == len(cast.people())
    assert all(len(token) >= 50 for token in tokens)


@pytest.mark.django_db
def test_the_feed_runs_the_same_queries_with_3_and_30_partners_and_workshops(client):
    counts = []
    for size in (3, 30):
        lead = make_user()
        programme = make_programme(lead, name=f"P{size}")
        mentor = make_mentor(programme)
        for _ in range(size):
            log_for(_pairing(make_mentee(programme, mentor=mentor)))
            make_workshop(programme, lead)
        url = feed_url(mentor.user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert len(parse(response).walk("VEVENT")) == 2 * size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- Every calendar app reads the same times -----------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_every_calendar_app_reads_the_same_instant_in_winter_and_in_summer(client, cast, zone):
    """The pair met at 09:00 on a summer day in the mentee's zone and agreed to meet again
    on a winter day; workshops fall in winter and in summer. Two parsers read each event of
    the session file and of the feed at the instant the app holds, whatever the season."""
    tz, year = ZoneInfo(zone), timezone.localdate().year
    save_preferences(membership=cast.mentee_membership, by=cast.mentee, time_zone=zone)
    summer = datetime(year - 1, 7, 10, 9, 0, tzinfo=tz)
    winter_day = date(year + 1, 12, 10)
    session = log_for(_pairing(cast.mentee_membership), held_at=summer, next_session_on=winter_day)
    workshops = {
        starts_at: schedule_workshop(
            programme=cast.programme, by=cast.lead, title=f"Workshop {starts_at:%B}",
            description="", starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
            time_zone=zone, location="Room 4", video_url="",
        )
        for starts_at in (datetime(year + 1, 12, 3, 14, 0, tzinfo=tz),
                          datetime(year + 2, 7, 3, 14, 0, tzinfo=tz))
    }  # fmt: skip
    next_start = datetime.combine(winter_day, time(9, 0), tz)  # the summer session's hour
    expected_next = Instant(
        f"mentoring-next-{session.pk}@testserver", next_start, next_start + timedelta(minutes=50)
    )
    client.force_login(cast.mentee)
    url = reverse("mentoring:session_ics", args=[cast.programme.slug, session.pk])
    assert instants(client.get(url).content) == {
        f"mentoring-session-{session.pk}@testserver": Instant(
            f"mentoring-session-{session.pk}@testserver", summer, summer + timedelta(minutes=50)
        ),
        expected_next.uid: expected_next,
    }
    assert instants(client.get(feed_url(cast.mentee)).content) == {
        expected_next.uid: expected_next,
        **{
            f"workshop-{w.pk}@testserver": Instant(
                f"workshop-{w.pk}@testserver", starts_at, starts_at + timedelta(hours=2)
            )
            for starts_at, w in workshops.items()
        },
    }


# --- The calendar page ----------------------------------------------------------------------


def test_the_calendar_page_is_for_signed_in_people_and_shows_only_their_own_address(client, cast):
    assert client.get(reverse("mentoring:calendar")).status_code == 302  # to sign in
    mine, theirs = issue_feed(by=cast.mentee), issue_feed(by=cast.mentor)
    client.force_login(cast.mentee)
    page = client.get(reverse("mentoring:calendar")).content.decode()
    assert mine.get_absolute_url() in page
    assert theirs.token not in page


def test_a_person_creates_replaces_and_turns_off_their_address(client, cast):
    client.force_login(cast.mentee)
    page = client.get(reverse("mentoring:calendar")).content.decode()
    assert "Create my calendar address" in page
    assert (
        client.get(reverse("mentoring:calendar_issue")).status_code == 405
    )  # changes only by POST
    client.post(reverse("mentoring:calendar_issue"))
    first = CalendarFeed.objects.live().get(user=cast.mentee)
    assert first.get_absolute_url() in client.get(reverse("mentoring:calendar")).content.decode()
    client.post(reverse("mentoring:calendar_issue"))
    second = CalendarFeed.objects.live().get(user=cast.mentee)
    assert second.token != first.token
    assert client.get(first.get_absolute_url()).status_code == 404
    client.post(reverse("mentoring:calendar_revoke"))
    assert not CalendarFeed.objects.live().filter(user=cast.mentee).exists()
    assert client.get(second.get_absolute_url()).status_code == 404
    assert (
        "Create my calendar address" in client.get(reverse("mentoring:calendar")).content.decode()
    )


def test_the_account_menus_link_to_the_calendar_page_which_has_nothing_inline(client, cast):
    client.force_login(cast.mentee)
    issue_feed(by=cast.mentee)
    page = client.get(reverse("mentoring:calendar")).content.decode()
    assert page.count(f'href="{reverse("mentoring:calendar")}"') == 2  # side nav and account menu
    assert_nothing_inline(page)
