"""On a phone (390 px wide) no page scrolls sideways and each list's main action is on the
screen: tables stack into rows. The guidelines self-check comes before "Log session"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import User
from playbooks.services.integration import add_pillar
from programmes.models import Membership, Phase
from programmes.services.progress import advance_phase
from programmes.services.workshop import schedule_workshop
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def open_at(browser, request):
    """`open_at(viewport)`: a fresh page of that size; each one is screenshotted at the end."""
    contexts = []

    def opener(viewport):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield opener
    ARTIFACTS.mkdir(exist_ok=True)
    for n, context in enumerate(contexts):
        for page in context.pages:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{n}.png"), full_page=True)
        context.close()


@pytest.fixture
def programme(transactional_db):
    """A lead, a mentor with a partner in Integration (so the lead may sign her off), a mentee
    nobody has paired yet, three pillars with long names and a workshop with places."""
    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentor = make_mentor(programme, user=make_user("Mo Mentor", "mentor@example.org"))
    mentee = make_mentee(
        programme, mentor=mentor, user=make_user("Mia Montgomery-Whitfield", "mia@example.org")
    )
    make_mentee(programme, user=make_user("Una Unpaired-Andersson", "una@example.org"))
    for _ in range(4):
        mentee = advance_phase(membership=mentee, by=lead)
    assert mentee.current_phase.name == "Integration"
    for name in ["Customer trust and care", "Talent and belonging", "Innovation in the open"]:
        add_pillar(programme=programme, by=lead, name=name)
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=7)
    schedule_workshop(
        programme=programme,
        by=lead,
        title="Writing for LinkedIn without the jargon",
        topic="LinkedIn",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        time_zone="America/New_York",
        location="Board room, 4th floor, North building",
        capacity=12,
    )
    return programme


def sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Successfully signed in")).to_be_visible()


def assert_nothing_scrolls_sideways(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px window"
    # A table in its own scrolling box hides its last columns just the same. (A programme's
    # tabs are the one row made to scroll sideways: the current tab is brought into view
    # and a fade shows the side with more, checked below.)
    wide = page.evaluate(
        "[...document.querySelectorAll('main *:not(input, textarea, select, nav.tabs)')]"
        ".filter(e => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1"
        " && getComputedStyle(e).overflowX !== 'visible')"
        ".map(e => e.className || e.tagName)"
    )
    assert wide == [], f"{page.url}: {wide} scroll sideways"
    current = page.locator('nav.tabs a[aria-current="page"]')
    if current.count():
        assert_within_the_width(current)


def assert_within_the_width(locator):
    """The action's left and right edges are inside the window (whatever the vertical scroll:
    the person scrolls down to it, never sideways)."""
    expect(locator).to_be_visible()
    left, right, viewport = locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.left, r.right, window.innerWidth] }"
    )
    assert left >= 0 and right <= viewport, f"{locator} spans {left} to {right} of {viewport}px"


def test_a_mentee_books_a_workshop_on_a_phone_without_scrolling_sideways(
    open_at, live_server, programme
):
    page = open_at(PHONE)
    sign_in(page, live_server, "mia@example.org")
    base = f"{live_server.url}/programmes/{programme.slug}"
    for path in ["/sessions/", "/checklist/", "/playbook/", "/assessment/baseline/"]:
        page.goto(base + path)
        assert_nothing_scrolls_sideways(page)
    page.goto(base + "/workshops/")
    assert_nothing_scrolls_sideways(page)
    book = page.get_by_role("button", name=re.compile("Book a place"))
    assert_within_the_width(book)
    book.click()
    expect(page.locator(".message--success")).to_be_visible()
    assert_nothing_scrolls_sideways(page)
    assert page.console_errors == []


def test_a_mentor_logs_a_session_from_a_phone_and_sees_the_guidelines_before_logging(
    open_at, live_server, programme
):
    page = open_at(PHONE)
    sign_in(page, live_server, "mentor@example.org")
    menu = page.locator(".user-menu summary")
    expect(menu).to_have_accessible_name(re.compile("Mo Mentor"))
    base = f"{live_server.url}/programmes/{programme.slug}"
    page.goto(base + "/playbook/")
    assert_nothing_scrolls_sideways(page)
    page.goto(base + "/sessions/")
    assert_nothing_scrolls_sideways(page)
    log = page.get_by_role("button", name=re.compile("Log a session"))
    assert_within_the_width(log)
    log.click()

    assert_nothing_scrolls_sideways(page)
    guidelines = page.get_by_role("heading", name="Mentoring guidelines")
    submit = page.get_by_role("button", name="Log session", exact=True)
    assert_within_the_width(submit)
    assert top(guidelines) < top(submit), "the self-check must come before the button"

    page.goto(base + "/sessions/")
    assert_within_the_width(page.get_by_role("button", name=re.compile("Continue draft")))
    assert page.console_errors == []


def test_on_a_wide_screen_the_guidelines_sit_beside_the_log_and_above_its_button(
    open_at, live_server, programme
):
    page = open_at(DESKTOP)
    sign_in(page, live_server, "mentor@example.org")
    page.goto(f"{live_server.url}/programmes/{programme.slug}/sessions/")
    page.get_by_role("button", name=re.compile("Log a session")).click()
    guidelines = page.get_by_role("heading", name="Mentoring guidelines")
    submit = page.get_by_role("button", name="Log session", exact=True)
    topics = page.get_by_label("Topics")
    assert top(guidelines) < top(submit)
    assert left(guidelines) > left(topics) + 300, "beside the log, not under it"


def test_a_lead_pairs_and_signs_off_on_a_phone_without_scrolling_sideways(
    open_at, live_server, programme
):
    page = open_at(PHONE)
    sign_in(page, live_server, "lead@example.org")
    base = f"{live_server.url}/programmes/{programme.slug}"
    for path in [
        "/people/",
        "/workshops/",
        "/activities/",
        "/assessment/questions/",
        "/sessions/figures/",
        "/playbook/",
        "/nudges/",
    ]:
        page.goto(base + path)
        assert_nothing_scrolls_sideways(page)

    page.goto(base + "/pairings/")
    assert_nothing_scrolls_sideways(page)
    assert_within_the_width(page.get_by_role("link", name="Pair Una Unpaired-Andersson"))
    assert_within_the_width(page.get_by_role("link", name="Change Mia Montgomery-Whitfield"))

    page.goto(base + "/strategy/")
    assert_nothing_scrolls_sideways(page)
    sign_off = page.get_by_role("button", name=re.compile("Sign off"))
    assert_within_the_width(sign_off)
    sign_off.click()
    expect(page.locator(".message--success")).to_be_visible()

    page.goto(f"{live_server.url}/no-such-page/")
    expect(
        page.get_by_role("heading", name="We can\N{RIGHT SINGLE QUOTATION MARK}t find that page")
    ).to_be_visible()
    assert_nothing_scrolls_sideways(page)


def top(locator) -> float:
    return locator.evaluate("e => e.getBoundingClientRect().top + window.scrollY")


def left(locator) -> float:
    return locator.evaluate("e => e.getBoundingClientRect().left")


def test_on_a_wide_screen_each_score_keeps_its_five_options_on_one_line(
    open_at, live_server, programme
):
    page = open_at(DESKTOP)
    sign_in(page, live_server, "mia@example.org")
    page.goto(f"{live_server.url}/programmes/{programme.slug}/assessment/baseline/")
    scales = page.locator(".assessment-grid .scale__options")
    expect(scales.first).to_be_visible()
    lines = scales.evaluate_all(
        "all => all.map(s => new Set([...s.children].map(o => o.getBoundingClientRect().top)).size)"
    )
    assert lines and set(lines) == {1}, lines


def test_names_with_no_spaces_wrap_instead_of_pushing_pages_sideways(
    open_at, live_server, programme
):
    """Someone's name, or a phase's, typed as one long word (QA: 120 and 150 characters)."""
    mia = User.objects.get(email="mia@example.org")
    mia.name = "Mia" + "x" * 140
    mia.save(update_fields=["name"])
    Phase.objects.filter(programme=programme, position=1).update(name="Research" + "y" * 112)
    member = Membership.objects.get(user=mia, programme=programme).pk
    base = f"{live_server.url}/programmes/{programme.slug}"
    pages = {
        "lead@example.org": ["/", "/phases/", "/dashboard/", f"/people/{member}/"],
        "mentor@example.org": ["/", f"/mentoring/partners/{member}/"],
        "mia@example.org": ["/", "/mentoring/"],
    }
    for email, paths in pages.items():
        page = open_at(PHONE)
        sign_in(page, live_server, email)
        for path in paths:
            page.goto(live_server.url + path if path == "/" else base + path)
            assert_nothing_scrolls_sideways(page)
