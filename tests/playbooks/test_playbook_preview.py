"""The list of a playbook's sections previews each one's Markdown as formatted, sanitised
text: no `**` or `#` on show, nothing that can run, and only the first words."""

import pytest
from django.urls import reverse

from playbooks.models import Section
from playbooks.services.playbook import save_section

pytestmark = pytest.mark.django_db

BODY = (
    "## Why\n\nI want our work on **inclusive design** to be seen.\n\n"
    "- Product leaders\n- New designers <script>alert(1)</script>\n\n"
    + " ".join(f"word{n}" for n in range(40))
)


def written(cast) -> Section:
    section = (
        Section.objects.filter(playbook__membership=cast.mentee_membership)
        .order_by("template_section__position")
        .first()
    )
    assert section is not None
    return save_section(section=section, by=cast.mentee, body=BODY, version=section.version)


@pytest.mark.parametrize("who", ["mentee", "mentor", "lead"])
def test_a_section_preview_shows_formatted_text_not_markdown_symbols(client, cast, who):
    written(cast)
    client.force_login(cast.people()[who])
    slug, member = cast.programme.slug, cast.mentee_membership.pk
    page = (
        reverse("playbooks:playbook", args=[slug])
        if who == "mentee"
        else reverse("playbooks:member_playbook", args=[slug, member])
    )
    html = client.get(page).content.decode()
    preview = html[html.index('<div class="playbook-preview">') :]
    preview = preview[: preview.index("</div>")]
    assert "<strong>inclusive design</strong>" in preview
    assert "**" not in preview and "## " not in preview
    assert "<li>Product leaders</li>" in preview
    assert "<script" not in preview and "&lt;script&gt;" in preview
    assert "word0" in preview and "word39" not in preview and preview.endswith(" …</p>")
