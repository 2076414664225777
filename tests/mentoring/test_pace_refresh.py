"""A pace that matches what just happened: a phase move, or an agreed action ticked off,
has the mentee judged again as soon as it commits (with the sweep's own facts and rules),
not a quarter of an hour later at the next sweep, and not days later at their next check."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mentoring.models import AgreedAction
from mentoring.services.pace import refresh
from mentoring.services.session import mark_action
from programmes.models import Membership, PaceStatus, Phase
from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_mentor, make_programme, make_user, noon_days_ago
from tests.mentoring.test_pace_sweep import log_session


@pytest.fixture
def lead(db):
    return make_user("Lena Lead", "lead@example.org")


def overrunning(programme, *, days: int = 60) -> Membership:
    """A mentee `days` into a first phase planned to take two weeks, active yesterday."""
    mentee = make_mentee(programme, mentor=make_mentor(programme))
    assert mentee.current_phase_id is not None
    Phase.objects.filter(pk=mentee.current_phase_id).update(expected_weeks=2)
    Membership.objects.filter(pk=mentee.pk).update(
        phase_started_at=noon_days_ago(days), last_active_at=noon_days_ago(1)
    )
    refresh([mentee.pk])
    mentee.refresh_from_db()
    return mentee


def test_moving_someone_on_judges_them_again_in_their_new_phase(
    lead, django_capture_on_commit_callbacks
):
    mentee = overrunning(make_programme(lead))
    was = mentee.current_phase.name
    assert mentee.pace_status == PaceStatus.STALLED
    assert f"60 days in {was}" in mentee.pace_reason
    due_later = timezone.now() + timedelta(days=5)
    Membership.objects.filter(pk=mentee.pk).update(pace_due_at=due_later)

    with django_capture_on_commit_callbacks(execute=True):
        advance_phase(membership=mentee, by=lead)

    mentee.refresh_from_db()
    assert mentee.current_phase.name != was
    assert was not in mentee.pace_reason
    assert mentee.pace_status != PaceStatus.STALLED
    # ...and the sweep is asked to look now (for nudges), not at the old check in 5 days.
    assert mentee.pace_due_at <= timezone.now()


def test_without_the_commit_nothing_is_judged_again(lead, django_capture_on_commit_callbacks):
    mentee = overrunning(make_programme(lead))
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        advance_phase(membership=mentee, by=lead)
    mentee.refresh_from_db()
    assert mentee.pace_status == PaceStatus.STALLED  # a rolled-back move changes nothing
    assert len(waiting) >= 1


def test_ticking_off_the_overdue_actions_clears_them_from_the_pace_at_once(
    lead, django_capture_on_commit_callbacks
):
    programme = make_programme(lead)
    Phase.objects.filter(programme=programme).update(expected_weeks=None)
    mentee = make_mentee(programme, mentor=make_mentor(programme))
    now = timezone.now()
    session = log_session(mentee, held_at=now - timedelta(days=3))
    actions = [
        AgreedAction.objects.create(
            session=session,
            mentee=mentee,
            text=f"Action {n}",
            due_on=(now - timedelta(days=20)).date(),
        )
        for n in range(2)
    ]
    Membership.objects.filter(pk=mentee.pk).update(last_active_at=now - timedelta(days=3))
    refresh([mentee.pk])
    mentee.refresh_from_db()
    assert "2 agreed actions overdue" in mentee.pace_reason

    mentor = session.mentor.user
    with django_capture_on_commit_callbacks(execute=True):
        mark_action(action=actions[0], by=mentor, done=True)
    mentee.refresh_from_db()
    assert "1 agreed action overdue" in mentee.pace_reason
    with django_capture_on_commit_callbacks(execute=True):
        mark_action(action=actions[1], by=mentor, done=True)
    mentee.refresh_from_db()
    assert "overdue" not in mentee.pace_reason


def test_refresh_leaves_alone_anyone_the_sweep_would_not_judge(lead):
    programme = make_programme(lead)
    mentor = make_mentor(programme)
    assert refresh([mentor.pk]) == 0
    mentee = make_mentee(programme)
    Membership.objects.filter(pk=mentee.pk).update(is_active=False)
    assert refresh([mentee.pk]) == 0
