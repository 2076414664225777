"""A mentor logs a session in a real browser in under ten form interactions; the mentee
reads it and adds a reflection."""

import re

import pytest
from playwright.sync_api import expect

from mentoring.models import MentoringSession, Reflection
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()


def test_a_mentor_logs_a_session_in_under_ten_interactions_and_the_mentee_reflects(
    page, live_server
):
    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentor = make_mentor(programme, user=make_user("Mo Mentor", "mo@example.org"))
    make_mentee(programme, mentor=mentor, user=make_user("Mia Mentee", "mia@example.org"))
    sessions = f"{live_server.url}/programmes/{programme.slug}/sessions/"

    _sign_in(page, live_server, "mo@example.org")
    page.goto(sessions)
    interactions = 0

    def act(step):
        nonlocal interactions
        interactions += 1
        step()

    act(lambda: page.get_by_role("button", name=re.compile("Log a session")).click())
    expect(page.get_by_role("heading", name="Mentoring guidelines")).to_be_visible()
    act(lambda: page.get_by_label("Topics").fill("Her LinkedIn headline"))
    act(lambda: page.get_by_label("What resonated").fill("Writing for one reader"))
    act(lambda: page.locator("#id_actions-0-text").fill("Rewrite the headline"))
    act(lambda: page.locator("#id_actions-0-due_on").fill("2026-03-09"))
    act(lambda: page.locator("input[name^='check_'][value='yes']").first.check())
    act(lambda: page.get_by_role("button", name="Log session").click())
    expect(page.get_by_text("Logged. Your partner can read it now.")).to_be_visible()
    assert interactions < 10
    session = MentoringSession.objects.get()
    assert session.status == "logged" and session.actions.get().text == "Rewrite the headline"
    assert page.console_errors == []

    page.context.clear_cookies()
    _sign_in(page, live_server, "mia@example.org")
    page.goto(sessions)
    page.locator(".data-table a").first.click()
    expect(page.get_by_text("Her LinkedIn headline")).to_be_visible()
    page.get_by_label("Your reflection").fill("Narrowing to one reader helps")
    page.get_by_label("Share this reflection with my mentor").check()
    page.get_by_label("5", exact=True).check()
    page.get_by_label("About right").check()
    # Leaving before saving asks first (what is saved, the mentor sees, so nothing
    # saves by itself); staying keeps every answer on the page.
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="← Sessions").click()
    expect(page.get_by_label("Your reflection")).to_have_value("Narrowing to one reader helps")
    assert asked == ["beforeunload"]
    page.remove_listener("dialog", stay)
    page.get_by_role("button", name="Save").click()
    # The message says exactly who sees which part of what was saved.
    expect(
        page.get_by_text(re.compile(r"can read your reflection\. \w+ sees your rating and answers"))
    ).to_be_visible()
    assert Reflection.objects.get().shared
    assert page.console_errors == []
