"""Changing an email address or two-factor asks for the password again, unless it was given
in the last few minutes: an open session alone is not enough."""

import time
from types import SimpleNamespace

import pytest
from allauth.account.internal.flows import reauthentication
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.urls import reverse

from tests.factories import make_user

PASSWORD = "pw-123456!"  # tests/factories.py's
REAUTHENTICATE = reverse("account_reauthenticate")


@pytest.fixture
def person(db):
    return make_user("Rae Reauth", "rae@example.org")


def _sign_in_again(client) -> None:
    assert client.post(REAUTHENTICATE, {"password": PASSWORD}).status_code == 302


def _later(monkeypatch) -> None:
    """The clock allauth reads moves past the window of the last password."""
    later = time.time() + settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1
    monkeypatch.setattr(reauthentication, "time", SimpleNamespace(time=lambda: later))


def test_adding_an_email_address_asks_for_the_password_first(client, person, monkeypatch):
    client.force_login(person)
    add = {"email": "rae.new@example.org", "action_add": ""}
    response = client.post(reverse("account_email"), add)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert not EmailAddress.objects.filter(email="rae.new@example.org").exists()

    wrong = client.post(REAUTHENTICATE, {"password": "not-the-password"})
    assert wrong.status_code == 200
    assert not EmailAddress.objects.filter(email="rae.new@example.org").exists()

    _sign_in_again(client)
    assert client.post(reverse("account_email"), add).status_code == 302
    assert EmailAddress.objects.filter(user=person, email="rae.new@example.org").exists()

    _later(monkeypatch)
    again = client.post(
        reverse("account_email"), {"email": "rae.third@example.org", "action_add": ""}
    )
    assert again["Location"].startswith(REAUTHENTICATE)
    assert not EmailAddress.objects.filter(email="rae.third@example.org").exists()


def test_making_another_address_primary_asks_for_the_password_first(client, person):
    EmailAddress.objects.create(user=person, email="rae.work@example.org", verified=True)
    client.force_login(person)
    response = client.post(
        reverse("account_email"), {"email": "rae.work@example.org", "action_primary": ""}
    )
    assert response["Location"].startswith(REAUTHENTICATE)
    person.refresh_from_db()
    assert person.email == "rae@example.org"


def test_setting_up_two_factor_asks_for_the_password_first(client, person, monkeypatch):
    client.force_login(person)
    setup = reverse("mfa_activate_totp")
    assert client.get(setup)["Location"].startswith(REAUTHENTICATE)
    _sign_in_again(client)
    assert client.get(setup).status_code == 200
    _later(monkeypatch)
    assert client.get(setup)["Location"].startswith(REAUTHENTICATE)


def test_removing_two_factor_asks_for_the_password_first(client, person):
    TOTP.activate(person, generate_totp_secret())
    client.force_login(person)
    remove = reverse("mfa_deactivate_totp")
    response = client.post(remove)
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert Authenticator.objects.filter(user=person, type="totp").exists()
    _sign_in_again(client)
    assert client.post(remove).status_code == 302
    assert not Authenticator.objects.filter(user=person, type="totp").exists()
