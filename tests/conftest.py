import os
import shutil
from dataclasses import dataclass
from typing import NoReturn

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from hypothesis import settings as hypothesis_settings

from tests.factories import make_mentee, make_mentor, make_programme, make_user

# CI replays the same examples every run, so a red run always means a change broke
# something; exploring new examples is for developers' machines, where it found real bugs.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _mail_through_the_outbox(settings):
    """Django's test runner swaps every mailer for locmem; put the outbox back in front, so
    tests see mail the way users get it: stored, then delivered once the change commits."""
    settings.MAILERS = {
        "default": {"BACKEND": "mentoring.outbox.OutboxBackend"},
        "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached sessions must not leak from one test into the next. On a
    shared Redis only this run's keys are removed, never the whole database."""
    yield
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"):
            client.delete(key)
    else:
        cache.clear()


def require_service(reason: str) -> NoReturn:
    """Skip a test whose service is missing, or fail it when REQUIRE_SERVICES=1 (as in CI)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


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


@pytest.fixture
def cast(db) -> Cast:
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
    other_programme = make_programme(other_lead, name="Another Programme")
    return Cast(
        lead=lead,
        mentor=mentor_membership.user,
        mentee=mentee_membership.user,
        other_mentee=other_mentee_membership.user,
        other_mentor=other_mentor_membership.user,
        other_lead=other_lead,
        programme=programme,
        other_programme=other_programme,
        mentee_membership=mentee_membership,
        mentor_membership=mentor_membership,
    )
