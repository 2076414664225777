"""A lead invites a person in a real browser; the person accepts and lands on their journey."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_lead_invites_a_person_who_signs_up_accepts_and_sees_their_journey(
    page, browser, live_server
):
    call_command("seed_demo", quiet=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("lead@example.com")
    page.get_by_label("Password").fill("mentoring-demo")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/programmes/social-adoption-programme/people/")
    invite = page.locator("#invite")
    invite.get_by_label("Name").fill("Nia Newcomer")
    invite.get_by_label("Email", exact=True).fill("nia@example.org")
    invite.get_by_label("Role").select_option("mentee")
    invite.get_by_label("Mentor's email (optional)").fill("mentor@example.com")
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to nia@example.org.")).to_be_visible()
    expect(page.get_by_role("table").last).to_contain_text("nia@example.org")

    message = next(m for m in mail.outbox if m.to == ["nia@example.org"])
    link = re.search(r"https?://\S+/programmes/invitations/\S+/", message.body).group(0)

    invitee = browser.new_context(viewport=page.viewport_size).new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Join Social Adoption Programme")).to_be_visible()
    invitee.get_by_role("link", name="Create your account").click()
    expect(invitee.get_by_label("Email")).to_have_value("nia@example.org")
    invitee.get_by_label("Your name").fill("Nia Newcomer")
    invitee.get_by_label("Password", exact=True).fill("a-long-pass-phrase")
    invitee.get_by_label("Password (again)").fill("a-long-pass-phrase")
    invitee.get_by_role("button", name="Sign Up").click()
    invitee.get_by_role("button", name="Accept and join").click()
    expect(invitee.get_by_text("Welcome to Social Adoption Programme.")).to_be_visible()
    expect(invitee.get_by_role("heading", name=re.compile("You are in Research"))).to_be_visible()
    expect(invitee.get_by_text("Submit your baseline self-assessment.")).to_be_visible()
    invitee.screenshot(path="test-artifacts/invitation-accepted.png", full_page=True)
