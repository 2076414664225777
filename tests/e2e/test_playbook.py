"""A mentee writes a playbook section in a real browser and watches it autosave."""

import re

import pytest
from playwright.sync_api import expect

from playbooks.models import Section
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_mentee_writes_a_section_and_sees_it_autosave(page, live_server):
    programme = make_programme(make_user("Lena Lead", "lead@example.org"))
    mentor = make_mentor(programme)
    mentee = make_mentee(programme, mentor=mentor, user=make_user("Mia Mentee", "mia@example.org"))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mia@example.org")
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()

    page.goto(f"{live_server.url}/programmes/{programme.slug}/")
    page.get_by_role("link", name="Playbook", exact=True).click()
    expect(page.get_by_role("heading", name="Your playbook")).to_be_visible()
    page.get_by_role("link", name="Purpose and vision").click()
    page.wait_for_load_state()

    editor = page.get_by_label("Your text")
    editor.fill("I want to be known for **practical** sustainability.")
    expect(
        page.get_by_role("status").filter(has_text=re.compile(r"Saved \d\d:\d\d"))
    ).to_be_visible(timeout=10_000)
    section = Section.objects.get(playbook__membership=mentee, template_section__position=1)
    assert section.body == "I want to be known for **practical** sustainability."
    assert section.status == "drafting"

    page.reload()
    expect(page.get_by_label("Your text")).to_have_value(section.body)
    assert page.console_errors == []
