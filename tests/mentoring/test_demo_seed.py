"""The demo: a realistic programme, built again and again without duplicating anything."""

import pytest
from django.core.management import call_command

from mentoring.models import User
from programmes.models import Membership, Pairing, PhaseTransition, Programme, Role


def _counts() -> tuple:
    return (
        User.objects.count(),
        Programme.objects.count(),
        Membership.objects.count(),
        Pairing.objects.count(),
        PhaseTransition.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_has_a_lead_three_mentors_and_eight_mentees_spread_across_the_phases():
    call_command("seed_demo", quiet=True)
    programme = Programme.objects.get()
    assert programme.phases.count() == 5
    roles = {role: Membership.objects.filter(role=role).count() for role in Role.values}
    assert roles == {"lead": 1, "mentor": 3, "mentee": 8}
    places = {
        m.current_phase.name if m.current_phase else "operationalised"
        for m in Membership.objects.filter(role=Role.MENTEE).select_related("current_phase")
    }
    assert len(places) >= 5  # spread out, not lock-step
    oldest = PhaseTransition.objects.order_by("at").first().at
    newest = PhaseTransition.objects.order_by("at").last().at
    assert (newest - oldest).days >= 60  # about ten weeks of history


@pytest.mark.django_db
def test_seeding_twice_changes_nothing():
    call_command("seed_demo", quiet=True)
    before = _counts()
    call_command("seed_demo", quiet=True)
    assert _counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["lead@example.com", "mentor@example.com", "mentee@example.com"])
def test_the_demo_logins_work_with_the_demo_password(client, email):
    call_command("seed_demo", quiet=True)
    assert client.login(email=email, password="mentoring-demo")


@pytest.mark.django_db
def test_every_demo_pairing_has_an_agreed_cadence_and_sessions():
    from mentoring.models import CadenceAgreement, MentoringSession

    call_command("seed_demo", quiet=True)
    for pairing in Pairing.objects.active():
        assert CadenceAgreement.objects.filter(pairing=pairing, status="accepted").exists()
        assert MentoringSession.objects.filter(pairing=pairing, status="logged").exists()


@pytest.mark.django_db
def test_the_demos_waiting_rhythm_proposal_reached_its_mentor_and_shows_on_their_home(client):
    from django.urls import reverse

    from mentoring.models import CadenceAgreement
    from programmes.models import Notification, NotificationKind

    call_command("seed_demo", quiet=True)
    waiting = CadenceAgreement.objects.select_related("pairing__mentor__user").get(
        status="proposed"
    )
    mentor = waiting.pairing.mentor.user
    told = Notification.objects.get(recipient=mentor, kind=NotificationKind.CADENCE_PROPOSED)
    assert told.created_at == waiting.proposed_at and told.email_status == "none"
    client.force_login(mentor)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "Proposes meeting fortnightly: answer" in html


@pytest.mark.django_db
def test_the_demo_opens_with_everyones_pace_and_different_nudges_for_different_paces():
    from programmes.models import Notification

    call_command("seed_demo", quiet=True)
    mentees = Membership.objects.filter(role=Role.MENTEE)
    assert not mentees.filter(pace_status="").exists()
    assert len(set(mentees.values_list("pace_status", flat=True))) >= 3
    nudges = Notification.objects.nudges()
    assert len(set(nudges.values_list("kind", flat=True))) >= 3
    assert nudges.filter(email_status="pending").exists()
    assert all(n.reason for n in nudges)
