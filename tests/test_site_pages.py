"""The page shell: private by default, a strict CSP everywhere, nothing inline."""

import re

import pytest
from django.urls import reverse

PUBLIC_PAGES = [
    ("account_login", 200),
    ("account_signup", 200),
    ("account_reset_password", 200),
    ("account_request_login_code", 200),
    # A failed social sign-in explains itself to someone not signed in (allauth says 401).
    ("socialaccount_login_error", 401),
    ("socialaccount_login_cancelled", 200),
]
PRIVATE_PAGES = [
    "mentoring:home",
    "mentoring:profile",
    "mentoring:notifications",
    "mentoring:notification_settings",
    "account_email",
    "account_change_password",
    "mfa_index",
]


def assert_strict_csp(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in policy.split(";") if part.strip()
    )
    assert "script-src" in directives, policy
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("style-src", "")
    assert directives.get("frame-ancestors") == "'none'"


def assert_nothing_inline(html: str) -> None:
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.django_db
@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_private_pages_send_an_anonymous_visitor_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "status"), PUBLIC_PAGES)
def test_sign_in_pages_are_public_and_carry_a_strict_csp(client, name, status):
    response = client.get(reverse(name))
    assert response.status_code == status
    assert_strict_csp(response)
    assert_nothing_inline(response.content.decode())


@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_every_signed_in_page_carries_a_strict_csp_and_nothing_inline(client, cast, name):
    client.force_login(cast.mentee)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_strict_csp(response)
    assert_nothing_inline(response.content.decode())


@pytest.mark.django_db
def test_the_health_check_is_public_and_reaches_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_page_shell_has_a_skip_link_landmarks_and_the_roles_held(client, cast):
    client.force_login(cast.lead)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<header" in html and "<main" in html and "<footer" in html
    assert 'aria-label="Main"' in html
    assert ">Leading<" in html
    assert ">My journey<" not in html


def test_navigation_offers_only_the_roles_a_person_holds(client, cast):
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert ">My journey<" in html
    assert ">Leading<" not in html and ">My partners<" not in html


def test_sign_out_is_a_post_form_not_a_link(client, cast):
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert re.search(r'<form method="post" action="{}"'.format(reverse("account_logout")), html)
