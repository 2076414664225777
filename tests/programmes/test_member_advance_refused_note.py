"""Moving a mentee on by hand with a note the form refuses: nobody moves, and the page
says what was wrong instead of dropping the note."""

from django.urls import reverse

from programmes.models import PhaseTransition


def _advance_url(cast) -> str:
    return reverse(
        "programmes:member_advance",
        kwargs={"slug": cast.programme.slug, "member": cast.mentee_membership.pk},
    )


def test_a_refused_note_moves_nobody_and_the_page_shows_why(client, cast):
    client.force_login(cast.mentor)
    before = PhaseTransition.objects.count()
    response = client.post(_advance_url(cast), {"note": "Ready\x00now"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Null characters are not allowed." in html and "Mia Mentee was not moved on." in html
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"
    assert PhaseTransition.objects.count() == before


def test_a_phase_that_is_not_a_number_moves_nobody(client, cast):
    client.force_login(cast.lead)
    response = client.post(_advance_url(cast), {"note": "Ready", "from_phase": "first"})
    assert response.status_code == 400
    assert "Mia Mentee was not moved on." in response.content.decode()
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"


def test_a_valid_note_still_moves_them_on_and_is_kept(client, cast):
    client.force_login(cast.mentor)
    phase = cast.mentee_membership.current_phase_id
    response = client.post(_advance_url(cast), {"note": "Ready now", "from_phase": phase})
    assert response.status_code == 302
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Workshops"
    assert cast.mentee_membership.transitions.latest("at").note == "Ready now"
