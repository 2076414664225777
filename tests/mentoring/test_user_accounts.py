"""Accounts: email is the login, verification is mandatory in production, 2FA is on offer."""

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.models import User


@pytest.mark.django_db
def test_a_person_signs_up_with_their_email_and_must_verify_it_before_signing_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "name": "  New Person ",
            "email": "New.Person@Example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.person@example.org"
    assert user.name == "New Person"
    assert not user.emailaddress_set.get().verified
    # Until they follow the link in their email, signing in only resends it.
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "new.person@example.org", "password": "a-long-pass-phrase"},
    )
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signing_up_with_a_taken_email_reveals_nothing_and_tells_the_owner(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "name": "Someone Else",
                "email": cast.mentee.email,
                "password1": "a-long-pass-phrase",
                "password2": "a-long-pass-phrase",
            },
        )
    # The same answer as for a new address, so nobody can probe who has an account...
    assert response.status_code == 302
    assert User.objects.filter(email=cast.mentee.email).count() == 1
    # ...while the owner hears that someone tried.
    assert mail.outbox[0].to == [cast.mentee.email]
    assert "already" in mail.outbox[0].body


def test_a_verified_person_signs_in_with_email_and_password(client, cast):
    response = client.post(
        reverse("account_login"), {"login": cast.mentee.email, "password": "pw-123456!"}
    )
    assert response.status_code == 302
    assert response.url == reverse("mentoring:home")


def test_a_wrong_password_gets_a_clear_message(client, cast):
    response = client.post(
        reverse("account_login"), {"login": cast.mentee.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_two_factor_authentication_can_be_set_up_with_an_authenticator_app(client, cast):
    client.force_login(cast.mentee)
    # Changing how one signs in always asks for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": "pw-123456!"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Authenticator" in html
    assert 'name="code"' in html


def test_setting_up_two_factor_asks_for_the_password_again_first(client, cast):
    client.force_login(cast.mentee)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_repeated_failed_sign_ins_are_rate_limited_even_for_the_right_password(client, cast):
    for _ in range(12):
        response = client.post(
            reverse("account_login"), {"login": cast.mentee.email, "password": "bad"}
        )
    assert "Too many failed login attempts" in response.content.decode()
    response = client.post(
        reverse("account_login"), {"login": cast.mentee.email, "password": "pw-123456!"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
