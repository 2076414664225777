"""A demo person signs in, in a real browser, and lands on their own home page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("mentoring-demo")
    page.get_by_role("button", name="Sign In").click()


def test_a_demo_mentee_signs_in_and_sees_their_journey(page, live_server):
    call_command("seed_demo", quiet=True)
    sign_in(page, live_server, "mentee@example.com")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Hello, Alex")).to_be_visible()
    expect(page.get_by_text("You are in 1:1 Mentoring")).to_be_visible()
    expect(page.locator('[aria-current="step"]')).to_contain_text("You are here")
    # The strict CSP let everything on the page run: no blocked script or style.
    assert page.console_errors == []


def test_a_demo_lead_signs_in_and_sees_the_phase_funnel(page, live_server):
    call_command("seed_demo", quiet=True)
    sign_in(page, live_server, "lead@example.com")
    expect(page.get_by_role("heading", name="Programmes you lead")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Operationalised")
    assert page.console_errors == []


def test_a_wrong_password_is_explained_and_the_email_is_kept(page, live_server):
    call_command("seed_demo", quiet=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mentor@example.com")
    page.get_by_label("Password").fill("not-it")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_contain_text("not correct")
    expect(page.get_by_label("Email")).to_have_value("mentor@example.com")
