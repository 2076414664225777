"""The CSV import takes a role in the programme's own word ("partner", as the invite form
offers it), in any case, singular or plural; the import's messages and the People page use
that word too."""

import pytest
from django.urls import reverse

from programmes.models import Invitation, Role
from programmes.services.invitation import import_invitations, role_words

BASE = "http://testserver/"
HEADER = "name,email,role,mentor_email\n"


def _import(cast, text: str):
    return import_invitations(programme=cast.programme, by=cast.lead, text=text, base_url=BASE)


def _roles() -> dict[str, str]:
    return dict(Invitation.objects.values_list("email", "role"))


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("partner", Role.MENTEE),
        ("Partner", Role.MENTEE),
        ("PARTNERS", Role.MENTEE),
        ("  partner ", Role.MENTEE),
        ("mentee", Role.MENTEE),
        ("Mentees", Role.MENTEE),
        ("Mentor", Role.MENTOR),
        ("mentors", Role.MENTOR),
        ("Lead", Role.LEAD),
        ("Programme lead", Role.LEAD),
        ("programme  leads", Role.LEAD),
    ],
)
def test_the_import_takes_each_roles_word_in_any_case_singular_or_plural(cast, written, role):
    report = _import(cast, HEADER + f"Nia New,nia@example.org,{written},\n")
    assert report.ok, report.errors
    assert _roles() == {"nia@example.org": role}


def test_a_file_written_in_the_programmes_words_invites_everyone_and_pairs_by_mentor(cast):
    text = HEADER + (
        "New Mentor,nm@example.org,Mentors,\n"
        "Pat Partner,pat@example.org,Partner,nm@example.org\n"
        "Paz Partner,paz@example.org,partners,\n"
    )
    report = _import(cast, text)
    assert report.ok, report.errors
    assert _roles() == {
        "nm@example.org": Role.MENTOR,
        "pat@example.org": Role.MENTEE,
        "paz@example.org": Role.MENTEE,
    }
    assert Invitation.objects.get(email="pat@example.org").mentor_email == "nm@example.org"


def test_another_programmes_word_is_taken_and_partner_is_then_not_a_role(cast):
    cast.programme.mentee_label = "coachee"
    cast.programme.save(update_fields=["mentee_label"])
    assert _import(cast, HEADER + "Cy Coachee,cy@example.org,Coachees,\n").ok
    report = _import(cast, HEADER + "Pat Partner,pat@example.org,partner,\n")
    assert report.errors == [(2, "“partner” is not a role (use lead, mentor or coachee)")]
    assert _roles() == {"cy@example.org": Role.MENTEE}


def test_a_person_in_the_file_twice_under_two_words_for_one_role_is_caught(cast):
    text = HEADER + "Pat,pat@example.org,mentee,\nPat again,pat@example.org,Partner,\n"
    report = _import(cast, text)
    assert report.errors == [(3, "pat@example.org is in the file twice as partner (line 2)")]
    assert not Invitation.objects.exists()


def test_the_imports_refusals_name_a_mentee_in_the_programmes_word(cast):
    report = _import(
        cast,
        HEADER
        + "Mia,mentee@example.org,partner,\n"
        + "Mo,mentor@example.org,mentor,\n"
        + "Tess,tess@example.org,lead,mentor@example.org\n",
    )
    assert report.errors == [
        (2, "mentee@example.org is already a partner in this programme"),
        (3, "mentor@example.org is already a mentor in this programme"),
        (4, "only a partner can be given a mentor"),
    ]


@pytest.mark.parametrize(
    ("label", "plural"),
    [("partner", "partners"), ("coach", "coaches"), ("buddy", "buddies"), ("boss", "bosses")],
)
def test_the_programmes_word_is_taken_in_its_plural(label, plural):
    words = role_words(label)
    assert words[label] == words[plural] == Role.MENTEE


def test_the_people_page_tells_the_lead_which_words_the_role_column_takes(client, cast):
    client.force_login(cast.lead)
    html = client.get(reverse("programmes:people", args=[cast.programme.slug])).content.decode()
    assert (
        "write <strong>lead</strong>, <strong>mentor</strong> or <strong>partner</strong>" in html
    )
    assert "For a partner: pair them with this mentor when they accept." in html
    assert "role (lead, mentor or mentee)" not in html


def test_the_programmes_word_is_escaped_wherever_a_form_names_it(client, cast):
    cast.programme.mentee_label = '<img src=x onerror="alert(1)">'
    cast.programme.save(update_fields=["mentee_label"])
    client.force_login(cast.lead)
    html = client.get(reverse("programmes:people", args=[cast.programme.slug])).content.decode()
    assert "For a &lt;img src=x" in html  # the invitation form's help, as text
    assert "<img src=x" not in html
