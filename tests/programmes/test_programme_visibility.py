"""visible_to(user) is the one source of truth for who sees what."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from mentoring.services.pairing import pair
from programmes.models import Membership, Pairing, Phase, PhaseTransition, Programme, Role
from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_mentor


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


def test_a_mentor_whose_pairing_ended_no_longer_sees_the_mentee(cast):
    Pairing.objects.filter(mentee=cast.mentee_membership).update(ended_at=timezone.now())
    assert (
        not Membership.objects.visible_to(cast.mentor).filter(pk=cast.mentee_membership.pk).exists()
    )
    assert not Pairing.objects.visible_to(cast.mentor).exists()
    # The mentee keeps their own history.
    assert Pairing.objects.visible_to(cast.mentee).count() == 1


def test_a_mentor_who_has_left_the_programme_no_longer_sees_their_partners(cast):
    cast.mentor_membership.is_active = False
    cast.mentor_membership.save()
    assert (
        not Membership.objects.visible_to(cast.mentor).filter(pk=cast.mentee_membership.pk).exists()
    )
    assert not Pairing.objects.visible_to(cast.mentor).exists()


def test_a_person_with_different_roles_in_different_programmes_sees_each_by_its_role(cast):
    # The mentee of the first programme mentors in the other one.
    other_mentee = make_mentee(cast.other_programme)
    their_mentee_role = make_mentor(cast.other_programme, user=cast.mentee)
    pair(mentor=their_mentee_role, mentee=other_mentee, by=cast.other_lead)
    visible = Membership.objects.visible_to(cast.mentee)
    assert visible.filter(pk=other_mentee.pk).exists()  # as mentor there
    assert (
        not visible.filter(programme=cast.programme, role=Role.MENTEE)
        .exclude(user=cast.mentee)
        .exists()
    )  # but as a mentee here, nobody else
