"""The themes-and-pillars page says what it is (Integration) and where it sits (the person's
journey), under the tab that leads to it, not under Activities."""

import re

from django.urls import reverse

from programmes.services.progress import advance_phase

RIGHT = "\N{RIGHT SINGLE QUOTATION MARK}"


def _into_integration(cast):
    membership = cast.mentee_membership
    for _ in range(4):
        membership = advance_phase(membership=membership, by=cast.lead)
    assert membership.current_phase.name == "Integration"
    return membership


def _current_tab(html: str) -> str | None:
    """The programme's tab marked as this page's (not the main menu's section)."""
    tabs = html[html.index('<nav class="tabs"') :]
    found = re.search(r'<li><a href="[^"]*" aria-current="page">([^<]+)</a></li>', tabs)
    return found.group(1) if found else None


def test_the_mentees_page_is_headed_integration_under_their_journey_and_its_own_tab(client, cast):
    _into_integration(cast)
    client.force_login(cast.mentee)
    html = client.get(reverse("playbooks:integration", args=[cast.programme.slug])).content.decode()
    journey = reverse("programmes:my_journey", args=[cast.programme.slug])
    assert (
        f'<p class="eyebrow"><a href="{journey}">My journey</a> '
        '<span aria-hidden="true">/</span> Integration</p>'
    ) in html
    assert f"<h2>Integration: your themes and the business{RIGHT}s pillars</h2>" in html
    assert f"<title>Integration: your themes and the business{RIGHT}s pillars" in html
    assert "a programme lead signs you off into business as usual" in html
    assert _current_tab(html) == "Integration"
    assert ">Activities</a></p>" not in html


def test_a_mentor_reads_it_under_their_partners_journey(client, cast):
    member = _into_integration(cast)
    client.force_login(cast.mentor)
    html = client.get(
        reverse("playbooks:member_integration", args=[cast.programme.slug, member.pk])
    ).content.decode()
    journey = reverse("programmes:member_journey", args=[cast.programme.slug, member.pk])
    assert f'<a href="{journey}">Mia Mentee{RIGHT}s journey</a>' in html
    assert (
        f"<h2>Integration: Mia Mentee{RIGHT}s themes and the business{RIGHT}s pillars</h2>" in html
    )
    assert _current_tab(html) == "Partners"


def test_a_lead_reads_it_under_the_business_strategy_tab(client, cast):
    member = _into_integration(cast)
    client.force_login(cast.lead)
    html = client.get(
        reverse("playbooks:member_integration", args=[cast.programme.slug, member.pk])
    ).content.decode()
    assert _current_tab(html) == "Business strategy"
