"""The audit trail: the changes that matter are recorded with who, what, when and from where;
a refused change records nothing; leads read their programme's trail; nobody edits it."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from mentoring.services.guideline import add_guideline
from mentoring.services.pairing import end_pairing, pair
from playbooks.services.playbook import add_template_section
from programmes.errors import ServiceError
from programmes.models import AuditAction, AuditEntry, Pairing, Role
from programmes.policy import SYSTEM
from programmes.services.assessment import add_question
from programmes.services.invitation import invite, revoke_invitation
from programmes.services.progress import advance_phase, enrol, move_back
from tests.factories import make_mentee, make_mentor, make_user


def _entries(programme, action) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(programme=programme, action=action))


def test_people_pairings_phases_invitations_and_rules_are_recorded(cast):
    programme, lead = cast.programme, cast.lead
    newcomer = make_user("Nia Newcomer", "nia@example.org")
    enrol(programme=programme, user=newcomer, role=Role.MENTOR, by=lead)
    [joined] = [e for e in _entries(programme, AuditAction.ROLE_GIVEN) if "Nia" in e.summary]
    assert joined.actor == lead and joined.actor_name == "Lena Lead"
    assert joined.summary == "Nia Newcomer joined as mentor"

    mentee = make_mentee(programme, user=make_user("Pat Partner"))
    mentor = make_mentor(programme, user=make_user("Max Mentor"))
    pairing = pair(mentor=mentor, mentee=mentee, by=lead)
    assert (
        _entries(programme, AuditAction.PAIRED)[0].summary == "Max Mentor now mentors Pat Partner"
    )
    end_pairing(pairing=pairing, by=lead, reason="Moved teams")
    ended = _entries(programme, AuditAction.PAIRING_ENDED)
    assert [e.summary for e in ended] == ["Max Mentor no longer mentors Pat Partner"]
    assert "Moved teams" not in ended[0].summary  # the reason stays with the pair

    advance_phase(membership=mentee, by=lead)
    [moved] = _entries(programme, AuditAction.MOVED_ON)
    assert moved.summary.startswith("Pat Partner moved on from ")
    move_back(membership=mentee, by=lead, note="Not ready yet")
    assert len(_entries(programme, AuditAction.MOVED_BACK)) == 1

    invitation = invite(
        programme=programme,
        by=lead,
        name="Ivy",
        email="ivy@example.org",
        role=Role.MENTEE,
        base_url="http://testserver/",
    )
    revoke_invitation(invitation=invitation, by=lead)
    assert _entries(programme, AuditAction.INVITED)[0].summary.startswith("Invited Ivy")
    assert len(_entries(programme, AuditAction.INVITATION_REVOKED)) == 1

    add_guideline(programme=programme, by=lead, text="Listen more than you talk")
    add_template_section(programme=programme, by=lead, title="My audience")
    add_question(programme=programme, by=lead, kind="text", prompt="What worries you?")
    assert (
        "Listen more than you talk" in _entries(programme, AuditAction.GUIDELINE_CHANGED)[0].summary
    )
    assert "My audience" in _entries(programme, AuditAction.TEMPLATE_CHANGED)[0].summary
    assert "What worries you?" in _entries(programme, AuditAction.QUESTION_CHANGED)[0].summary


def test_moves_made_by_the_system_are_not_audited_as_by_hand(cast):
    advance_phase(membership=cast.mentee_membership, by=SYSTEM)
    assert not _entries(cast.programme, AuditAction.MOVED_ON)


def test_a_refused_change_records_nothing(cast):
    before = AuditEntry.objects.count()
    with pytest.raises(ServiceError):
        pair(
            mentor=cast.mentor_membership,
            mentee=cast.mentee_membership,
            by=cast.mentor,  # not a lead
        )
    with pytest.raises(ServiceError):
        end_pairing(pairing=Pairing.objects.active().first(), by=cast.lead, reason="  ")
    assert AuditEntry.objects.count() == before


def test_a_download_is_recorded_with_the_address_behind_the_proxy(client, cast, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client.force_login(cast.lead)
    url = reverse(
        "mentoring:dashboard_csv", kwargs={"slug": cast.programme.slug, "table": "at-risk"}
    )
    response = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="10.0.0.2")
    b"".join(response.streaming_content)
    [entry] = _entries(cast.programme, AuditAction.EXPORTED)
    assert entry.actor == cast.lead and entry.ip == "203.0.113.9"
    assert entry.summary == "Downloaded “At risk” (CSV)"


def test_only_the_programmes_leads_read_its_trail(client, cast):
    add_guideline(programme=cast.programme, by=cast.lead, text="Be on time")
    url = reverse("programmes:audit", kwargs={"slug": cast.programme.slug})
    seen = {}
    for who, person in cast.people().items():
        client.force_login(person)
        seen[who] = client.get(url).status_code
    assert seen == {
        "lead": 200,
        "mentor": 404,
        "mentee": 404,
        "other_mentee": 404,
        "other_mentor": 404,
        "other_lead": 404,
    }
    client.force_login(cast.lead)
    page = client.get(url).content.decode()
    assert "Be on time" in page and "Lena Lead" in page
    only_exports = client.get(url, {"action": "exported"}).content.decode()
    assert "Be on time" not in only_exports and "Nothing of this kind" in only_exports


def test_nobody_can_change_or_remove_an_entry(cast, admin_user):
    entry = add_guideline(programme=cast.programme, by=cast.lead, text="Be kind") and (
        AuditEntry.objects.get(action=AuditAction.GUIDELINE_CHANGED)
    )
    entry.summary = "Something else"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[AuditEntry]
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    entry.refresh_from_db()
    assert entry.summary.startswith("Added the guideline")
