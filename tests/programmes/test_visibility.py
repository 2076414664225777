"""visible_to(user) is the one source of truth for who sees what."""

from django.contrib.auth.models import AnonymousUser

from mentoring.models import Pairing
from programmes.models import Membership, Phase, PhaseTransition, Programme
from programmes.services.progress import advance_phase


def test_a_programme_is_visible_to_its_members_only(cast):
    for name, person in cast.people().items():
        visible = set(Programme.objects.visible_to(person))
        if name == "other_lead":
            assert visible == {cast.other_programme}, name
        else:
            assert visible == {cast.programme}, name
    assert not Programme.objects.visible_to(AnonymousUser()).exists()


def test_a_mentees_membership_is_visible_to_them_their_mentor_and_their_lead_only(cast):
    allowed = {"mentee", "mentor", "lead"}
    for name, person in cast.people().items():
        sees = Membership.objects.visible_to(person).filter(pk=cast.mentee_membership.pk).exists()
        assert sees is (name in allowed), name


def test_a_pairing_is_visible_to_the_pair_and_their_lead_only(cast):
    pairing = Pairing.objects.get(mentee=cast.mentee_membership)
    allowed = {"mentee", "mentor", "lead"}
    for name, person in cast.people().items():
        sees = Pairing.objects.visible_to(person).filter(pk=pairing.pk).exists()
        assert sees is (name in allowed), name


def test_a_programmes_phases_are_visible_to_its_members_only(cast):
    for name, person in cast.people().items():
        sees = Phase.objects.visible_to(person).filter(programme=cast.programme).count()
        assert sees == (0 if name == "other_lead" else 5), name


def test_a_mentees_phase_moves_are_visible_to_them_their_mentor_and_their_lead_only(cast):
    advance_phase(membership=cast.mentee_membership, by=cast.lead, note="Baseline done")
    allowed = {"mentee", "mentor", "lead"}
    for name, person in cast.people().items():
        moves = PhaseTransition.objects.visible_to(person).filter(membership=cast.mentee_membership)
        assert (moves.count() == 2) is (name in allowed), name
        assert moves.exists() is (name in allowed), name


def test_a_lead_who_has_left_no_longer_sees_the_pairings(cast):
    cast.programme.memberships.filter(user=cast.lead).update(is_active=False)
    assert not Pairing.objects.visible_to(cast.lead).exists()
    assert not Programme.objects.visible_to(cast.lead).exists()
