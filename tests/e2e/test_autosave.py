"""The autosave shared by the playbook section, the session log and the self-assessment:
conflicts are settled only on purpose, new action rows are saved once, and the status line
reads well at a phone's width and a desktop's."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mentoring.models import AgreedAction, MentoringSession
from playbooks.models import Section
from playbooks.services.playbook import save_section
from programmes.models import AssessmentKind, AssessmentResponse
from programmes.services.assessment import save_assessment
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Saved \d\d:\d\d")
DRAFT_SAVED = re.compile(r"Draft saved \d\d:\d\d")
CONFLICT = "Not saved: changed somewhere else"


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()


def _pair():
    programme = make_programme(make_user("Lena Lead", "lead@example.org"))
    mentor = make_mentor(programme, user=make_user("Mo Mentor", "mo@example.org"))
    mentee = make_mentee(programme, mentor=mentor, user=make_user("Mia", "mia@example.org"))
    return programme, mentee


def _first_section(mentee):
    return Section.objects.get(playbook__membership=mentee, template_section__position=1)


def _status(page):
    return page.locator("[data-autosave-status]")


def _open_new_session(page, live_server, programme):
    page.goto(f"{live_server.url}/programmes/{programme.slug}/sessions/")
    page.get_by_role("button", name=re.compile("Log a session")).click()
    expect(page.get_by_role("heading", name="Mentoring guidelines")).to_be_visible()


def _save_elsewhere(page, fill):
    """The same page in a second tab, changed and autosaved there."""
    other = page.context.new_page()
    other.goto(page.url)
    fill(other)
    expect(_status(other)).to_have_text(DRAFT_SAVED, timeout=10_000)
    other.close()


def test_a_section_saved_elsewhere_shows_the_saved_text_and_can_take_it(page, live_server):
    _programme, mentee = _pair()
    _sign_in(page, live_server, "mia@example.org")
    section = _first_section(mentee)
    page.goto(live_server.url + section.get_absolute_url())
    save_section(section=section, by=mentee.user, body="Saved elsewhere.", version=0)

    editor = page.get_by_label("Your text")
    editor.fill("Mine.")
    expect(_status(page)).to_have_text(CONFLICT, timeout=10_000)
    expect(page.get_by_label("The saved text")).to_have_value("Saved elsewhere.")
    page.get_by_role("button", name="Use the saved text").click()
    expect(editor).to_have_value("Saved elsewhere.")
    expect(editor).to_be_focused()
    expect(_status(page)).to_have_text("Showing the saved text")

    editor.fill("Saved elsewhere. And mine.")
    expect(_status(page)).to_have_text(SAVED, timeout=10_000)
    section.refresh_from_db()
    assert section.body == "Saved elsewhere. And mine."


def test_a_session_log_saved_in_another_tab_is_only_overwritten_by_keep_mine(page, live_server):
    programme, _mentee = _pair()
    _sign_in(page, live_server, "mo@example.org")
    _open_new_session(page, live_server, programme)
    _save_elsewhere(page, lambda other: other.get_by_label("Topics").fill("From the other tab"))

    page.get_by_label("Topics").fill("From this tab")
    expect(_status(page)).to_have_text(CONFLICT, timeout=10_000)
    expect(page.get_by_role("button", name="Keep mine")).to_be_visible()
    assert MentoringSession.objects.get().topics == "From the other tab"

    page.get_by_role("button", name="Keep mine").click()
    expect(_status(page)).to_have_text(DRAFT_SAVED, timeout=10_000)
    expect(page.get_by_role("button", name="Keep mine")).to_be_hidden()
    assert MentoringSession.objects.get().topics == "From this tab"


def test_an_autosaved_action_is_updated_by_the_next_save_not_added_again(page, live_server):
    programme, _mentee = _pair()
    _sign_in(page, live_server, "mo@example.org")
    _open_new_session(page, live_server, programme)

    action = page.locator("#id_actions-0-text")
    action.fill("Rewrite the headline")
    expect(_status(page)).to_have_text(DRAFT_SAVED, timeout=10_000)
    expect(page.locator("#id_actions-0-id")).to_have_value(str(AgreedAction.objects.get().pk))

    action.fill("Rewrite the headline and the summary")
    expect(_status(page)).to_have_text(DRAFT_SAVED, timeout=10_000)
    assert AgreedAction.objects.get().text == "Rewrite the headline and the summary"
    assert page.console_errors == []


def test_what_was_typed_before_the_script_loaded_is_saved_and_an_untouched_form_is_not(
    page, live_server
):
    programme, _mentee = _pair()
    _sign_in(page, live_server, "mo@example.org")
    _open_new_session(page, live_server, programme)
    page.wait_for_timeout(2500)  # longer than the autosave delay
    expect(_status(page)).to_have_text("")
    assert MentoringSession.objects.get().version == 0

    page.route("**/js/autosave.js", lambda route: route.abort())
    page.reload()
    page.get_by_label("Topics").fill("Typed while the page was loading")
    page.unroute("**/js/autosave.js")
    page.add_script_tag(url=f"{live_server.url}/static/js/autosave.js")
    expect(_status(page)).to_have_text(DRAFT_SAVED, timeout=10_000)
    assert MentoringSession.objects.get().topics == "Typed while the page was loading"


# --- How the status line looks ----------------------------------------------------------------


@pytest.fixture(params=[390, 1280], ids=["390px", "1280px"])
def sized_page(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


def _shoot(page, name):
    """Screenshots for a person to look at, and the layout facts a person would notice: the
    status line is on screen and clear of the save button beside it."""
    status = _status(page)
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.width
    button = page.locator("[data-autosave-manual]").bounding_box()
    apart = (
        box["x"] >= button["x"] + button["width"]
        or box["y"] >= button["y"] + button["height"]
        or box["y"] + box["height"] <= button["y"]
    )
    assert apart, f"{name}: the status line overlaps the save button"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"autosave-{name}-{page.width}px"
    status.locator("xpath=..").screenshot(path=f"{shot}-status.png")
    conflict = page.locator("[data-autosave-conflict]")
    if conflict.is_visible():
        conflict.screenshot(path=f"{shot}-notice.png")
    page.screenshot(path=f"{shot}-page.png", full_page=True)


def test_the_status_line_reads_well_on_every_page_at_every_width(sized_page, live_server):
    page = sized_page
    programme, mentee = _pair()

    _sign_in(page, live_server, "mia@example.org")
    section = _first_section(mentee)
    page.goto(live_server.url + section.get_absolute_url())
    page.get_by_label("Your text").fill("I want to be known for practical sustainability.")
    expect(_status(page)).to_have_text(SAVED, timeout=10_000)
    _shoot(page, "playbook-saved")
    save_section(section=section, by=mentee.user, body="From my phone.", version=1)
    page.get_by_label("Your text").fill("I want to be known for practical sustainability!")
    expect(_status(page)).to_have_text(CONFLICT, timeout=10_000)
    _shoot(page, "playbook-conflict")

    baseline = reverse("programmes:assessment_round", args=[programme.slug, "baseline"])
    page.goto(live_server.url + baseline)
    page.get_by_label(re.compile("^Why do you want")).fill("To be found by the right clients.")
    expect(_status(page)).to_have_text(SAVED, timeout=10_000)
    _shoot(page, "assessment-saved")
    save_assessment(
        membership=mentee, kind=AssessmentKind.BASELINE, answers={},
        version=AssessmentResponse.objects.get().version, by=mentee.user,
    )  # fmt: skip
    page.get_by_label(re.compile("^Why do you want")).fill("To be found by the right people.")
    expect(_status(page)).to_have_text(CONFLICT, timeout=10_000)
    _shoot(page, "assessment-conflict")

    page.context.clear_cookies()
    _sign_in(page, live_server, "mo@example.org")
    _open_new_session(page, live_server, programme)
    page.get_by_label("Topics").fill("Her LinkedIn headline")
    expect(_status(page)).to_have_text(DRAFT_SAVED, timeout=10_000)
    _shoot(page, "session-saved")
    _save_elsewhere(page, lambda other: other.get_by_label("Topics").fill("Her headline"))
    page.get_by_label("Topics").fill("Her LinkedIn headline and summary")
    expect(_status(page)).to_have_text(CONFLICT, timeout=10_000)
    _shoot(page, "session-conflict")


def test_a_first_save_makes_a_draft_and_ready_for_review_keeps_the_last_words(page, live_server):
    _programme, mentee = _pair()
    _sign_in(page, live_server, "mia@example.org")
    section = _first_section(mentee)
    page.goto(live_server.url + section.get_absolute_url())
    badge = page.locator("[data-section-status]")
    expect(badge).to_have_text("Not started")

    editor = page.get_by_label("Your text")
    editor.fill("My purpose.")
    expect(_status(page)).to_have_text(SAVED, timeout=10_000)
    expect(badge).to_have_text("Drafting")  # without reloading

    # Marked ready straight after typing, before the autosave: no "leave site?" question,
    # and the last words go with it.
    editor.fill("My purpose, and the last words.")
    page.get_by_role("button", name="Ready for review").click()
    expect(badge).to_have_text("Ready for review")
    section.refresh_from_db()
    assert (section.status, section.body) == ("ready", "My purpose, and the last words.")
