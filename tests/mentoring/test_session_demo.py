"""The demo has about ten weeks of sessions at each pair's own cadence, and seeding twice
adds nothing."""

import pytest
from django.core.management import call_command

from mentoring.models import AgreedAction, Guideline, MentoringSession, Reflection, SessionFeedback


def _counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (Guideline, MentoringSession, AgreedAction, Reflection, SessionFeedback)
    )


@pytest.mark.django_db
def test_the_demo_pairs_have_sessions_at_their_own_cadence_and_seeding_again_adds_none():
    call_command("seed_demo", quiet=True)
    assert Guideline.objects.count() == 3
    per_pair = {}
    for session in MentoringSession.objects.select_related("pairing"):
        per_pair.setdefault(session.mentee.user.email, []).append(session)
    assert len(per_pair) == 8
    assert len(per_pair["mentee@example.com"]) > len(per_pair["mentee3@example.com"])  # weekly
    assert AgreedAction.objects.filter(done_at__isnull=False).exists()
    assert AgreedAction.objects.filter(done_at__isnull=True).exists()
    assert {r.shared for r in Reflection.objects.all()} == {True, False}
    assert SessionFeedback.objects.exclude(rating=None).exists()
    before = _counts()
    call_command("seed_demo", quiet=True)
    assert _counts() == before
