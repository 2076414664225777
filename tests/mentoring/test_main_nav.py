"""The main menu marks the section a page belongs to: a mentee's journey sits under "My
journey" (where that link leads), not under "Programmes", though its address is there."""

import re

import pytest
from django.urls import reverse


def _current(html: str) -> list[str]:
    menu = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</ul>', html, re.S)
    assert menu
    return re.findall(r'aria-current="page">([^<]+)</a>', menu.group(1))


@pytest.mark.parametrize(
    ("who", "page", "current"),
    [
        ("mentee", "programmes:my_journey", ["My journey"]),
        ("mentee", "programmes:workshops", ["Programmes"]),
        ("mentor", "programmes:workshops", ["Programmes"]),
        # Pages of a programme that other apps serve belong to it too.
        ("lead", "mentoring:dashboard", ["Programmes"]),
        ("lead", "mentoring:pairings", ["Programmes"]),
        ("mentee", "playbooks:playbook", ["Programmes"]),
        ("mentee", "mentoring:home", ["Home"]),
        ("mentee", "mentoring:notifications", []),
    ],
)
def test_the_main_menu_marks_the_section_the_page_belongs_to(client, cast, who, page, current):
    client.force_login(getattr(cast, who))
    args = [cast.programme.slug] if page != "mentoring:home" and "notifications" not in page else []
    response = client.get(reverse(page, args=args))
    assert response.status_code == 200
    assert _current(response.content.decode()) == current
