"""Plain factory functions. Where a service exists, data is built through it."""

import itertools
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from mentoring.models import MentorProfile, User
from mentoring.services.pairing import pair
from programmes.models import Membership, Programme, Role
from programmes.services.programme import create_programme
from programmes.services.progress import enrol

_counter = itertools.count(1)


def noon_days_ago(days: int) -> datetime:
    """Midday, in the site's time zone, `days` calendar days before today. `now - N days`
    late in the evening can fall on the next local day across a clock change (23:30 UTC in
    December is 00:30 in London's summer time), and a test counting days is then one off."""
    day = timezone.localdate() - timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(12)))


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


@dataclass
class Cast:
    """Everyone an access test needs: one pair in a programme, and people around them."""

    lead: object
    mentor: object
    mentee: object
    other_mentee: object
    other_mentor: object
    other_lead: object
    programme: object
    other_programme: object
    mentee_membership: object
    mentor_membership: object

    def people(self) -> dict:
        return {
            "lead": self.lead,
            "mentor": self.mentor,
            "mentee": self.mentee,
            "other_mentee": self.other_mentee,
            "other_mentor": self.other_mentor,
            "other_lead": self.other_lead,
        }


def build_cast() -> Cast:
    """The cast: the `cast` fixture's for each test, and the access matrix's and the
    hostile-input tests' for a whole module."""
    lead = make_user("Lena Lead", "lead@example.org")
    programme = make_programme(lead)
    mentor_membership = make_mentor(programme, user=make_user("Mo Mentor", "mentor@example.org"))
    other_mentor_membership = make_mentor(
        programme, user=make_user("Olu Othermentor", "other-mentor@example.org")
    )
    mentee_membership = make_mentee(
        programme, mentor=mentor_membership, user=make_user("Mia Mentee", "mentee@example.org")
    )
    other_mentee_membership = make_mentee(
        programme,
        mentor=other_mentor_membership,
        user=make_user("Otto Othermentee", "other-mentee@example.org"),
    )
    other_lead = make_user("Oona Otherlead", "other-lead@example.org")
    return Cast(
        lead=lead,
        mentor=mentor_membership.user,
        mentee=mentee_membership.user,
        other_mentee=other_mentee_membership.user,
        other_mentor=other_mentor_membership.user,
        other_lead=other_lead,
        programme=programme,
        other_programme=make_programme(other_lead, name="Another Programme"),
        mentee_membership=mentee_membership,
        mentor_membership=mentor_membership,
    )
