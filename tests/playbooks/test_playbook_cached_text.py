"""The playbook pages remember rendered Markdown by the text itself
(playbooks.selectors.playbook.markdown_html and preview_html): an edit shows at once, and a
mentee's own section is found without visible_to's joins but never anyone else's."""

import pytest
from django.urls import reverse

from playbooks.models import Section, TemplateSection
from playbooks.selectors.playbook import markdown_html, preview_html
from playbooks.services.playbook import save_section
from tests.factories import make_mentee, make_user

pytestmark = pytest.mark.django_db


def _first(membership) -> Section:
    found = (
        Section.objects.filter(playbook__membership=membership)
        .select_related("template_section", "playbook__membership__programme")
        .order_by("template_section__position")
        .first()
    )
    assert found is not None
    return found


def _page(client, name, cast, *args) -> str:
    response = client.get(reverse(f"playbooks:{name}", args=[cast.programme.slug, *args]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_edited_section_shows_its_new_text_on_both_pages_at_once(client, cast):
    section = _first(cast.mentee_membership)
    client.force_login(cast.mentee)
    for body in ("First **draft**.", "Second *thoughts*.", "First **draft**."):
        section.refresh_from_db()
        save_section(section=section, by=cast.mentee, body=body, version=section.version)
        listing = _page(client, "playbook", cast)
        own = _page(client, "section", cast, section.pk)
        expected = "<strong>draft</strong>" if "draft" in body else "<em>thoughts</em>"
        stale = "<em>thoughts</em>" if "draft" in body else "<strong>draft</strong>"
        assert expected in listing and stale not in listing
        assert client.get(section.get_absolute_url()).status_code == 200
        # The editor holds the text; a reader of the section sees it rendered.
        client.force_login(cast.mentor)
        read = _page(client, "section", cast, section.pk)
        assert expected in read and stale not in read
        client.force_login(cast.mentee)
        assert body in own


def test_edited_guidance_shows_at_once(client, cast):
    section = _first(cast.mentee_membership)
    client.force_login(cast.mentee)
    for guidance in ("Say **why**.", "Say *how*."):
        TemplateSection.objects.filter(pk=section.template_section_id).update(guidance=guidance)
        page = _page(client, "section", cast, section.pk)
        assert str(markdown_html(guidance)) in page
    assert "<strong>why</strong>" not in page


def test_the_cached_renderings_are_the_plain_ones():
    from django.template.defaultfilters import truncatewords_html

    from playbooks.markdown import render_markdown

    text = "## Heading\n\n" + " ".join(f"word{n}" for n in range(60)) + " <script>x</script>"
    assert markdown_html(text) == render_markdown(text)
    assert preview_html(text) == truncatewords_html(render_markdown(text), 30)
    assert "<script>" not in markdown_html(text)


def test_a_mentee_reaches_only_their_own_section_through_the_quick_path(client, cast):
    theirs = _first(cast.programme.memberships.get(user=cast.other_mentee))
    client.force_login(cast.mentee)
    url = reverse("playbooks:section", args=[cast.programme.slug, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "x", "version": theirs.version}).status_code == 404
    elsewhere = make_mentee(cast.other_programme, user=make_user("Eve Else", "eve@example.org"))
    other_url = reverse("playbooks:section", args=[cast.programme.slug, _first(elsewhere).pk])
    assert client.get(other_url).status_code == 404
    mine = _first(cast.mentee_membership)
    assert (
        client.get(reverse("playbooks:section", args=[cast.programme.slug, mine.pk])).status_code
        == 200
    )
    # Their own section, addressed through another programme's slug, is not found there.
    assert (
        client.get(
            reverse("playbooks:section", args=[cast.other_programme.slug, mine.pk])
        ).status_code
        == 404
    )
