"""A lead removes someone from a programme without losing the programme's figures."""

import pytest
from django.urls import reverse

from mentoring.models import MentoringSession, OutboundEmail
from mentoring.selectors.session import session_figures
from mentoring.services.membership import remove_from_programme
from playbooks.models import Completion
from programmes.errors import Invalid
from programmes.models import (
    AuditAction,
    AuditEntry,
    Membership,
    Notification,
    Pairing,
    PhaseTransition,
    Role,
    WorkshopSeat,
)
from programmes.services.progress import enrol
from tests.mentoring.test_account_data import MO, build_world


def _url(cast, membership) -> str:
    return reverse(
        "mentoring:member_remove", kwargs={"slug": cast.programme.slug, "member": membership.pk}
    )


def _counts(programme) -> dict:
    return {
        "sessions": session_figures(programme)["totals"]["sessions"],
        "completions": Completion.objects.filter(membership__programme=programme).count(),
        "phase_moves": PhaseTransition.objects.filter(membership__programme=programme).count(),
    }


# --- Who reaches it ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_the_programmes_lead_may_open_or_post_the_removal(client, cast):
    url = _url(cast, cast.mentee_membership)
    expected = {
        "mentee": 403, "mentor": 403,  # they see the membership, may not remove it
        "other_mentee": 404, "other_mentor": 404, "other_lead": 404, "lead": 200,
    }  # fmt: skip
    for who, status in expected.items():
        client.force_login(cast.people()[who])
        assert client.get(url).status_code == status, who
        if status != 200:
            assert client.post(url).status_code == status, who
    assert Membership.objects.get(pk=cast.mentee_membership.pk).is_active
    client.logout()
    assert reverse("account_login") in client.get(url)["Location"]


@pytest.mark.django_db
def test_the_people_page_offers_removal_for_everyone_but_the_lead_themself(client, cast):
    client.force_login(cast.lead)
    page = client.get(reverse("programmes:people", kwargs={"slug": cast.programme.slug}))
    html = page.content.decode()
    assert _url(cast, cast.mentee_membership) in html
    assert _url(cast, cast.mentor_membership) in html
    own = cast.programme.memberships.get(user=cast.lead)
    assert _url(cast, own) not in html


@pytest.mark.django_db
def test_the_page_says_what_ends_and_what_stays(client, cast):
    build_world(cast)
    client.force_login(cast.lead)
    html = client.get(_url(cast, cast.mentee_membership)).content.decode()
    assert "The pairing with their mentor, Mo Mentor" in html
    assert "1 logged session," in html
    assert "1 place booked at coming workshops, given back" in html
    assert "Their open request for another mentor" in html


# --- What happens -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_removing_a_mentee_ends_their_part_and_keeps_the_figures(client, cast):
    world = build_world(cast)
    before = _counts(cast.programme)
    client.force_login(cast.lead)
    response = client.post(_url(cast, cast.mentee_membership))
    assert response["Location"] == reverse(
        "programmes:people", kwargs={"slug": cast.programme.slug}
    )

    mia = Membership.objects.get(pk=cast.mentee_membership.pk)
    assert not mia.is_active
    assert _counts(cast.programme) == before
    assert not Pairing.objects.active().filter(mentee=mia).exists()
    assert Notification.objects.filter(
        recipient=cast.mentor, title="Your pairing with Mia Mentee has ended"
    ).exists()
    assert not WorkshopSeat.objects.filter(workshop=world["workshop"]).exists()
    entry = AuditEntry.objects.get(action=AuditAction.REMOVED_FROM_PROGRAMME)
    assert entry.summary == "Removed Mia Mentee (partner) from the programme"
    assert entry.actor == cast.lead
    mail = OutboundEmail.objects.get(to=["mentee@example.org"], subject__startswith="You are no")
    assert "Lena Lead has removed you from Social Adoption Programme" in mail.text_body
    assert reverse("mentoring:account_data") in mail.text_body
    people = client.get(reverse("programmes:people", kwargs={"slug": cast.programme.slug}))
    html = people.content.decode()
    assert "Mia Mentee is no longer in the programme. What they did there still counts." in html
    assert _url(cast, mia) not in html, "no longer listed"
    client.force_login(cast.mentee)
    assert client.get(cast.programme.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_removing_a_mentor_ends_their_pairings_and_their_partner_keeps_the_logs(client, cast):
    world = build_world(cast)
    remove_from_programme(membership=cast.mentor_membership, by=cast.lead)
    assert not Pairing.objects.active().filter(mentor=cast.mentor_membership).exists()
    assert Notification.objects.filter(
        recipient=cast.mentee, title="Your pairing with Mo Mentor has ended"
    ).exists()
    assert MentoringSession.objects.filter(pk=world["session"].pk).exists()
    client.force_login(cast.mentee)
    assert MO["notes"] in client.get(world["session"].get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_lead_cannot_remove_themself_or_someone_already_gone(cast):
    own = cast.programme.memberships.get(user=cast.lead)
    with pytest.raises(Invalid, match="can't remove yourself"):
        remove_from_programme(membership=own, by=cast.lead)
    remove_from_programme(membership=cast.mentee_membership, by=cast.lead)
    with pytest.raises(Invalid, match="no longer in the programme"):
        remove_from_programme(membership=cast.mentee_membership, by=cast.lead)
    assert AuditEntry.objects.filter(action=AuditAction.REMOVED_FROM_PROGRAMME).count() == 1


@pytest.mark.django_db
def test_someone_removed_and_invited_back_finds_their_history(cast):
    build_world(cast)
    remove_from_programme(membership=cast.mentee_membership, by=cast.lead)
    back = enrol(programme=cast.programme, user=cast.mentee, role=Role.MENTEE, by=cast.lead)
    assert back.pk == cast.mentee_membership.pk and back.is_active
    assert back.activity_completions.count() == 1
    assert back.playbook.sections.exclude(body="").exists()
