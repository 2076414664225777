"""Invitations: one at a time, from a CSV checked whole, resent, revoked, accepted once."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import OutboundEmail
from programmes.models import (
    Invitation,
    Membership,
    Notification,
    NotificationKind,
    Pairing,
    Role,
)
from programmes.services.invitation import (
    InvitationError,
    import_invitations,
    invite,
    make_token,
    revoke_invitation,
)
from tests.factories import make_mentee, make_mentor, make_programme, make_user

BASE = "http://testserver/"


def _invite(cast, **overrides) -> Invitation:
    fields = {"name": "Nia New", "email": "nia@example.org", "role": Role.MENTEE}
    return invite(programme=cast.programme, by=cast.lead, base_url=BASE, **{**fields, **overrides})


def _link(invitation) -> str:
    return reverse("programmes:invitation", kwargs={"token": make_token(invitation)})


# --- Inviting one person -------------------------------------------------------------------


def test_a_lead_invites_someone_and_they_get_an_email_with_their_link(
    client, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programmes:invite", kwargs={"slug": cast.programme.slug}),
            {"name": "Nia New", "email": "Nia@Example.org", "role": "mentee"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nia@example.org" and invitation.send_count == 1
    assert mail.outbox[0].to == ["nia@example.org"]
    assert mail.outbox[0].subject == "Lena Lead invited you to Social Adoption Programme"
    assert "as a partner" in mail.outbox[0].body
    link = next(w for w in mail.outbox[0].body.split() if "/programmes/invitations/" in w)
    client.logout()
    page = client.get(link.removeprefix("http://testserver"))
    assert "Join Social Adoption Programme" in page.content.decode()


def test_the_invitation_says_when_the_programme_runs(
    client, cast, django_capture_on_commit_callbacks
):
    from datetime import date

    from programmes.models import Programme

    Programme.objects.filter(pk=cast.programme.pk).update(
        starts_on=date(2027, 1, 11), ends_on=date(2027, 7, 9)
    )
    client.force_login(cast.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("programmes:invite", kwargs={"slug": cast.programme.slug}),
            {"name": "Nia New", "email": "nia@example.org", "role": "mentee"},
        )
    email = mail.outbox[0]
    assert "It runs from 11 January 2027 to 9 July 2027." in email.body
    html = email.alternatives[0][0]
    assert "It runs from <strong>11 January 2027</strong> to <strong>9 July 2027</strong>." in html
    link = next(w for w in email.body.split() if "/programmes/invitations/" in w)
    client.logout()
    page = client.get(link.removeprefix("http://testserver")).content.decode()
    assert "It runs from <strong>11 January 2027</strong> to <strong>9 July 2027</strong>." in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "mentee@example.org"}, "^mentee@example.org is already a partner in this"),
        ({"role": "boss"}, "is not a role"),
        ({"mentor_email": "nobody@example.org"}, "has not joined this programme or been invited"),
        ({"role": "mentor", "mentor_email": "mentor@example.org"}, "Only a partner can be"),
    ],
)
def test_an_invitation_that_cannot_be_made_says_why(cast, fields, message):
    with pytest.raises(InvitationError, match=message):
        _invite(cast, **fields)
    assert not Invitation.objects.exists()


def test_the_same_person_cannot_have_two_open_invitations_for_one_role(cast):
    _invite(cast)
    with pytest.raises(InvitationError, match="already has an open invitation"):
        _invite(cast)


def test_only_a_lead_of_the_programme_may_invite(client, cast):
    url = reverse("programmes:invite", kwargs={"slug": cast.programme.slug})
    data = {"name": "X", "email": "x@example.org", "role": "mentee"}
    for who, expected in [("mentor", 403), ("mentee", 403), ("other_lead", 404)]:
        client.force_login(cast.people()[who])
        assert client.post(url, data).status_code == expected, who
    assert not Invitation.objects.exists()


# --- Accepting -----------------------------------------------------------------------------


def test_a_new_person_signs_up_from_the_link_without_a_second_verification_email(
    client, cast, django_capture_on_commit_callbacks
):
    invitation = _invite(cast, mentor_email="mentor@example.org")
    link = _link(invitation)  # once: a token made in another second differs
    page = client.get(link)
    assert "Create your account" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup") + "?next=" + link,
            {"name": "Nia New", "email": "nia@example.org",
             "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
        )  # fmt: skip
    assert response.url == link  # signed in already: the email was the proof
    response = client.post(link)
    assert response.url == reverse("programmes:my_journey", kwargs={"slug": cast.programme.slug})
    membership = Membership.objects.get(user__email="nia@example.org")
    assert membership.role == Role.MENTEE and membership.current_phase.name == "Research"
    assert Pairing.objects.get(mentee=membership).mentor == cast.mentor_membership
    assert not OutboundEmail.objects.filter(subject__icontains="confirm").exists()


def test_a_mentee_may_be_given_a_mentor_invited_but_not_joined_and_they_pair_on_joining(
    client, cast
):
    mo = make_user("Mo Newmentor", "mo.new@example.org")
    nia = make_user("Nia New", "nia@example.org")
    to_mentor = _invite(cast, name="Mo Newmentor", email="mo.new@example.org", role=Role.MENTOR)
    to_mentee = _invite(cast, mentor_email="Mo.New@example.org")  # not joined yet: allowed
    client.force_login(nia)
    client.post(_link(to_mentee))
    client.force_login(mo)
    client.post(_link(to_mentor))
    mentee = Membership.objects.get(user=nia, role=Role.MENTEE)
    assert Pairing.objects.get(mentee=mentee).mentor.user == mo


def test_a_person_with_an_account_signs_in_and_accepts(client, cast):
    person = make_user("Existing Person", "existing@example.org")
    invitation = _invite(cast, email="existing@example.org", role=Role.MENTOR)
    assert "Sign in to accept" in client.get(_link(invitation)).content.decode()
    client.force_login(person)
    response = client.post(_link(invitation))
    assert response.url == reverse("programmes:detail", kwargs={"slug": cast.programme.slug})
    assert Membership.objects.filter(user=person, role=Role.MENTOR).exists()


def test_the_lead_who_invited_is_told_who_joined_and_the_link_is_theirs_to_open(client, cast):
    person = make_user("Nia New", "nia@example.org")
    client.force_login(person)
    client.post(_link(_invite(cast)))
    told = Notification.objects.get(kind=NotificationKind.PERSON_JOINED)
    assert told.recipient == cast.lead
    assert told.title == "Nia New accepted the invitation and joined as partner"
    assert told.about == Membership.objects.get(user=person, role=Role.MENTEE)
    client.force_login(cast.lead)
    assert client.get(told.link).status_code == 200
    # Once: the link works once, and the news is told once.
    assert Notification.objects.filter(kind=NotificationKind.PERSON_JOINED).count() == 1


def test_accepting_moves_the_programmes_cached_figures_on(
    client, cast, django_capture_on_commit_callbacks
):
    """The dashboard's cached panels count the new member at once (programmes/figures.py)."""
    from programmes.figures import version

    person = make_user("Newcomer", "newcomer@example.org")
    invitation = _invite(cast, email="newcomer@example.org")
    before = version(cast.programme.slug)
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(invitation))
    assert version(cast.programme.slug) != before


def test_a_link_works_once(client, cast):
    person = make_user("P", "once@example.org")
    invitation = _invite(cast, email="once@example.org")
    client.force_login(person)
    client.post(_link(invitation))
    response = client.get(_link(invitation))
    assert response.status_code == 410
    assert "Already accepted" in response.content.decode()
    assert client.post(_link(invitation)).status_code == 410
    assert Membership.objects.filter(user=person).count() == 1


def test_an_expired_invitation_cannot_be_accepted_and_says_to_ask_again(client, cast):
    person = make_user("P", "late@example.org")
    invitation = _invite(cast, email="late@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    client.force_login(person)
    response = client.post(_link(invitation))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=person).exists()


def test_a_revoked_invitation_cannot_be_accepted(client, cast):
    person = make_user("P", "revoked@example.org")
    invitation = _invite(cast, email="revoked@example.org")
    revoke_invitation(invitation=invitation, by=cast.lead)
    client.force_login(person)
    assert client.post(_link(invitation)).status_code == 410
    assert not Membership.objects.filter(user=person).exists()


def test_resending_replaces_the_link_and_the_old_one_stops_working(client, cast):
    invitation = _invite(cast)
    old_link = _link(invitation)
    client.force_login(cast.lead)
    client.post(
        reverse(
            "programmes:invitation_resend",
            kwargs={"slug": cast.programme.slug, "pk": invitation.pk},
        )
    )
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.get(_link(invitation)).status_code == 200


def test_a_tampered_or_very_old_link_is_not_found(client, cast, settings):
    invitation = _invite(cast)
    assert client.get(_link(invitation)[:-3] + "abc/").status_code == 404
    link = _link(invitation)
    now = time.time()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: now + 60 * 60 * 24 * 30)  # a month later
        assert client.get(link).status_code == 404


def test_someone_signed_in_with_another_address_is_told_and_nothing_happens(client, cast):
    invitation = _invite(cast)
    client.force_login(cast.other_mentee)
    html = client.get(_link(invitation)).content.decode()
    assert "but this invitation is for" in html
    client.post(_link(invitation))
    assert (
        not Membership.objects.filter(user=cast.other_mentee, programme=cast.programme)
        .exclude(role=Role.MENTEE)
        .exists()
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


# --- CSV ----------------------------------------------------------------------------------

HEADER = "name,email,role,mentor_email\n"


def _import(cast, text: str):
    return import_invitations(programme=cast.programme, by=cast.lead, text=text, base_url=BASE)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",nobody@example.org,mentee,", "the name is missing"),
        ("No Email,,mentee,", "the email is missing"),
        ("Bad Email,not-an-email,mentee,", "is not an email address"),
        ("No Role,norole@example.org,,", "the role is missing"),
        ("Odd Role,odd@example.org,chief,", "is not a role"),
        ("Unknown Mentor,um@example.org,mentee,ghost@example.org", "nor is in this file"),
        ("Already In,mentee@example.org,mentee,", "is already a partner"),
        (
            "Good Person,good@example.org,mentee,\nTwice,GOOD@example.org,mentee,",
            "in the file twice",
        ),
    ],
)
def test_one_bad_row_imports_nothing_and_says_which_line_and_why(cast, row, reason):
    text = HEADER + "Fine Person,fine@example.org,mentor,\n" + row + "\n"
    report = _import(cast, text)
    assert not report.ok
    assert not Invitation.objects.exists()
    lines = [line for line, _ in report.errors]
    assert all(line >= 3 for line in lines)
    assert any(reason in message for _, message in report.errors), report.errors


def test_every_bad_row_is_listed_not_just_the_first(cast):
    text = HEADER + ",a@example.org,mentee,\nB,,mentee,\nC,c@example.org,wizard,\n"
    report = _import(cast, text)
    assert [line for line, _ in report.errors] == [2, 3, 4]


def test_a_file_without_the_right_columns_is_refused(cast):
    report = _import(cast, "full name,address\nA,a@example.org\n")
    assert report.errors == [(1, "the first row must name the columns; missing: name, email, role")]


def test_a_mentor_invited_in_the_same_file_can_be_named_for_a_mentee(cast):
    text = (
        HEADER
        + "New Mentor,nm@example.org,mentor,\nNew Mentee,ne@example.org,mentee,nm@example.org\n"
    )
    report = _import(cast, text)
    assert report.ok
    assert Invitation.objects.get(email="ne@example.org").mentor_email == "nm@example.org"


def test_an_upload_that_is_not_text_gets_a_clear_message(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.lead)
    upload = SimpleUploadedFile("people.csv", bytes(range(256)) * 4, content_type="text/csv")
    response = client.post(
        reverse("programmes:import", kwargs={"slug": cast.programme.slug}), {"file": upload}
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_good_file_of_500_rows_invites_everyone(django_capture_on_commit_callbacks):
    lead = make_user()
    programme = make_programme(lead)
    make_mentor(programme, user=make_user("M", "m0@example.org"))
    rows = [f"Person {i},p{i}@example.org,mentee,m0@example.org" for i in range(500)]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_invitations(
            programme=programme, by=lead, text=HEADER + "\n".join(rows), base_url=BASE
        )
    assert report.ok and len(report.created) == 500
    assert Invitation.objects.filter(programme=programme, send_count=1).count() == 500
    assert len(mail.outbox) == 500  # its speed is measured in bench/, not asserted here


def test_the_import_page_lists_the_bad_rows_and_keeps_nothing(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.lead)
    text = (HEADER + "Ok,ok@example.org,mentee,\nBad,bad,mentee,\n").encode()
    response = client.post(
        reverse("programmes:import", kwargs={"slug": cast.programme.slug}),
        {"file": SimpleUploadedFile("people.csv", text, content_type="text/csv")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported." in html and "Line 3:" in html
    assert not Invitation.objects.exists()


# --- The people page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_people_page_runs_the_same_number_of_queries_with_10_and_200_members(client):
    counts = []
    for size in (10, 200):
        lead = make_user()
        programme = make_programme(lead, name=f"People {size}")
        mentor = make_mentor(programme)
        for i in range(size - 2):
            make_mentee(programme, mentor=mentor if i % 2 else None)
        for i in range(3):
            invite(programme=programme, by=lead, base_url=BASE, name=f"I{i}",
                   email=f"i{i}-{size}@example.org", role=Role.MENTEE)  # fmt: skip
        client.force_login(lead)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("programmes:people", kwargs={"slug": programme.slug}))
            assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_someone_whose_invitation_expired_can_be_invited_again(cast):
    first = _invite(cast)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(1))
    second = _invite(cast)
    first.refresh_from_db()
    assert first.state == Invitation.State.REVOKED
    assert second.state == Invitation.State.PENDING
    report = _import(cast, HEADER + "Nia New,nia@example.org,mentee,\n")
    assert not report.ok  # the new one is open now
    Invitation.objects.filter(pk=second.pk).update(expires_at=timezone.now() - timedelta(1))
    assert _import(cast, HEADER + "Nia New,nia@example.org,mentee,\n").ok


def test_a_mentor_who_joins_after_their_mentee_is_paired_with_them(client, cast):
    _import(
        cast,
        HEADER
        + "Late Mentor,late@example.org,mentor,\n"
        + "Early Mentee,early@example.org,mentee,late@example.org\n",
    )
    for email in ("early@example.org", "late@example.org"):  # the mentee accepts first
        person = make_user(email.split("@")[0].title(), email)
        client.force_login(person)
        client.post(_link(Invitation.objects.get(email=email)))
    mentee = Membership.objects.get(user__email="early@example.org")
    assert Pairing.objects.get(mentee=mentee, ended_at__isnull=True).mentor.user.email == (
        "late@example.org"
    )


def test_the_invitations_list_pages_instead_of_stopping(client, cast):
    rows = [f"P{i},p{i}@example.org,mentee," for i in range(60)]
    assert _import(cast, HEADER + "\n".join(rows)).ok
    client.force_login(cast.lead)
    url = reverse("programmes:people", kwargs={"slug": cast.programme.slug})
    html = client.get(url).content.decode()
    assert "Invitations 1\u201350 of 60" in html
    assert "Invitations 51\u201360 of 60" in client.get(url + "?invitations=2").content.decode()
