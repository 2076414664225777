"""The mentee's home names its open actions one way: the pace's set (every open action of
a logged session, whoever owns it) in the summary, the phase's own in the criterion, and
whose each is, so the mentee is never sent to tick an action that is their mentor's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AgreedAction, Owner
from mentoring.selectors.criterion import criterion_progress
from mentoring.services.pace import sweep
from mentoring.services.session import mark_action
from programmes.services.progress import criterion_met
from tests.mentoring.test_home_pace import home_html, into_mentoring
from tests.mentoring.test_home_pages import _home_queries
from tests.mentoring.test_session_pages import log_one


def _three_open(cast):
    """The demo's state: one of the mentee's actions left from an earlier phase, one of
    theirs and one of the mentor's agreed in this phase; both of the mentee's overdue."""
    late = timezone.localdate() - timedelta(days=30)
    log_one(cast, actions=[{"text": "Earlier post", "due_on": late}], days_ago=40)
    mentee = into_mentoring(cast)
    log_one(cast, actions=[{"text": "Post twice", "due_on": late}])
    log_one(
        cast,
        actions=[
            {
                "text": "Share my calendar",
                "owner": Owner.MENTOR,
                "due_on": timezone.localdate() + timedelta(days=4),
            }
        ],
    )
    for _ in range(3):
        log_one(cast)
    return mentee


def test_the_summary_counts_what_the_pace_counts_and_says_whose(client, cast):
    _three_open(cast)
    html = home_html(client, cast.mentee)
    assert "3 open actions, 2 yours and 1 your mentor&#x27;s</a>" in html
    assert '<span class="status status--warn">2 overdue</span>' in html
    # The criterion counts only this phase's sessions, and says so.
    assert (
        "5 sessions held (4 needed); 2 actions agreed in this phase, 1 yours and 1 your "
        "mentor&#x27;s, still open."
    ) in html
    # The sweep counts the same overdue actions as the summary.
    sweep()
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.pace_reason.startswith("2 agreed actions overdue")


def test_once_only_the_mentors_action_holds_the_phase_the_mentee_is_not_sent_to_tick_it(
    client, cast
):
    mentee = _three_open(cast)
    for action in AgreedAction.objects.filter(mentee=mentee, owner=Owner.MENTEE):
        mark_action(action=action, by=cast.mentee, done=True)

    progress = criterion_progress(mentee)
    assert progress is not None
    assert progress.summary == (
        "5 sessions held (4 needed); 1 action agreed in this phase, your mentor's, still open."
    )
    assert progress.blocker == (
        "Enough sessions are held: that action is all that holds this phase open. "
        "Your mentor ticks it off once it's done."
    )
    assert progress.met is criterion_met(mentee, mentee.current_phase) is False
    html = home_html(client, cast.mentee)
    assert "See your open actions" not in html
    assert "See your mentor&#x27;s action</a>" in html
    assert "1 open action, your mentor&#x27;s</a>" in html


def test_behind_on_an_own_action_from_an_earlier_phase_the_step_is_to_tick_it_off(client, cast):
    """The phase waits only for the mentor's action, but the pace (and its nudge) is about
    the mentee's own overdue one: the one next step sends them to it, not to the mentor's."""
    mentee = _three_open(cast)
    mark_action(
        action=AgreedAction.objects.get(mentee=mentee, text="Post twice"), by=cast.mentee, done=True
    )
    sweep()
    mentee.refresh_from_db()
    assert mentee.pace_status in {"slipping", "stalled"}
    assert mentee.pace_reason.startswith("1 agreed action overdue")
    html = home_html(client, cast.mentee)
    sessions = reverse("mentoring:sessions", kwargs={"slug": cast.programme.slug})
    assert f'href="{sessions}">Tick off your overdue action</a>' in html
    assert "See your mentor&#x27;s action</a>" not in html


def test_an_overdue_action_of_the_mentors_is_named_as_theirs_beside_the_pace(client, cast):
    late = timezone.localdate() - timedelta(days=30)
    into_mentoring(cast)
    log_one(cast, actions=[{"text": "Intro to Kim", "owner": Owner.MENTOR, "due_on": late}])
    sweep()
    html = home_html(client, cast.mentee)
    assert "1 open action, your mentor&#x27;s</a>" in html
    assert "1 overdue, your mentor&#x27;s</span>" in html
    assert "1 agreed action overdue" in html
    assert "Your pace counts your mentor's actions too." in html


@pytest.mark.django_db
def test_the_mentees_home_runs_the_same_queries_with_2_and_12_open_actions(client, cast):
    into_mentoring(cast)
    due = timezone.localdate()
    mine = {"text": "Mine", "due_on": due}
    theirs = {"text": "Theirs", "owner": Owner.MENTOR, "due_on": due}
    log_one(cast, actions=[mine, theirs])
    few = _home_queries(client, cast.mentee)
    for _ in range(5):
        log_one(cast, actions=[mine, theirs])
    assert _home_queries(client, cast.mentee) == few
