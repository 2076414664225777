"""On a narrow screen the header hides the links to each role's part of the home ("My
journey", "My partners", "Leading"); the account menu carries them there instead."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.mentoring.test_home_pages import home_html


def _menu_sections(html: str) -> list[tuple[str, str]]:
    found = re.search(r'<ul class="user-menu__links user-menu__sections">(.*?)</ul>', html, re.S)
    assert found, "no role links in the account menu"
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', found.group(1))


def test_the_account_menu_links_to_each_role_the_person_holds(client, cast):
    home = reverse("mentoring:home")
    assert _menu_sections(home_html(client, cast.mentee)) == [(f"{home}#journey", "My journey")]
    assert _menu_sections(home_html(client, cast.mentor)) == [(f"{home}#mentoring", "My partners")]
    assert _menu_sections(home_html(client, cast.lead)) == [(f"{home}#leading", "Leading")]


def test_the_menu_copy_shows_only_where_the_header_hides_its_links():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    narrow = css.index("@media (max-width: 760px)")
    assert ".user-menu__sections { display: none; }" in css[:narrow]
    rules = css[narrow:].split("\n}", 1)[0]
    assert ".main-nav__links li.role-link { display: none; }" in rules
    assert ".user-menu__sections { display: block; }" in rules
