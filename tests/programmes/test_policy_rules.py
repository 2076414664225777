"""The policy's rules, each over the whole cast: who leads, who mentors whom, whose own a
thing is, and the rules built on them."""

import pytest
from django.contrib.auth.models import AnonymousUser

from programmes.errors import NotAllowed
from programmes.models import ExitCriterion, Pairing
from programmes.policy import (
    SYSTEM,
    actor,
    can_advance,
    can_move_back,
    can_review,
    can_sign_off,
    is_own,
    leads,
    mentors,
    mentors_of,
    require_lead,
    side_of,
)

CAST = ["lead", "mentor", "mentee", "other_mentee", "other_mentor", "other_lead", "anonymous"]


def person(cast, who):
    return AnonymousUser() if who == "anonymous" else cast.people()[who]


def _table(*allowed):
    return [pytest.param(who, who in allowed, id=who) for who in CAST]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), _table("lead"))
def test_only_the_programmes_own_lead_leads_it(cast, who, expected):
    assert leads(person(cast, who), cast.programme) is expected
    assert leads(person(cast, who), cast.programme.pk) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), _table("mentor"))
def test_only_the_mentees_current_mentor_mentors_them(cast, who, expected):
    assert mentors(person(cast, who), cast.mentee_membership) is expected


@pytest.mark.django_db
def test_an_ended_pairing_no_longer_makes_someone_the_mentor(cast):
    Pairing.objects.filter(mentee=cast.mentee_membership).update(ended_at="2026-01-01T00:00Z")
    assert not mentors(cast.mentor, cast.mentee_membership)
    assert list(mentors_of(cast.mentee_membership)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), _table("mentee"))
def test_a_mentees_membership_is_their_own_alone(cast, who, expected):
    assert is_own(person(cast, who), cast.mentee_membership) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "expected"),
    [pytest.param(who, {"mentor": "mentor", "mentee": "mentee"}.get(who), id=who) for who in CAST],
)
def test_only_the_two_people_in_a_pairing_have_a_side_in_it(cast, who, expected):
    pairing = Pairing.objects.get(mentee=cast.mentee_membership)
    assert side_of(person(cast, who), pairing) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), _table("lead", "mentor"))
def test_a_lead_or_the_mentor_moves_a_mentee_on(cast, who, expected):
    assert can_advance(person(cast, who), cast.mentee_membership) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), _table("lead"))
def test_only_a_lead_moves_a_mentee_on_from_a_phase_a_lead_signs_off(cast, who, expected):
    mentee = cast.mentee_membership
    mentee.current_phase.exit_criterion = ExitCriterion.LEAD_SIGN_OFF
    mentee.current_phase.save()
    assert can_advance(person(cast, who), mentee) is expected
    assert can_sign_off(person(cast, who), mentee) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", CAST)
def test_nobody_signs_off_a_mentee_whose_phase_is_not_signed_off_by_a_lead(cast, who):
    assert cast.mentee_membership.current_phase.exit_criterion != ExitCriterion.LEAD_SIGN_OFF
    assert can_sign_off(person(cast, who), cast.mentee_membership) is False


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), _table("lead"))
def test_only_a_lead_moves_a_mentee_back(cast, who, expected):
    assert can_move_back(person(cast, who), cast.mentee_membership) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), _table("mentor"))
def test_only_the_mentor_reviews_a_mentees_playbook(cast, who, expected):
    assert can_review(person(cast, who), cast.mentee_membership) is expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("check", "who_may"),
    [
        (lambda by, cast: require_lead(by, cast.programme), "lead"),
    ],
    ids=["require_lead"],
)
def test_each_requirement_refuses_everyone_else_and_lets_the_system_through(cast, check, who_may):
    for who in CAST:
        if who == who_may:
            check(person(cast, who), cast)
        else:
            with pytest.raises(NotAllowed):
                check(person(cast, who), cast)
    check(SYSTEM, cast)


@pytest.mark.django_db
def test_the_system_is_recorded_as_no_person(cast):
    assert actor(SYSTEM) is None
    assert actor(cast.lead) is cast.lead
    assert can_advance(SYSTEM, cast.mentee_membership)
    assert not leads(SYSTEM, cast.programme)  # a fact about people: the system leads nothing
