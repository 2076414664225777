"""Buttons that answer in place with htmx, in a real browser: the page neither reloads nor
loses its place, the message is read out beside the button, and focus stays sensible. (The
checklist's tick has its own test, in test_checklist.py.)"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.services.cadence import propose_cadence
from mentoring.services.session import save_session, start_session
from programmes.models import Pairing
from programmes.services.workshop import schedule_workshop
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()


def _mark_the_page(page):
    """A whole-page load would forget this; a fragment swapped in keeps it."""
    page.evaluate("window.stillTheSamePage = true")


def _same_page(page) -> bool:
    return page.evaluate("window.stillTheSamePage === true")


def _settled(page):
    """htmx wires up what it swapped in once it settles (20 ms on); a press before that is
    the plain form's, a whole page, as it should be without htmx."""
    # A locator, not wait_for_function: that polls by evaluating a string in the page, which
    # the site's Content Security Policy (no 'unsafe-eval') refuses whenever it has to poll.
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)


def test_a_mentee_ticks_an_action_books_a_place_and_answers_a_proposal_in_place(page, live_server):
    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentor = make_mentor(programme, user=make_user("Mo Mentor", "mo@example.org"))
    mentee = make_mentee(programme, mentor=mentor, user=make_user("Mia Mentee", "mia@example.org"))
    pairing = Pairing.objects.active().get(mentee=mentee)
    session = start_session(pairing=pairing, by=mentor.user)
    session = save_session(
        session=session,
        by=mentor.user,
        version=session.version,
        fields={"topics": "Her headline"},
        actions=[
            {"text": "Rewrite the headline", "due_on": timezone.localdate(), "owner": "mentee"}
        ],
        done_action_ids=[],
        log=True,
    )
    starts = timezone.now() + timedelta(days=7)
    workshop = schedule_workshop(
        programme=programme, by=lead, title="Video on a phone", starts_at=starts,
        ends_at=starts + timedelta(hours=2), time_zone="UTC", location="Room 4", capacity=10,
    )  # fmt: skip
    propose_cadence(pairing=pairing, by=mentor.user, cadence="weekly")
    _sign_in(page, live_server, "mia@example.org")

    # An agreed action, ticked on the session's record.
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    _mark_the_page(page)
    button = page.get_by_role("button", name=re.compile("Mark done"))
    button.focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("status").filter(has_text="“Rewrite the headline”: done.")
    ).to_be_visible()
    toggle = page.get_by_role("button", name=re.compile("Not done after all"))
    expect(toggle).to_be_focused()
    assert _same_page(page)

    # A place at a workshop, booked and given back.
    page.goto(f"{live_server.url}/programmes/{programme.slug}/workshops/{workshop.pk}/")
    _mark_the_page(page)
    expect(page.get_by_text("10 of 10 places left")).to_be_visible()
    page.get_by_role("button", name="Book a place").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Your place is booked.")).to_be_visible()
    expect(page.get_by_text("9 of 10 places left")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel my booking")).to_be_focused()
    _settled(page)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your booking is cancelled")).to_be_visible()
    expect(page.get_by_role("button", name="Book a place")).to_be_focused()
    assert _same_page(page)

    # A proposed cadence, accepted: the buttons go, focus moves to what was agreed.
    page.goto(f"{live_server.url}/programmes/{programme.slug}/mentoring/")
    _mark_the_page(page)
    page.get_by_role("button", name="Accept").focus()
    page.keyboard.press("Enter")
    accepted = "Accepted: you meet weekly from now on."
    expect(page.get_by_role("status").filter(has_text=accepted)).to_be_visible()
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    expect(page.locator("#cadence [data-htmx-focus]")).to_be_focused()
    assert _same_page(page)
    assert page.console_errors == []
