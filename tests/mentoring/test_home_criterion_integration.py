"""In Integration, the mentee's home says how far their themes are mapped onto the business's
pillars, and its button goes straight to that page."""

from django.urls import reverse

from mentoring.selectors.criterion import criterion_progress
from playbooks.services.integration import add_pillar, map_theme
from programmes.services.progress import advance_phase
from tests.mentoring.test_home_pace import home_html


def _into_integration(cast):
    membership = cast.mentee_membership
    for _ in range(4):
        membership = advance_phase(membership=membership, by=cast.lead)
    assert membership.current_phase.name == "Integration"
    return membership


def test_before_any_theme_is_mapped_the_home_says_so_and_links_to_the_themes_page(client, cast):
    mentee = _into_integration(cast)
    progress = criterion_progress(mentee)
    assert progress is not None and progress.step == "Map your themes"
    assert progress.summary.startswith("No themes mapped yet")
    html = home_html(client, cast.mentee)
    themes = reverse("playbooks:integration", args=[cast.programme.slug])
    assert f'<a class="button" href="{themes}">Map your themes</a>' in html


def test_the_home_counts_the_mapped_themes_and_those_still_without_a_pillar(client, cast):
    mentee = _into_integration(cast)
    trust = add_pillar(programme=cast.programme, by=cast.lead, name="Customer trust")
    map_theme(membership=mentee, by=cast.mentee, theme="Designing with users", pillar=trust)
    map_theme(membership=mentee, by=cast.mentee, theme="Failing well", pillar=None)
    progress = criterion_progress(mentee)
    assert progress is not None
    assert progress.summary == (
        "2 themes mapped onto the business's pillars, 1 with no pillar yet. "
        "A lead signs this phase off once your strategy fits."
    )
    html = home_html(client, cast.mentee)
    themes = reverse("playbooks:integration", args=[cast.programme.slug])
    assert f'<a class="button" href="{themes}">Your themes and the pillars</a>' in html
    assert "2 themes mapped onto the business&#x27;s pillars, 1 with no pillar yet." in html
