"""A programme that requires two-factor: its leads switch it on, its leads and mentors who
have no authenticator app are sent to set one up, mentees never are, and the pages needed
to set it up (or to leave) stay open."""

from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import two_factor
from programmes.models import AuditAction, AuditEntry
from tests.factories import make_mentor, make_programme, make_user

PASSWORD = "pw-123456!"  # tests/factories.py's
REQUIRED_PAGE = reverse("mentoring:two_factor_required")


@pytest.fixture
def required(cast):
    cast.programme.require_two_factor = True
    cast.programme.save(update_fields=["require_two_factor"])
    return cast


def _settings(cast, **changes) -> dict:
    programme = cast.programme
    data = {
        "name": programme.name,
        "description": programme.description,
        "status": programme.status,
        "starts_on": "",
        "ends_on": "",
        "mentee_label": programme.mentee_label,
    }
    return data | changes


def test_a_lead_requires_two_factor_on_the_settings_page_and_the_trail_records_it(client, cast):
    url = reverse("programmes:edit", kwargs={"slug": cast.programme.slug})
    client.force_login(cast.lead)
    html = client.get(url).content.decode()
    assert 'name="require_two_factor"' in html
    assert "Require two-factor for leads and mentors" in html

    assert client.post(url, _settings(cast, require_two_factor="on")).status_code == 302
    cast.programme.refresh_from_db()
    assert cast.programme.require_two_factor
    # Saving again with it still on records nothing more.
    client.post(url, _settings(cast, require_two_factor="on", name="Renamed"))
    client.post(url, _settings(cast))
    cast.programme.refresh_from_db()
    assert not cast.programme.require_two_factor

    trail = AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_RULE).order_by("at", "pk")
    assert [(e.actor, e.summary) for e in trail] == [
        (cast.lead, "Required two-factor authentication for leads and mentors"),
        (cast.lead, "Stopped requiring two-factor authentication for leads and mentors"),
    ]


def test_a_mentor_cannot_switch_the_rule(client, cast):
    url = reverse("programmes:edit", kwargs={"slug": cast.programme.slug})
    client.force_login(cast.mentor)
    assert client.post(url, _settings(cast, require_two_factor="on")).status_code == 403
    cast.programme.refresh_from_db()
    assert not cast.programme.require_two_factor
    assert not AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_RULE).exists()


@pytest.mark.parametrize("who", ["lead", "mentor", "other_mentor"])
def test_leads_and_mentors_without_an_app_are_sent_to_set_it_up(client, required, who):
    client.force_login(getattr(required, who))
    for url in (
        reverse("mentoring:home"),
        reverse("programmes:detail", kwargs={"slug": required.programme.slug}),
        reverse("programmes:list"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == REQUIRED_PAGE
    page = client.get(REQUIRED_PAGE).content.decode()
    assert "Set up two-factor authentication to carry on" in page
    assert required.programme.name in page
    assert reverse("mfa_activate_totp") in page


@pytest.mark.parametrize("who", ["mentee", "other_mentee", "other_lead"])
def test_mentees_and_people_of_other_programmes_are_never_asked(client, required, who):
    client.force_login(getattr(required, who))
    assert client.get(reverse("mentoring:home")).status_code == 200
    page = client.get(REQUIRED_PAGE).content.decode()
    assert "None of your programmes requires two-factor authentication" in page


def test_a_mentee_who_mentors_elsewhere_is_asked_only_for_the_mentor_role(client, required):
    """The rule follows the role: a mentee in this programme who mentors in another that
    does not require it is not asked."""
    elsewhere = make_programme(make_user("Eli Elsewhere"), name="Elsewhere")
    make_mentor(elsewhere, user=required.mentee)
    client.force_login(required.mentee)
    assert client.get(reverse("mentoring:home")).status_code == 200


def test_the_pages_to_set_it_up_or_leave_stay_open(client, required):
    client.force_login(required.mentor)
    for name in ("mfa_index", "account_email", "account_change_password", "usersessions_list"):
        assert client.get(reverse(name)).status_code == 200, name
    # Setting up asks for the password first; it is not sent back to the notice.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(reverse("mentoring:account_data")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")


def test_setting_up_the_app_opens_the_pages_at_once(client, required):
    client.force_login(required.mentor)
    assert client.get(reverse("mentoring:home"))["Location"] == REQUIRED_PAGE
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    assert client.post(reverse("mfa_activate_totp"), {"code": code}).status_code == 302
    assert Authenticator.objects.filter(user=required.mentor, type="totp").exists()
    assert client.get(reverse("mentoring:home")).status_code == 200
    page = client.get(REQUIRED_PAGE).content.decode()
    assert "Two-factor authentication is on for your account" in page


def test_an_htmx_request_is_told_where_to_go(client, required):
    client.force_login(required.lead)
    response = client.get(reverse("mentoring:home"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == REQUIRED_PAGE


def test_removing_the_app_is_refused_while_a_programme_requires_it(client, required):
    TOTP.activate(required.mentor, generate_totp_secret())
    client.force_login(required.mentor)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200
    assert "requires two-factor authentication, so it stays on" in response.content.decode()
    assert Authenticator.objects.filter(user=required.mentor, type="totp").exists()


def test_without_the_rule_the_app_can_be_removed(client, cast):
    TOTP.activate(cast.mentor, generate_totp_secret())
    client.force_login(cast.mentor)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=cast.mentor, type="totp").exists()


def _authenticator_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("mfa_authenticator" in q["sql"] for q in queries.captured_queries)


def test_the_answer_is_kept_from_sign_in_and_rechecked_with_one_query(client, cast, monkeypatch):
    with CaptureQueriesContext(connection) as at_sign_in:
        client.force_login(cast.mentor)
    assert sum("mfa_authenticator" in q["sql"] for q in at_sign_in.captured_queries) == 1
    home = reverse("mentoring:home")
    assert _authenticator_queries(client, home) == 0
    assert _authenticator_queries(client, home) == 0
    later = two_factor.time.time() + two_factor.RECHECK_SECONDS + 1
    monkeypatch.setattr(two_factor, "time", SimpleNamespace(time=lambda: later))
    assert _authenticator_queries(client, home) == 1
    assert _authenticator_queries(client, home) == 0


def test_people_already_signed_in_are_asked_once_the_kept_answer_is_old(client, cast, monkeypatch):
    client.force_login(cast.mentor)
    home = reverse("mentoring:home")
    assert client.get(home).status_code == 200
    cast.programme.require_two_factor = True
    cast.programme.save(update_fields=["require_two_factor"])
    assert client.get(home).status_code == 200  # the kept answer, for a few minutes
    later = two_factor.time.time() + two_factor.RECHECK_SECONDS + 1
    monkeypatch.setattr(two_factor, "time", SimpleNamespace(time=lambda: later))
    assert client.get(home)["Location"] == REQUIRED_PAGE
