"""Sessions end after a while without a page opened, and in any case some days after
signing in; the sign-in page says why. Activity keeps a session alive without saving it on
every request."""

import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import session_timeout

HOME = reverse("mentoring:home")


def _at(monkeypatch, moment: float) -> None:
    monkeypatch.setattr(session_timeout, "time", SimpleNamespace(time=lambda: moment))


def _session_writes(client, url: str = HOME) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
        for q in queries.captured_queries
    )


@pytest.fixture
def signed_in(client, cast, monkeypatch):
    start = time.time()
    _at(monkeypatch, start)
    client.force_login(cast.mentee)
    assert client.get(HOME).status_code == 200
    return start


def test_a_session_left_idle_too_long_is_signed_out_and_told_why(client, signed_in, monkeypatch):
    _at(monkeypatch, signed_in + settings.SESSION_IDLE_MINUTES * 60 + 1)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 24 hours without activity." in page
    assert client.get(HOME)["Location"].startswith(reverse("account_login"))


def test_opening_pages_keeps_a_session_alive(client, signed_in, monkeypatch):
    idle = settings.SESSION_IDLE_MINUTES * 60
    _at(monkeypatch, signed_in + idle - 60)
    assert client.get(HOME).status_code == 200
    _at(monkeypatch, signed_in + 2 * idle - 120)
    assert client.get(HOME).status_code == 200


def test_the_session_is_saved_once_every_few_minutes_not_on_every_page(
    client, signed_in, monkeypatch
):
    assert _session_writes(client) == 0
    _at(monkeypatch, signed_in + session_timeout.LONGEST_REFRESH_SECONDS - 5)
    assert _session_writes(client) == 0
    _at(monkeypatch, signed_in + session_timeout.LONGEST_REFRESH_SECONDS + 1)
    assert _session_writes(client) == 1
    assert _session_writes(client) == 0


def test_a_sign_in_ends_after_the_longest_it_may_last_however_active(
    client, signed_in, monkeypatch
):
    session = client.session
    now = time.time()
    session[session_timeout.SESSION_SEEN] = [int(now - settings.SESSION_COOKIE_AGE - 10), int(now)]
    session.save()
    _at(monkeypatch, now)
    response = client.get(HOME, follow=True)
    assert "a sign-in lasts at most 14 days" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_the_idle_limit_comes_from_the_settings(client, signed_in, monkeypatch, settings):
    settings.SESSION_IDLE_MINUTES = 30
    _at(monkeypatch, signed_in + 29 * 60)
    assert client.get(HOME).status_code == 200
    _at(monkeypatch, signed_in + 29 * 60 + 31 * 60)
    response = client.get(HOME, follow=True)
    assert "You were signed out after 30 minutes without activity." in response.content.decode()


def test_no_idle_limit_when_it_is_set_to_zero(client, signed_in, monkeypatch, settings):
    settings.SESSION_IDLE_MINUTES = 0
    _at(monkeypatch, signed_in + 10 * 24 * 60 * 60)
    assert client.get(HOME).status_code == 200
