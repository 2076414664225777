"""Sign-in limits behind the TLS proxy: counted per client, not per proxy, so a room full of
people signing in at once gets in; failed passwords stay limited per account; and a forged
X-Forwarded-For header buys an attacker nothing.

Every request here reaches the app from the proxy's address, as in production, with the
address the proxy saw appended to X-Forwarded-For. The limits are the real settings'."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

PROXY = "10.0.0.2"  # the TLS proxy, as the app sees every request
OFFICE = "203.0.113.10"  # one shared address: an office, or a workshop's wifi
PASSWORD = "pw-123456!"  # make_user's
_addresses = (f"198.51.{n // 250}.{n % 250 + 1}" for n in itertools.count())


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # as docker-compose.yml sets it


def sign_in(email: str, password: str, *, forwarded_for: str, remote: str = PROXY):
    """One person's sign-in from their own browser, through the proxy."""
    browser = Client()
    response = browser.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response, "_auth_user_id" in browser.session


def refused(response) -> bool:
    return response.status_code == 429 or "Too many failed login attempts" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_a_crowd_signing_in_at_once_through_one_proxy_gets_in():
    """More sign-ins, and more wrong passwords, than one address is allowed: were they
    counted on the proxy's address, the last ones would be locked out."""
    people = [make_user() for _ in range(210)]
    for n, person in enumerate(people):
        address = next(_addresses)
        if n % 2:  # half of them mistype first: 105 failures
            response, signed_in = sign_in(person.email, "typo", forwarded_for=address)
            assert not signed_in and not refused(response), n
        response, signed_in = sign_in(person.email, PASSWORD, forwarded_for=address)
        assert signed_in, n


@pytest.mark.django_db
def test_a_workshop_of_60_behind_one_office_address_signs_in():
    """Sixty people in one room, one address, all within a minute; one in four mistypes
    their password first, and a few forget it twice."""
    people = [make_user() for _ in range(60)]
    for n, person in enumerate(people):
        for _ in range((n % 4 == 0) + (n % 15 == 0)):
            response, signed_in = sign_in(person.email, "typo", forwarded_for=OFFICE)
            assert not signed_in and not refused(response), n
        response, signed_in = sign_in(person.email, PASSWORD, forwarded_for=OFFICE)
        assert signed_in, n


@pytest.mark.django_db
def test_an_account_under_attack_is_refused_after_five_wrong_passwords_from_anywhere():
    victim, colleague = make_user(), make_user()
    for _ in range(5):  # each guess from another address: per account, the address is moot
        response, _ = sign_in(victim.email, "guess", forwarded_for=next(_addresses))
        assert not refused(response)
    response, signed_in = sign_in(victim.email, "guess", forwarded_for=next(_addresses))
    assert refused(response) and not signed_in
    # Not even the right password gets in now, from the attacker's address or the victim's.
    response, signed_in = sign_in(victim.email, PASSWORD, forwarded_for=OFFICE)
    assert refused(response) and not signed_in
    # Everyone else, at the same address, still signs in.
    assert sign_in(colleague.email, PASSWORD, forwarded_for=OFFICE)[1]


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_refused_whatever_it_forwards():
    """Credential stuffing: one wrong password for each of many accounts, from one address.
    Prepending made-up addresses to X-Forwarded-For does not make it many clients: the
    app reads the one the proxy appended."""
    accounts = [make_user() for _ in range(101)]
    attacker = "192.0.2.66"
    for n, account in enumerate(accounts):
        forged = f"{next(_addresses)}, {attacker}"
        response, _ = sign_in(account.email, "guess", forwarded_for=forged)
        assert refused(response) == (n == 100), n  # 100 failures in ten minutes per address
    # Another client of the proxy is not held back by it.
    assert sign_in(make_user().email, PASSWORD, forwarded_for=next(_addresses))[1]


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_is_ignored(settings):
    """Served directly (TRUSTED_PROXY_COUNT=0, the default), the header is anyone's to
    write: the limits count the connection's own address, whatever it claims."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    attacker = "192.0.2.66"
    for n, account in enumerate([make_user() for _ in range(101)]):
        response, _ = sign_in(
            account.email, "guess", remote=attacker, forwarded_for=next(_addresses)
        )
        assert refused(response) == (n == 100), n


# --- The admin --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_signs_in_through_the_rate_limited_sign_in():
    staff = make_user()
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    browser = Client()
    admin_login = reverse("admin:login")
    response = browser.get(admin_login)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    # Its own form takes no password: nothing there escapes the limits.
    browser.post(admin_login, {"username": staff.email, "password": PASSWORD})
    assert "_auth_user_id" not in browser.session
    response = browser.post(
        reverse("account_login") + f"?next={reverse('admin:index')}",
        {"login": staff.email, "password": PASSWORD},
    )
    assert response.url == reverse("admin:index")
    assert browser.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_a_signed_in_person_who_is_not_staff_is_refused_the_admin(client):
    client.force_login(make_user())
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
