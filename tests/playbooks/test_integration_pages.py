"""Integration: leads keep the business strategy, mentees place their themes on its pillars,
leads read the alignment matrix and sign mentees off their sign-off phase."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from playbooks.models import BusinessStrategy, SignOff, StrategyPillar, ThemeMapping
from playbooks.services.integration import (
    IntegrationError,
    add_pillar,
    map_theme,
    save_strategy,
    sign_off,
)
from programmes.models import PhaseTransition
from programmes.services.programme import duplicate_programme
from programmes.services.progress import advance_phase
from tests.factories import make_mentee
from tests.test_site_pages import assert_nothing_inline


def url(name, cast, *args):
    return reverse(f"playbooks:{name}", args=[cast.programme.slug, *args])


def pillar(cast, name="Customer stories"):
    return add_pillar(programme=cast.programme, by=cast.lead, name=name, description="Real ones")


def into_integration(membership, lead):
    for _ in range(4):
        membership = advance_phase(membership=membership, by=lead)
    assert membership.current_phase.name == "Integration"
    return membership


# --- Who may reach what -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [("lead", 200), ("mentor", 403), ("mentee", 403), ("other_lead", 404)],
)
def test_only_leads_see_the_strategy_page_with_its_alignment_matrix(client, cast, person, status):
    client.force_login(cast.people()[person])
    assert client.get(url("strategy", cast)).status_code == status


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("mentor", 200),
        ("lead", 200),
        ("other_mentee", 404),
        ("other_mentor", 404),
        ("other_lead", 404),
    ],
)
def test_a_mentees_theme_mapping_is_read_by_their_mentor_and_leads(client, cast, person, status):
    client.force_login(cast.people()[person])
    response = client.get(url("member_integration", cast, cast.mentee_membership.pk))
    assert response.status_code == status


def test_a_mentor_cannot_save_the_business_strategy(client, cast):
    client.force_login(cast.mentor)
    assert client.post(url("strategy_edit", cast), {"summary": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        save_strategy(programme=cast.programme, by=cast.mentor, summary="x")
    assert not BusinessStrategy.objects.exists()


# --- The lead's strategy ------------------------------------------------------------------


def test_a_lead_writes_the_strategy_and_adds_pillars(client, cast):
    client.force_login(cast.lead)
    client.post(
        url("strategy_edit", cast),
        {
            "summary": "Be known for care",
            "audiences": "Buyers",
            "platforms": "LinkedIn",
            "key_messages": "We listen",
        },
    )
    client.post(url("pillar_create", cast), {"name": "Innovation", "description": "New"})
    response = client.get(url("strategy", cast))
    page = response.content.decode()
    assert "Be known for care" in page and "We listen" in page
    assert StrategyPillar.objects.get().name == "Innovation"
    assert_nothing_inline(page)


def test_a_duplicated_programme_keeps_the_strategy_and_pillars(cast):
    save_strategy(programme=cast.programme, by=cast.lead, key_messages="We listen")
    pillar(cast)
    copy = duplicate_programme(source=cast.programme, by=cast.lead, name="Next cohort")
    assert copy.business_strategy.key_messages == "We listen"
    assert list(copy.strategy_pillars.values_list("name", flat=True)) == ["Customer stories"]


# --- A mentee maps their themes -----------------------------------------------------------


def test_a_mentee_places_a_theme_on_a_pillar_and_moves_it(client, cast):
    first, second = pillar(cast), pillar(cast, "People")
    client.force_login(cast.mentee)
    client.post(url("map_theme", cast), {"theme": "Mentoring", "pillar": first.pk})
    client.post(url("map_theme", cast), {"theme": "Mentoring", "pillar": second.pk})
    assert ThemeMapping.objects.get().pillar == second
    page = client.get(url("integration", cast)).content.decode()
    assert "Mentoring" in page
    assert_nothing_inline(page)


@pytest.mark.parametrize("person", ["mentor", "lead"])
def test_only_the_mentee_maps_their_themes(client, cast, person):
    client.force_login(cast.people()[person])
    response = client.post(url("map_theme", cast), {"theme": "Theirs", "pillar": ""})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        map_theme(
            membership=cast.mentee_membership, by=cast.people()[person], theme="T", pillar=None
        )
    assert not ThemeMapping.objects.exists()


def test_a_mentee_cannot_use_another_programmes_pillar(cast):
    foreign = add_pillar(programme=cast.other_programme, by=cast.other_lead, name="Elsewhere")
    with pytest.raises(IntegrationError):
        map_theme(membership=cast.mentee_membership, by=cast.mentee, theme="T", pillar=foreign)


# --- The alignment matrix and sign-off ----------------------------------------------------


def test_the_matrix_shows_each_mentees_themes_under_the_pillars(client, cast):
    stories = pillar(cast)
    map_theme(
        membership=cast.mentee_membership, by=cast.mentee, theme="Case studies", pillar=stories
    )
    map_theme(membership=cast.mentee_membership, by=cast.mentee, theme="Cycling", pillar=None)
    client.force_login(cast.lead)
    page = client.get(url("strategy", cast)).content.decode()
    assert "Case studies" in page and "Cycling" in page and "Otto Othermentee" in page


def test_a_lead_signs_off_a_mentee_in_integration_who_becomes_operationalised(client, cast):
    into_integration(cast.mentee_membership, cast.lead)
    client.force_login(cast.lead)
    response = client.post(
        url("sign_off", cast, cast.mentee_membership.pk), {"note": "Fits well"}, follow=True
    )
    assert "Signed off Mia Mentee" in response.content.decode()
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.operationalised_at is not None
    transition = PhaseTransition.objects.filter(membership=cast.mentee_membership).last()
    assert (transition.by, transition.note, transition.from_name) == (
        cast.lead,
        "Fits well",
        "Integration",
    )
    assert SignOff.objects.get().phase_name == "Integration"


def test_a_mentee_not_in_a_sign_off_phase_cannot_be_signed_off(cast):
    with pytest.raises(IntegrationError, match="not in a phase that a lead signs off"):
        sign_off(membership=cast.mentee_membership, by=cast.lead)
    assert not SignOff.objects.exists()


@pytest.mark.parametrize(("person", "status"), [("mentor", 403), ("other_lead", 404)])
def test_only_a_lead_of_the_programme_signs_off(client, cast, person, status):
    into_integration(cast.mentee_membership, cast.lead)
    client.force_login(cast.people()[person])
    assert client.post(url("sign_off", cast, cast.mentee_membership.pk)).status_code == status
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Integration"


def test_the_strategy_page_runs_the_same_number_of_queries_for_5_and_50_mentees(client, cast):
    pillars = [pillar(cast, f"Pillar {n}") for n in range(4)]

    def queries(mentees):
        for n in range(mentees):
            membership = make_mentee(cast.programme)
            map_theme(membership=membership, by=membership.user, theme="T", pillar=pillars[n % 4])
        client.force_login(cast.lead)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("strategy", cast)).status_code == 200
        return len(captured)

    assert queries(5) == queries(45)


def test_a_sign_off_note_that_is_too_long_signs_nobody_off_and_says_why(client, cast):
    from programmes.services.progress import advance_phase

    for _ in range(4):
        advance_phase(membership=cast.mentee_membership, by=cast.lead)
    client.force_login(cast.lead)
    url = reverse(
        "playbooks:sign_off",
        kwargs={"slug": cast.programme.slug, "member": cast.mentee_membership.pk},
    )
    response = client.post(url, {"note": "x" * 600}, follow=True)
    assert "Keep the note under 500 characters" in response.content.decode()
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.operationalised_at is None
