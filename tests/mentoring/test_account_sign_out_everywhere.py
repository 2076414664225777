"""Where a person is signed in (allauth.usersessions): the list of their browsers, and
signing out everywhere else, which really ends the other sessions and nobody else's."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from mentoring.templatetags.browsers import browser_label

PASSWORD = "pw-123456!"  # tests/factories.py's
HOME = reverse("mentoring:home")
SESSIONS = reverse("usersessions_list")


def _signed_in(user, browser: str) -> Client:
    client = Client(headers={"user-agent": browser})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "could not sign in"
    assert client.get(HOME).status_code == 200
    return client


def test_a_person_sees_each_browser_they_signed_in_with(cast):
    laptop = _signed_in(cast.mentor, "Laptop Browser/1.0 (Windows NT 10.0) Firefox/133.0")
    _signed_in(cast.mentor, "Phone Browser/2.0")
    _signed_in(cast.mentee, "Someone Else's Browser/3.0")
    html = laptop.get(SESSIONS).content.decode()
    assert "Laptop Browser/1.0" in html and "Phone Browser/2.0" in html
    assert "Firefox on Windows" in html
    assert "Someone Else" not in html
    assert "This browser" in html and "Sign out everywhere else" in html


def test_signing_out_everywhere_else_ends_the_other_sessions_only(cast):
    laptop = _signed_in(cast.mentor, "Laptop Browser/1.0")
    phone = _signed_in(cast.mentor, "Phone Browser/2.0")
    someone_else = _signed_in(cast.mentee, "Someone Else's Browser/3.0")

    response = laptop.post(SESSIONS, follow=True)
    assert "You are signed out everywhere else" in response.content.decode()

    assert phone.get(HOME)["Location"].startswith(reverse("account_login"))
    assert laptop.get(HOME).status_code == 200
    assert someone_else.get(HOME).status_code == 200
    assert UserSession.objects.filter(user=cast.mentor).count() == 1
    html = laptop.get(SESSIONS).content.decode()
    assert "Phone Browser/2.0" not in html
    assert "This is the only browser signed in to your account." in html


def test_the_account_menu_links_to_it(client, cast):
    client.force_login(cast.mentee)
    assert f'href="{SESSIONS}"' in client.get(HOME).content.decode()


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        ("curl/8.5.0", "An unknown browser"),
        ("", "An unknown browser"),
    ],
)
def test_each_browser_is_named_as_a_person_would(user_agent, label):
    assert browser_label(user_agent) == label
