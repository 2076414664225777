"""The journey page does not only state the goal of a phase: it links to where it is done, for
every kind of exit criterion, and Integration's themes-and-pillars page is one click away
(a tab of its own, and a link for the mentee's mentor) once the mentee is there."""

import pytest
from django.urls import reverse

from programmes.models import ExitCriterion
from programmes.services.progress import advance_phase

RIGHT = "\N{RIGHT SINGLE QUOTATION MARK}"


def _move_on(cast, times: int):
    membership = cast.mentee_membership
    for _ in range(times):
        membership = advance_phase(membership=membership, by=cast.lead)
    return membership


def _journey(client, cast) -> str:
    client.force_login(cast.mentee)
    return client.get(reverse("programmes:my_journey", args=[cast.programme.slug])).content.decode()


@pytest.mark.parametrize(
    ("moves", "phase", "url_name", "label"),
    [
        (0, "Research", "programmes:assessment", "Open your self-assessment"),
        (1, "Workshops", "programmes:workshops", "Book or see your workshops"),
        (2, "Playbook", "playbooks:playbook", "Open your playbook"),
        (3, "1:1 Mentoring", "mentoring:sessions", "Your sessions and open actions"),
        (
            4,
            "Integration",
            "playbooks:integration",
            f"Map your themes onto the business{RIGHT}s pillars",
        ),
    ],
)
def test_each_phases_goal_has_a_button_to_where_it_is_done(
    client, cast, moves, phase, url_name, label
):
    assert _move_on(cast, moves).current_phase.name == phase
    html = _journey(client, cast)
    assert (
        f'<a class="button" href="{reverse(url_name, args=[cast.programme.slug])}">{label}</a>'
        in html
    )


def test_a_phase_moved_on_by_hand_points_to_the_mentoring(client, cast):
    cast.programme.phases.filter(name="Research").update(exit_criterion=ExitCriterion.MANUAL)
    html = _journey(client, cast)
    mine = reverse("mentoring:mine", args=[cast.programme.slug])
    assert f'<a class="button" href="{mine}">Your mentoring</a>' in html


def test_the_integration_tab_appears_for_a_mentee_once_they_reach_integration(client, cast):
    integration = reverse("playbooks:integration", args=[cast.programme.slug])
    tab = f'<li><a href="{integration}">Integration</a></li>'
    assert tab not in _journey(client, cast)  # in Research: not yet
    _move_on(cast, 4)
    assert tab in _journey(client, cast)


def test_a_mentees_mentor_reaches_their_themes_from_their_journey_in_integration(client, cast):
    member = cast.mentee_membership.pk
    page = reverse("programmes:member_journey", args=[cast.programme.slug, member])
    themes = reverse("playbooks:member_integration", args=[cast.programme.slug, member])
    link = f'href="{themes}">Integration: themes and pillars</a>'
    client.force_login(cast.mentor)
    assert link not in client.get(page).content.decode()
    _move_on(cast, 4)
    assert link in client.get(page).content.decode()
