"""Each person keeps their own name and time zone."""

import pytest
from django.urls import reverse

PROFILE = reverse("mentoring:profile")


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_person_changes_their_name_and_time_zone(client, cast):
    client.force_login(cast.mentee)
    response = client.post(PROFILE, {"name": "Mia M. Mentee", "time_zone": "America/New_York"})
    assert response.status_code == 302
    cast.mentee.refresh_from_db()
    assert (cast.mentee.name, cast.mentee.time_zone) == ("Mia M. Mentee", "America/New_York")
    assert "Your profile is saved" in client.get(PROFILE).content.decode()


def test_a_blank_name_or_unknown_time_zone_is_refused_and_nothing_changes(client, cast):
    client.force_login(cast.mentee)
    response = client.post(PROFILE, {"name": "   ", "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please give the name people know you by" in html
    assert "Select a valid choice" in html
    cast.mentee.refresh_from_db()
    assert cast.mentee.name == "Mia Mentee"


def test_the_profile_only_ever_edits_the_signed_in_person(client, cast):
    client.force_login(cast.mentee)
    client.post(PROFILE, {"name": "Changed", "time_zone": "UTC", "email": cast.lead.email})
    cast.lead.refresh_from_db()
    assert cast.lead.name == "Lena Lead"
    cast.mentee.refresh_from_db()
    assert cast.mentee.email == "mentee@example.org"
