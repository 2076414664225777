"""The SESSIONS_LOGGED exit criterion: enough sessions in the phase, every action done."""

from datetime import date

from mentoring.services.session import mark_action, save_session, start_session
from programmes.models import ExitCriterion, Pairing
from programmes.services.progress import advance_phase, is_checked_automatically


def _log(cast, actions=()):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    session = start_session(pairing=pairing, by=cast.mentor)
    return save_session(
        session=session, by=cast.mentor, version=0, fields={}, actions=actions, log=True
    )


def _into_mentoring_phase(cast):
    membership = cast.mentee_membership
    for _ in range(10):
        membership.refresh_from_db()
        if membership.current_phase.exit_criterion == ExitCriterion.SESSIONS_LOGGED:
            return membership.current_phase
        advance_phase(membership=membership, by=cast.lead)
    raise AssertionError("the template has no sessions phase")


def test_a_mentee_moves_on_once_enough_sessions_are_logged_and_their_actions_done(cast):
    phase = _into_mentoring_phase(cast)
    assert is_checked_automatically(phase)
    phase.exit_count = 2
    phase.save()
    _log(cast)
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase == phase
    second = _log(cast, actions=[{"text": "Post weekly", "due_on": date(2026, 3, 9)}])
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase == phase  # an action is still open
    mark_action(action=second.actions.get(), by=cast.mentee, done=True)
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase != phase
