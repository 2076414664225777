"""A mentee fills in their baseline self-assessment in a real browser and watches it autosave."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import AssessmentKind, AssessmentQuestion, AssessmentResponse
from programmes.services.assessment import save_assessment
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PURPOSE = "Why do you want a presence on social media? What is your purpose?"


def _sign_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("pw-123456!")
    page.get_by_role("button", name="Sign In").click()


def _baseline(live_server):
    """A mentee, signed in nowhere yet, and the address of their baseline."""
    programme = make_programme(make_user("Lena Lead", "lead@example.org"))
    mentee = make_mentee(
        programme, mentor=make_mentor(programme), user=make_user("Mia", "mia@example.org")
    )
    path = reverse("programmes:assessment_round", args=[programme.slug, "baseline"])
    return mentee, f"{live_server.url}{path}"


def _score(page, prompt):
    return page.get_by_role("group", name=re.compile(re.escape(prompt)))


def test_a_mentee_answers_the_baseline_and_sees_it_autosave(page, live_server):
    mentee, baseline = _baseline(live_server)
    _sign_in(page, live_server, "mia@example.org")
    page.goto(baseline)

    _score(page, "LinkedIn: your confidence").get_by_label("4", exact=True).check()
    page.get_by_label(PURPOSE).fill("To be found by the clients I want.")
    status = page.get_by_role("status").filter(has_text=re.compile(r"Saved \d\d:\d\d"))
    expect(status).to_be_visible(timeout=10_000)
    draft = AssessmentResponse.objects.get(membership=mentee, kind=AssessmentKind.BASELINE)
    answers = {a.question.prompt: a.score or a.text for a in draft.answers.all()}
    assert answers == {
        "LinkedIn: your confidence": 4,
        PURPOSE: "To be found by the clients I want.",
    }
    assert draft.status == draft.Status.DRAFT

    page.goto(baseline)  # a fresh load, not the browser restoring what was typed
    expect(_score(page, "LinkedIn: your confidence").get_by_label("4", exact=True)).to_be_checked()
    expect(page.get_by_label(PURPOSE)).to_have_value("To be found by the clients I want.")
    assert page.console_errors == []


def test_a_baseline_changed_in_another_tab_stops_autosave_and_keeps_the_answers(page, live_server):
    mentee, baseline = _baseline(live_server)
    _sign_in(page, live_server, "mia@example.org")
    page.goto(baseline)
    linkedin = AssessmentQuestion.objects.get(
        programme=mentee.programme, prompt="LinkedIn: your confidence"
    )
    save_assessment(
        membership=mentee, kind=AssessmentKind.BASELINE, version=0,
        answers={linkedin.pk: 2}, by=mentee.user,
    )  # fmt: skip

    _score(page, "LinkedIn: your confidence").get_by_label("5", exact=True).check()
    expect(page.get_by_role("status")).to_have_text(
        "Not saved: changed somewhere else", timeout=10_000
    )
    expect(page.get_by_role("alert")).to_contain_text("changed somewhere else (another tab")
    expect(_score(page, "LinkedIn: your confidence").get_by_label("5", exact=True)).to_be_checked()
    assert AssessmentResponse.objects.get().answers.get().score == 2

    page.get_by_role("button", name="Save draft").click()
    expect(
        page.get_by_role("heading", name="Not saved: your answers changed somewhere else")
    ).to_be_visible()
    differences = page.get_by_role("table", name="Where what you sent differs from what is saved")
    row = differences.get_by_role("row", name=re.compile("LinkedIn: your confidence"))
    expect(row.get_by_role("cell")).to_have_text(["2", "5"])  # saved now, what was sent
    assert [e for e in page.console_errors if "409" not in e] == []
