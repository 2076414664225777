"""Plain factory functions. Where a service exists, data is built through it."""

import itertools

from allauth.account.models import EmailAddress

from mentoring.models import MentorProfile, User
from mentoring.services.pairing import pair
from programmes.models import Membership, Programme, Role
from programmes.services.programme import create_programme
from programmes.services.progress import enrol

_counter = itertools.count(1)


def make_user(
    name: str | None = None, email: str | None = None, password: str = "pw-123456!"
) -> User:
    n = next(_counter)
    name = name or f"Person {n}"
    email = email or f"person{n}@example.org"
    user = User.objects.create_user(email=email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def make_programme(lead: User, name: str = "Social Adoption Programme") -> Programme:
    return create_programme(name=name, by=lead, status=Programme.Status.ACTIVE)


def make_mentee(
    programme: Programme, *, mentor: Membership | None = None, by=None, user=None
) -> Membership:
    by = by or programme.memberships.get(role=Role.LEAD).user
    membership = enrol(programme=programme, user=user or make_user(), role=Role.MENTEE, by=by)
    if mentor is not None:
        pair(mentor=mentor, mentee=membership, by=by)
    return membership


def make_mentor(
    programme: Programme, *, user=None, by=None, capacity: int = 500, strengths=()
) -> Membership:
    by = by or programme.memberships.get(role=Role.LEAD).user
    membership = enrol(programme=programme, user=user or make_user(), role=Role.MENTOR, by=by)
    MentorProfile.objects.update_or_create(
        membership=membership, defaults={"capacity": capacity, "strengths": list(strengths)}
    )
    return membership
