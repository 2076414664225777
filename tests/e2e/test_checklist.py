"""A mentee ticks an activity on their checklist in a real browser and sees it counted."""

import re

import pytest
from playwright.sync_api import expect

from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mentee_ticks_an_activity_and_sees_this_weeks_count_rise(page, live_server):
    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentee = make_mentee(programme, user=make_user("Mia Mentee", "mia@example.org"))
    advance_phase(membership=mentee, by=lead)  # into Workshops, where the checklist opens

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mia@example.org")
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/programmes/{programme.slug}/checklist/")

    item = page.locator(".checklist__item").filter(has_text="Publish a post")
    expect(item.get_by_text("0 of 1 this week")).to_be_visible()
    item.get_by_role("button", name=re.compile("Done today")).click()

    expect(page.get_by_text("Logged “Publish a post”. Well done.")).to_be_visible()
    item = page.locator(".checklist__item").filter(has_text="Publish a post")
    expect(item.get_by_text("1 of 1 this week")).to_be_visible()
    expect(page.get_by_text(re.compile(r"1\s+activity this week"))).to_be_visible()
    assert page.console_errors == []
