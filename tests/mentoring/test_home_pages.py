"""The home page shows each person what their roles give them, and nothing more."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.selectors.programme import whole_percentages
from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_mentor, make_programme, make_user


def home_html(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("mentoring:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_mentee_sees_their_journey_with_their_current_phase_and_mentor(client, cast):
    advance_phase(membership=cast.mentee_membership, by=cast.lead, note="Baseline done")
    html = home_html(client, cast.mentee)
    assert "Your journey" in html
    assert 'You are in <span class="accent">Workshops</span>' in html
    assert "Mo Mentor" in html
    assert 'aria-current="step"' in html


def test_a_mentee_past_the_last_phase_is_shown_as_business_as_usual(client, cast):
    for _ in range(5):
        advance_phase(membership=cast.mentee_membership, by=cast.lead)
    html = home_html(client, cast.mentee)
    assert "Business as usual since" in html


def test_a_mentor_sees_their_own_partners_and_not_another_mentors(client, cast):
    html = home_html(client, cast.mentor)
    assert "Mia Mentee" in html
    assert "Otto Othermentee" not in html
    assert "Programmes you lead" not in html


def test_a_lead_sees_the_phase_funnel_of_their_programme_only(client, cast):
    html = home_html(client, cast.lead)
    assert "Programmes you lead" in html
    assert "Social Adoption Programme" in html
    assert "Another Programme" not in html
    # Both mentees start in Research: the funnel shows the count as text, not only a bar.
    assert re.search(r'<th scope="row">Research</th>\s*<td class="funnel__count">2</td>', html)


def test_a_lead_of_another_programme_sees_none_of_it(client, cast):
    html = home_html(client, cast.other_lead)
    assert "Mia Mentee" not in html and "Otto Othermentee" not in html
    assert "Social Adoption Programme" not in html


@pytest.mark.parametrize(
    ("counts", "shares"),
    [([1, 1, 2, 2, 1, 1], [13, 13, 25, 25, 12, 12]), ([0, 0], [0, 0]), ([1, 1, 1], [34, 33, 33])],
)
def test_funnel_shares_always_add_up_to_a_hundred(counts, shares):
    result = whole_percentages(counts)
    assert sum(result) == (100 if sum(counts) else 0)
    assert result == shares


def test_the_navigation_names_each_role_once_whatever_the_programmes(client, cast):
    for name in ("Alpha", "Zeta"):
        make_programme(cast.mentor, name=name)  # the mentor leads two more programmes
    html = home_html(client, cast.mentor)
    header = re.search(r'<ul class="main-nav__links">(.*?)</ul>', html, re.S)
    menu = re.search(r'<ul class="user-menu__links user-menu__sections">(.*?)</ul>', html, re.S)
    assert header and menu  # the menu's copy is for narrow screens, where the header hides them
    for links in (header.group(1), menu.group(1)):
        assert links.count(">Leading<") == 1
        assert links.count(">My partners<") == 1


def test_someone_in_no_programme_is_told_what_happens_next(client, db):
    html = home_html(client, make_user("Nobody Yet"))
    assert "You're not part of a programme yet" in html
    assert "When a programme lead invites you" in html


def _home_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("mentoring:home")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_mentors_home_runs_the_same_number_of_queries_with_3_and_30_partners(client):
    counts = []
    for size in (3, 30):
        lead = make_user()
        programme = make_programme(lead, name=f"Programme {size}")
        mentor = make_mentor(programme)
        for _ in range(size):
            make_mentee(programme, mentor=mentor)
        counts.append(_home_queries(client, mentor.user))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_leads_home_runs_the_same_number_of_queries_with_5_and_50_mentees(client):
    counts = []
    for size in (5, 50):
        lead = make_user()
        programme = make_programme(lead, name=f"Programme {size}")
        mentor = make_mentor(programme)
        for i in range(size):
            mentee = make_mentee(programme, mentor=mentor if i % 2 else None)
            for _ in range(i % 6):
                advance_phase(membership=mentee, by=lead)
        counts.append(_home_queries(client, lead))
    assert counts[0] == counts[1]
