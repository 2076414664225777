"""Each kind of user, start to finish, in a real browser at a phone's width and a desktop's.

Every journey starts from a fresh database (the live server's test database, emptied after
each test) with only what its starting point needs, made by the factories and services. The
journey's own steps are done in the browser, as a person would: click, type, choose. What
other people do meanwhile (accept an invitation, log a session) is done through the same
services their pages call.

On every page a journey visits it checks what a person would notice: nothing scrolls
sideways, the page's main action is on the screen, and axe-core (vendored in vendor/) finds
no serious or critical accessibility problem. Screenshots of the main pages are saved in
test-artifacts/journeys/.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from mentoring.services.pace import sweep
from mentoring.services.session import save_session, start_session
from mentoring.tasks import deliver_notifications
from playbooks.models import Section
from playbooks.services.playbook import save_section, submit_section_for_review
from programmes.models import Invitation, Membership, Notification, Role, WorkshopSeat
from programmes.services.invitation import accept_invitation, invite
from programmes.services.progress import advance_phase
from programmes.services.workshop import record_attendance, schedule_workshop
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_mentee, make_mentor, make_programme, make_user
from tests.mentoring.test_pace_sweep import calm_programme, paired_mentee

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-123456!"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
SHOTS = ARTIFACTS / "journeys"


# --- What every page must pass ---------------------------------------------------------------


def assert_fits_the_width(page: Page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width}px wide in a {viewport}px window"


def assert_in_reach(locator: Locator) -> None:
    """The main action is shown, and inside the window's width (a person scrolls down to
    it, never sideways)."""
    expect(locator).to_be_visible()
    left, right, viewport = locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.left, r.right, window.innerWidth] }"
    )
    assert left >= 0 and right <= viewport, f"{locator} spans {left} to {right} of {viewport}px"


def serious_accessibility_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now.

    The site's CSP allows no inline script, so axe is evaluated through the DevTools
    protocol (which the CSP does not govern) rather than added as a <script>: the page
    runs under its real policy, and a script the CSP blocks still fails the test."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    results = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return {passes: r.passes.length, violations: r.violations.map(v => ({id: v.id,"
        " impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))} }"
    )
    # `resultTypes` trims what each pass reports, not whether it is counted: a page on
    # which axe checked nothing at all would mean axe did not run.
    assert results["passes"] > 0, f"axe-core checked nothing on {page.url}"
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class Person:
    """One person's browser, at the journey's width, with the checks run on every page."""

    def __init__(self, page: Page, live_server, journey: str, width: int):
        self.page, self.live_server, self.journey, self.width = page, live_server, journey, width
        self.console_errors: list[str] = []
        page.on(
            "console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.checked: set[str] = set()  # the pages axe-core has looked at

    def url(self, path: str) -> str:
        return f"{self.live_server.url}{path}"

    def goto(self, path: str) -> Page:
        self.page.goto(self.url(path))
        return self.page

    def look(self, main: Locator | None = None, *, shot: str | None = None) -> None:
        """The checks for the page now shown; `main` is its main action."""
        page = self.page
        page.wait_for_load_state()
        assert_fits_the_width(page)
        if main is not None:
            assert_in_reach(main)
        # Each page once per person: seen again after an action, it differs by a message or
        # a row, and axe-core takes about a fifth of a journey's time.
        where = urlsplit(page.url).path
        if where not in self.checked:
            problems = serious_accessibility_problems(page)
            assert problems == [], f"{page.url}: {problems}"
            self.checked.add(where)
        assert self.console_errors == [], self.console_errors
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            name = f"{self.journey}-{shot}-{self.width}px.png"
            # The first screen, as a person sees it on opening the page; where each person
            # ended up is saved whole when the test ends.
            page.screenshot(path=str(SHOTS / name))

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        page = self.goto("/accounts/login/")
        self.look(page.get_by_role("button", name="Sign In"))
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        expect(page.get_by_text("Successfully signed in")).to_be_visible()

    def says(self, text: str | re.Pattern) -> None:
        expect(self.page.locator(".message").filter(has_text=text).first).to_be_visible()

    def nav(self, name: str) -> None:
        """Follow a link in the programme's own menu."""
        menu = self.page.locator("main").get_by_role("navigation").first
        menu.get_by_role("link", name=name, exact=True).click()


@pytest.fixture(params=[390, 1280], ids=["390px", "1280px"])
def width(request) -> int:
    return request.param


@pytest.fixture
def people(browser, live_server, width, request):
    """`people(journey)`: a new person's browser (their own cookies) at the journey's width."""
    contexts = []

    def open_browser(journey: str) -> Person:
        context = browser.new_context(viewport={"width": width, "height": 844})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return Person(page, live_server, journey, width)

    yield open_browser
    SHOTS.mkdir(parents=True, exist_ok=True)
    for n, context in enumerate(contexts):
        for page in context.pages:  # where each person ended up, for a failed run's reader
            page.screenshot(path=str(SHOTS / f"{request.node.name}-last-{n}.png"), full_page=True)
        context.close()


def link_in(message, path_part: str) -> str:
    found = re.search(rf"https?://\S+{path_part}\S*", message.body)
    assert found, message.body
    return found.group(0)


# --- The lead sets up a programme ----------------------------------------------------------


def test_a_lead_sets_up_a_programme_invites_pairs_and_runs_a_workshop(people, width):

    make_user("Lena Lead", "lead@example.org")
    lead = people("lead")
    page = lead.page
    lead.sign_in("lead@example.org")

    lead.goto("/programmes/")
    lead.look(page.get_by_role("link", name="New programme"))
    page.get_by_role("link", name="New programme").click()
    lead.look(page.get_by_role("button", name="Create programme"), shot="new-programme")
    page.get_by_label("Programme name").fill("Thought Leadership 2027")
    page.get_by_role("radio", name=re.compile("Social Adoption Programme")).check()
    page.get_by_role("button", name="Create programme").click()
    lead.says("Thought Leadership 2027 is ready to set up.")
    lead.look()
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]

    # A phase made to fit this cohort.
    lead.nav("Phases")
    lead.look(page.get_by_role("link", name="Add a phase"))
    page.get_by_role("link", name="Edit Research").click()
    lead.look(page.get_by_role("button", name="Save phase"))
    page.get_by_label("Planned length, in weeks").fill("3")
    page.get_by_role("button", name="Save phase").click()
    lead.says("Saved Research.")
    lead.look()

    # A mentor and a partner by the form; a second partner from a spreadsheet.
    lead.nav("People")
    invite = page.locator("#invite")
    lead.look(invite.get_by_role("button", name="Send invitation"), shot="people")
    for name, email, role in [
        ("Mo Mentor", "mo@example.org", "mentor"),
        ("Mia Partner", "mia@example.org", "mentee"),
    ]:
        invite.get_by_label("Name").fill(name)
        invite.get_by_label("Email", exact=True).fill(email)
        invite.get_by_label("Role").select_option(role)
        invite.get_by_role("button", name="Send invitation").click()
        lead.says(f"Invitation sent to {email}.")
    sheet = io.StringIO()
    csv.writer(sheet).writerows(
        [["name", "email", "role"], ["Pat Partner", "pat@example.org", "partner"]]
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": sheet.getvalue().encode()}]
    )
    page.get_by_role("button", name="Check and invite").click()
    lead.says("Invited 1 people")
    lead.look()
    assert {m.to[0] for m in mail.outbox} >= {
        "mo@example.org",
        "mia@example.org",
        "pat@example.org",
    }

    # They accept (each in their own inbox and browser: the mentee's journey does that).
    for invitation in Invitation.objects.filter(programme__slug=slug):
        accept_invitation(invitation=invitation, user=make_user(invitation.name, invitation.email))

    lead.nav("Pairings")
    for partner in ["Mia Partner", "Pat Partner"]:
        pair = page.get_by_role("link", name=f"Pair {partner}")
        lead.look(pair, shot="pairings" if partner == "Mia Partner" else None)
        pair.click()
        lead.look(page.get_by_role("button", name="Pair", exact=True))
        page.get_by_label("Mentor", exact=True).select_option(label="Mo Mentor")
        page.get_by_role("button", name="Pair", exact=True).click()
        lead.says(f"{partner} is paired with Mo Mentor.")
    lead.look(page.get_by_role("link", name="Change Pat Partner"))

    # A workshop that ran this morning, and who came.
    lead.nav("Workshops")
    first = page.get_by_role("link", name="Schedule the first workshop")
    lead.look(first)
    first.click()
    lead.look(page.get_by_role("button", name="Schedule the workshop"))
    page.get_by_label("Title").fill("LinkedIn profiles that work")
    yesterday = (timezone.now() - timedelta(days=1)).date().isoformat()
    page.get_by_label("Starts").fill(f"{yesterday}T10:00")
    page.get_by_label("Ends").fill(f"{yesterday}T12:00")
    page.get_by_label("Place (optional)").fill("Board room, 4th floor")
    page.get_by_role("button", name="Schedule the workshop").click()
    lead.says("“LinkedIn profiles that work” is scheduled. Partners can book it now.")
    record = page.get_by_role("link", name="Record attendance")
    lead.look(record, shot="workshop")
    record.click()
    lead.look(page.get_by_role("button", name="Save attendance"))
    attendance = page.get_by_role("radiogroup", name="Mia Partner")
    attendance.get_by_label("Attended").check()
    page.get_by_role("radiogroup", name="Pat Partner").get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save attendance").click()
    lead.says("Attendance is saved (2 changed).")
    lead.look()

    assert {(s.membership.user.name, s.attended) for s in WorkshopSeat.objects.all()} == {
        ("Mia Partner", True),
        ("Pat Partner", False),
    }


# --- A partner joins and works through their first phases ----------------------------------


def _programme_with_a_mentor():
    """A programme, its lead and a mentor (Mo); what an invited partner starts from."""

    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentor = make_mentor(programme, user=make_user("Mo Mentor", "mo@example.org"))
    return programme, lead, mentor


def _workshop(programme, lead, title: str, days: int):

    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return schedule_workshop(
        programme=programme, by=lead, title=title, starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2), time_zone="Europe/London",
        location="Board room, 4th floor",
    )  # fmt: skip


def _log_session(pairing, *, topics: str, action: str = ""):

    mentor = pairing.mentor.user
    session = start_session(pairing=pairing, by=mentor)
    actions = [{"text": action, "owner": "mentee"}] if action else []
    return save_session(
        session=session, by=mentor, version=session.version, log=True,
        fields={"topics": topics, "resonated": "Writing for one reader"}, actions=actions,
    )  # fmt: skip


def test_a_partner_joins_works_on_their_playbook_and_sees_their_journey_advance(people, width):

    programme, lead, _mentor = _programme_with_a_mentor()
    base = f"/programmes/{programme.slug}"
    invite(
        programme=programme, by=lead, name="Mia Partner", email="mia@example.org",
        role=Role.MENTEE, mentor_email="mo@example.org", base_url="http://testserver",
    )  # fmt: skip
    past = _workshop(programme, lead, "LinkedIn profiles that work", days=-7)
    _workshop(programme, lead, "Writing your first posts", days=7)

    mia = people("mentee")
    page = mia.page
    [message] = [m for m in mail.outbox if m.to == ["mia@example.org"]]
    link = link_in(message, "/programmes/invitations/")
    page.goto(link.replace("http://testserver", mia.live_server.url))
    mia.look(page.get_by_role("link", name="Create your account"), shot="invitation")
    page.get_by_role("link", name="Create your account").click()
    page.get_by_label("Your name").fill("Mia Partner")
    page.get_by_label("Password", exact=True).fill("a-long-pass-phrase")
    page.get_by_label("Password (again)").fill("a-long-pass-phrase")
    mia.look(page.get_by_role("button", name="Sign Up"))
    page.get_by_role("button", name="Sign Up").click()
    mia.look(page.get_by_role("button", name="Accept and join"))
    page.get_by_role("button", name="Accept and join").click()
    mia.says(f"Welcome to {programme.name}.")
    expect(page.get_by_role("heading", name=re.compile("You are in Research"))).to_be_visible()
    start = page.get_by_role("link", name="Open your self-assessment")
    mia.look(start, shot="journey-research")

    # The baseline: every score, and what she wants from it.
    start.click()
    mia.look()
    page.get_by_role("link", name=re.compile("baseline", re.I)).first.click()
    submit = page.get_by_role("button", name="Submit baseline")
    mia.look(submit, shot="baseline")
    groups = page.get_by_role("group", name=re.compile(r"your (confidence|capability)"))
    for n in range(groups.count()):
        groups.nth(n).get_by_label(str(2 + n % 3), exact=True).check()
    page.get_by_label(re.compile("^Why do you want")).fill("To be found by the right clients.")
    expect(
        page.get_by_role("status").filter(has_text=re.compile(r"Saved \d\d:\d\d"))
    ).to_be_visible()
    submit.click()
    mia.says("Thank you: your baseline is submitted.")
    mia.look()

    # She has moved on by herself, and sees how far she is towards the next phase.
    page.goto(mia.url(f"{base}/journey/"))
    expect(page.get_by_role("heading", name=re.compile("You are in Workshops"))).to_be_visible()
    expect(page.get_by_text("0 of 2 attended so far.")).to_be_visible()
    mia.look(page.get_by_role("link", name="Book or see your workshops"))

    # How and how often she would like to be mentored.
    page.goto(mia.url(f"{base}/mentoring/"))
    save = page.get_by_role("button", name="Save preferences")
    mia.look(save, shot="preferences")
    page.get_by_label("Video call").check()
    page.get_by_label("Fortnightly").check()
    save.click()
    mia.says("Saved. Your mentor sees how you'd like to be mentored.")
    mia.look()

    # A place at the next workshop.
    page.goto(mia.url(f"{base}/workshops/"))
    book = page.get_by_role("button", name=re.compile("Book a place"))
    mia.look(book)
    book.click()
    mia.says("Your place is booked.")
    mia.look()

    # Two activities she did herself. While the first is on its way, its button shows it is
    # working (held here until that is seen), and a second press sends nothing more.
    page.goto(mia.url(f"{base}/checklist/"))
    held, sent = [], []
    page.route("**/checklist/*/log/*/", lambda route: (held.append(route), sent.append(1)))
    for n, title in enumerate(["Publish a post", "Comment thoughtfully on five posts"]):
        done = page.get_by_role("button", name=f"Done today : {title}")
        mia.look(done)
        done.click()
        if n == 0:
            expect(page.locator("form.htmx-request").get_by_role("button")).to_have_css(
                "cursor", "progress"
            )
            done.click()
            page.wait_for_timeout(300)
            assert len(sent) == 1, "a second press while the first was on its way was sent"
            held.pop().continue_()
            page.unroute("**/checklist/*/log/*/")
        mia.says(f"Logged “{title}”. Well done.")
    mia.look(shot="checklist")

    # Two sections of her playbook, each saved as she types.
    page.goto(mia.url(f"{base}/playbook/"))
    mia.look(shot="playbook")
    sections = page.locator("main a[href*='/playbook/sections/']")
    hrefs = [sections.nth(n).get_attribute("href") for n in range(2)]
    for href, text in zip(
        hrefs, ["Practical sustainability.", "Founders in green tech."], strict=True
    ):
        page.goto(mia.url(href))
        editor = page.get_by_label("Your text")
        mia.look(editor)
        editor.fill(text)
        expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"Saved \d\d:\d\d"))
    mia.look(page.get_by_role("button", name="Save", exact=True), shot="section")

    # Her mentor logs their first session; she reflects on it.
    pairing = Membership.objects.get(user__email="mia@example.org").mentee_pairings.get()
    _log_session(pairing, topics="Her LinkedIn headline", action="Rewrite the headline")
    page.goto(mia.url(f"{base}/sessions/"))
    mia.look()
    page.locator(".data-table a").first.click()
    save = page.get_by_role("button", name="Save", exact=True)
    mia.look(save, shot="session")
    page.get_by_label("Your reflection").fill("Narrowing to one reader helps")
    page.get_by_label("4", exact=True).check()
    page.get_by_label("About right").check()
    save.click()
    mia.says(re.compile("reflection"))
    mia.look()

    # The lead records the workshop she went to: one of two, and the next is booked.
    mentee = Membership.objects.get(user__email="mia@example.org")
    record_attendance(workshop=past, by=lead, attendance={mentee: True})
    page.goto(mia.url(f"{base}/journey/"))
    expect(page.get_by_text("1 of 2 attended so far.")).to_be_visible()
    roadmap = page.locator(".roadmap__step")
    expect(roadmap.first).to_contain_text("Complete")
    mia.look(page.get_by_role("link", name="Book or see your workshops"), shot="journey")
    # The journey is where "My journey" leads, not one of "Programmes".
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.locator("a[aria-current='page']")).to_have_text("My journey")
    page.goto(mia.url("/"))
    expect(page.get_by_text("1 of 2 workshops attended; 1 booked.")).to_be_visible()
    # Each phase's name fits its step of the roadmap ("Integration" ran out of it at 390 px).
    expect(page.locator(".roadmap__body")).to_have_count(5)
    overflowing = page.locator(".roadmap__body").evaluate_all(
        "all => all.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())"
    )
    assert overflowing == [], overflowing
    mia.look(shot="home")


# --- A mentor's week ---------------------------------------------------------------------------


def test_a_mentor_logs_a_session_reviews_a_section_and_agrees_a_cadence(people, width):

    programme, lead, mentor = _programme_with_a_mentor()
    base = f"/programmes/{programme.slug}"
    mentee = make_mentee(programme, mentor=mentor, user=make_user("Mia Partner", "mia@example.org"))
    for _ in range(2):
        mentee = advance_phase(membership=mentee, by=lead)  # into Playbook
    section = Section.objects.filter(playbook__membership=mentee).order_by("pk").first()
    section = save_section(
        section=section, by=mentee.user, body="Practical sustainability.", version=0
    )
    submit_section_for_review(section=section, by=mentee.user)

    mo = people("mentor")
    page = mo.page
    mo.sign_in("mo@example.org")
    log = page.get_by_role("button", name="Log a session with Mia Partner")
    mo.look(log, shot="home")
    expect(page.get_by_role("link", name="1 section to review")).to_be_visible()

    # A session, with an action they agreed.
    log.click()
    submit = page.get_by_role("button", name="Log session", exact=True)
    mo.look(submit, shot="session-log")
    page.get_by_label("Topics").fill("Her purpose and first audience")
    page.get_by_label("What resonated").fill("Writing for one reader")
    page.locator("#id_actions-0-text").fill("Draft the audiences section")
    page.locator("#id_actions-0-due_on").fill(
        (timezone.localdate() + timedelta(days=7)).isoformat()
    )
    checks = page.locator("input[name^='check_'][value='yes']")
    for n in range(checks.count()):
        checks.nth(n).check()
    submit.click()
    mo.says("Logged. Your partner can read it now.")
    mo.look()

    # The section she asked them to review.
    page.goto(mo.url("/"))
    page.get_by_role("link", name="1 section to review").click()
    mo.look()
    page.get_by_role("link", name=section.template_section.title).first.click()
    complete = page.get_by_role("button", name="Mark complete")
    mo.look(complete, shot="section-review")
    complete.click()
    mo.says(f"“{section.template_section.title}” is complete.")
    mo.look()

    # An activity of their own, to share how it went.
    page.goto(mo.url(f"{base}/checklist/"))
    done = page.get_by_role("button", name="Done today : Publish a post")
    mo.look(done)
    done.click()
    mo.says("Logged “Publish a post”. Well done.")

    # A rhythm for the two of them.
    page.goto(mo.url(f"{base}/mentoring/partners/{mentee.pk}/"))
    mo.look(shot="partner")
    page.locator("details.propose summary").click()
    proposal = page.locator("details.propose form")
    proposal.get_by_label(re.compile("often|Cadence", re.I)).select_option("fortnightly")
    proposal.get_by_role("button", name="Propose").click()
    mo.says("Proposed. It takes effect when the other person accepts.")
    mo.look()

    # She is told, and accepts.
    mia = people("mentee")
    mia.sign_in("mia@example.org")
    page = mia.page
    page.goto(mia.url("/accounts/notifications/"))
    told = page.get_by_role("button", name=re.compile("fortnightly|cadence|how often", re.I)).first
    mia.look(told, shot="notifications")
    told.click()
    accept = page.get_by_role("button", name="Accept")
    mia.look(accept)
    accept.click()
    expect(page.get_by_text(re.compile("Agreed:\\s*Fortnightly"))).to_be_visible()
    mia.look()


# --- History made weeks ago: the dashboard and the nudges ------------------------------------


def _weeks_of_history():
    """Two partners who agreed to meet weekly with Mo: Sam last met him three days ago,
    Tia five weeks ago. Rows are dated when they happened; the real clock judges them."""

    now = timezone.now()
    lead = make_user("Lena Lead", "lead@example.org")
    programme = calm_programme(lead)
    mentor = make_mentor(programme, user=make_user("Mo Mentor", "mo@example.org"))
    sam = paired_mentee(
        programme, cadence="weekly", silent_days=3, now=now, mentor=mentor,
        user=make_user("Sam Steady", "sam@example.org"),
    )  # fmt: skip
    tia = paired_mentee(
        programme, cadence="weekly", silent_days=35, now=now, mentor=mentor,
        user=make_user("Tia Quiet", "tia@example.org"),
    )  # fmt: skip
    mail.outbox.clear()
    result = sweep()  # in-process, as the worker's task calls it, at the real time
    assert result.judged == 2
    return programme, sam, tia


def test_a_lead_sees_who_is_at_risk_and_downloads_the_list(people, width):
    programme, _sam, _tia = _weeks_of_history()
    lena = people("lead")
    page = lena.page
    lena.sign_in("lead@example.org")
    page.goto(lena.url(f"/programmes/{programme.slug}/"))
    lena.look()
    lena.nav("Dashboard")
    at_risk = page.locator("#at-risk")
    download = at_risk.get_by_role("link", name="Download CSV")
    lena.look(download, shot="dashboard")
    expect(at_risk.get_by_role("link", name="Tia Quiet")).to_be_visible()
    expect(at_risk.get_by_role("link", name="Sam Steady")).to_have_count(0)
    with page.expect_download() as downloading:
        download.click()
    rows = list(csv.reader(io.StringIO(Path(downloading.value.path()).read_text("utf-8-sig"))))
    names = [cell for row in rows[1:] for cell in row]
    assert "Tia Quiet" in names and "Sam Steady" not in names, rows


def test_the_sweep_nudges_each_person_in_the_app_and_by_email_with_a_link_to_the_right_page(
    people, width
):

    _weeks_of_history()
    deliver_notifications()  # as the worker's minute task does; eager in tests
    nudged = {
        n.recipient.email: n for n in Notification.objects.nudges().select_related("recipient")
    }
    assert set(nudged) == {"tia@example.org", "mo@example.org"}, nudged

    for email, journey in [("tia@example.org", "nudge-mentee"), ("mo@example.org", "nudge-mentor")]:
        nudge = nudged[email]
        [message] = [m for m in mail.outbox if m.to == [email] and m.subject == nudge.title]
        person = people(journey)
        page = person.page
        person.sign_in(email)
        page.goto(person.url("/accounts/notifications/"))
        opens = page.get_by_role("button", name=nudge.title)
        person.look(opens, shot="notifications")
        opens.click()
        page.wait_for_load_state()
        assert page.url.endswith(nudge.link), (page.url, nudge.link)
        person.look()
        # The email's "Open it here" link leads to the same page.
        link = re.search(r"Open it here:\s+(\S+)", message.body).group(1)
        assert link.endswith(nudge.link), (link, nudge.link)
        page.goto(person.url(urlsplit(link).path))
        person.look()


# --- The keyboard alone --------------------------------------------------------------------


def tab_to(page: Page, target: Locator, *, limit: int = 120) -> None:
    """Press Tab until `target` has the focus, as a person without a mouse does."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate(
            "e => e === document.activeElement || e.contains(document.activeElement)", handle
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never took the focus in {limit} presses of Tab")


def follow(page: Page, key: str) -> None:
    """Press a key that follows a link or sends a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_partner_does_their_baseline_and_books_a_workshop_with_the_keyboard_alone(people, width):

    programme, lead, mentor = _programme_with_a_mentor()
    make_mentee(programme, mentor=mentor, user=make_user("Mia Partner", "mia@example.org"))
    _workshop(programme, lead, "Writing your first posts", days=7)
    mia = people("keyboard")
    page = mia.page
    keys = page.keyboard

    page.goto(mia.url("/accounts/login/"))
    tab_to(page, page.get_by_label("Email"))
    keys.type("mia@example.org")
    tab_to(page, page.get_by_label("Password"))
    keys.type(PASSWORD)
    follow(page, "Enter")
    mia.says("Successfully signed in")

    start = page.get_by_role("link", name="Start your baseline")
    mia.look(start)
    tab_to(page, start)
    follow(page, "Enter")
    mia.look()
    tab_to(page, page.get_by_role("link", name=re.compile("baseline", re.I)).first)
    follow(page, "Enter")
    submit = page.get_by_role("button", name="Submit baseline")
    mia.look(submit)
    groups = page.get_by_role("group", name=re.compile(r"your (confidence|capability)"))
    for n in range(groups.count()):
        tab_to(page, groups.nth(n))
        keys.press("ArrowRight")  # from the first score to the second, which it chooses
    expect(groups.last.get_by_label("2", exact=True)).to_be_checked()
    tab_to(page, page.get_by_label(re.compile("^Why do you want")))
    keys.type("To be found by the right clients.")
    tab_to(page, submit)
    follow(page, "Enter")
    mia.says("Thank you: your baseline is submitted.")
    mia.look()

    journey = f"/programmes/{programme.slug}/journey/"
    tab_to(page, page.locator(f"main a[href='{journey}']").first)
    follow(page, "Enter")
    expect(page.get_by_role("heading", name=re.compile("You are in Workshops"))).to_be_visible()
    workshops = page.get_by_role("link", name="Book or see your workshops")
    mia.look(workshops)
    tab_to(page, workshops)
    follow(page, "Enter")
    book = page.get_by_role("button", name=re.compile("Book a place"))
    mia.look(book)
    tab_to(page, book)
    follow(page, "Enter")
    mia.says("Your place is booked.")
    mia.look()
