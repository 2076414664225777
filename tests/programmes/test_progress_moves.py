"""Each mentee moves through the phases on their own; every move is recorded."""

import pytest

from programmes.models import PhaseTransition, Role
from programmes.services.progress import ProgressError, advance_phase, enrol
from tests.factories import make_mentee, make_programme, make_user


@pytest.mark.django_db
def test_a_new_mentee_starts_in_the_first_phase_with_the_move_recorded():
    lead = make_user()
    programme = make_programme(lead)
    membership = make_mentee(programme)
    assert membership.current_phase.name == "Research"
    transition = PhaseTransition.objects.get(membership=membership)
    assert transition.from_phase is None and transition.by == lead


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moves", "expected_phase", "operationalised"),
    [
        (0, "Research", False),
        (1, "Workshops", False),
        (3, "1:1 Mentoring", False),
        (4, "Integration", False),
        (5, None, True),
    ],
)
def test_advancing_moves_one_phase_and_past_the_last_into_business_as_usual(
    moves, expected_phase, operationalised
):
    lead = make_user()
    membership = make_mentee(make_programme(lead))
    for _ in range(moves):
        membership = advance_phase(membership=membership, by=lead, note="ready")
    assert (membership.current_phase.name if membership.current_phase else None) == expected_phase
    assert (membership.operationalised_at is not None) is operationalised
    assert membership.transitions.count() == moves + 1


@pytest.mark.django_db
def test_mentees_in_one_programme_move_independently():
    lead = make_user()
    programme = make_programme(lead)
    fast, slow = make_mentee(programme), make_mentee(programme)
    advance_phase(membership=fast, by=lead)
    advance_phase(membership=fast, by=lead)
    fast.refresh_from_db()
    slow.refresh_from_db()
    assert fast.current_phase.name == "Playbook"
    assert slow.current_phase.name == "Research"


@pytest.mark.django_db
def test_an_operationalised_mentee_cannot_be_advanced_further():
    lead = make_user()
    membership = make_mentee(make_programme(lead))
    for _ in range(5):
        advance_phase(membership=membership, by=lead)
    with pytest.raises(ProgressError, match="already operationalised"):
        advance_phase(membership=membership, by=lead)


@pytest.mark.django_db
def test_only_mentees_move_through_phases():
    lead = make_user()
    programme = make_programme(lead)
    mentor = enrol(programme=programme, user=make_user(), role=Role.MENTOR, by=lead)
    with pytest.raises(ProgressError, match="Only mentees"):
        advance_phase(membership=mentor, by=lead)
