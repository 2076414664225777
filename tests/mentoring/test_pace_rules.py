"""The pace rules and quiet hours, table-driven: pure functions, no database."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from mentoring.pace import (
    AHEAD,
    ON_PACE,
    PAUSED,
    SLIPPING,
    STALLED,
    PaceFacts,
    judge,
)
from programmes.quiet_hours import in_quiet_hours, next_allowed

TODAY = date(2026, 3, 24)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def pair(cadence: str, interval: int, silent_for: int, **more) -> PaceFacts:
    """A paired mentee whose last session, and last anything, was `silent_for` days ago."""
    return PaceFacts(
        today=TODAY,
        name="Alex",
        phase_name="1:1 Mentoring",
        phase_criterion="sessions",
        joined_on=days_ago(200),
        has_mentor=True,
        paired_on=days_ago(150),
        cadence=cadence,
        interval_days=interval,
        last_session_on=days_ago(silent_for),
        last_active_on=days_ago(silent_for),
        **more,
    )


def kinds(verdict) -> set[tuple[str, str]]:
    return {(n.audience, n.kind) for n in verdict.nudges}


# silent for 21 days: three weeks late for a weekly pair, on pace for a monthly one.
@pytest.mark.parametrize(
    ("cadence", "interval", "silent_for", "status", "nudged"),
    [
        ("weekly", 7, 5, ON_PACE, set()),
        ("weekly", 7, 9, SLIPPING, {("mentee", "session_due")}),
        ("weekly", 7, 15, SLIPPING, {("mentee", "session_due"), ("mentor", "partner_slipping")}),
        ("weekly", 7, 21, STALLED, {("mentee", "session_due"), ("mentor", "partner_slipping")}),
        ("monthly", 30, 21, ON_PACE, set()),
        ("monthly", 30, 40, SLIPPING, {("mentee", "session_due")}),
        ("monthly", 30, 95, STALLED, {("mentee", "session_due"), ("mentor", "partner_slipping")}),
        ("fortnightly", 14, 18, SLIPPING, {("mentee", "session_due")}),
    ],
)
def test_silence_is_judged_against_the_pairs_own_rhythm(
    cadence, interval, silent_for, status, nudged
):
    verdict = judge(pair(cadence, interval, silent_for))
    assert verdict.status == status
    assert kinds(verdict) == nudged
    assert verdict.flag_lead == (status == STALLED)


def test_a_weekly_and_a_monthly_mentee_with_the_same_silence_get_different_outcomes():
    weekly, monthly = judge(pair("weekly", 7, 21)), judge(pair("monthly", 30, 21))
    assert (weekly.status, monthly.status) == (STALLED, ON_PACE)
    assert weekly.behind == pytest.approx(3.0)
    assert monthly.behind == pytest.approx(0.7)


def test_the_reason_says_what_happened_and_what_was_agreed():
    verdict = judge(pair("fortnightly", 14, 30))
    assert verdict.reason == "No session since 22 February; the agreed rhythm is fortnightly."
    mentee = verdict.nudge_for("mentee")
    assert mentee is not None and mentee.target == "cadence"
    assert "22 February" in mentee.body


def test_two_ignored_nudges_flag_the_lead_even_when_only_slipping():
    slipping = pair("weekly", 7, 10)
    assert judge(slipping).status == SLIPPING
    ignored = judge(replace(slipping, ignored_nudges=2))
    assert ignored.status == STALLED and ignored.flag_lead


def test_someone_who_acted_recently_is_not_nudged_though_the_pair_has_not_met():
    facts = replace(pair("weekly", 7, 12), last_active_on=days_ago(1))
    verdict = judge(facts)
    assert verdict.status == SLIPPING
    assert ("mentee", "session_due") not in kinds(verdict)


def test_a_snoozed_mentee_keeps_their_status_but_gets_no_nudge():
    facts = replace(pair("weekly", 7, 12), snoozed_until=TODAY)
    verdict = judge(facts)
    assert verdict.status == SLIPPING
    assert verdict.nudge_for("mentee") is None


def test_a_paused_mentee_is_paused_until_the_day_after_and_nobody_is_nudged():
    verdict = judge(replace(pair("weekly", 7, 60), paused_until=days_ago(-5)))
    assert verdict.status == PAUSED
    assert verdict.reason == "Paused until 29 March."
    assert verdict.nudges == ()
    assert verdict.next_check_on == date(2026, 3, 30)
    # The day after the pause, the silence counts again.
    assert judge(replace(pair("weekly", 7, 60), paused_until=days_ago(1))).status == STALLED


@pytest.mark.parametrize("starts_in", [1, 30])
def test_before_the_programme_starts_nothing_is_due_and_nobody_is_nudged(starts_in):
    # Joined and paired weeks before the start, and nothing done since: not behind yet.
    facts = replace(pair("weekly", 7, 60), programme_starts_on=days_ago(-starts_in))
    verdict = judge(facts)
    assert verdict.status == ON_PACE
    start = TODAY + timedelta(days=starts_in)
    assert verdict.reason == (
        f"The programme starts on {start.day} {start:%B}; pace is judged from then."
    )
    assert verdict.nudges == ()
    assert verdict.next_check_on == start


@pytest.mark.parametrize(
    ("started_days_ago", "status"),
    [(3, ON_PACE), (9, SLIPPING), (30, STALLED)],
)
def test_once_it_starts_the_clocks_count_from_the_start_not_from_joining(started_days_ago, status):
    # Silent for 60 days, but the programme (weekly rhythm) began `started_days_ago` days
    # ago: the silence counts from then.
    facts = replace(
        pair("weekly", 7, 60),
        last_session_on=None,
        paired_on=days_ago(90),
        programme_starts_on=days_ago(started_days_ago),
    )
    verdict = judge(facts)
    assert verdict.status == status
    if status != ON_PACE:
        began = days_ago(started_days_ago)
        assert f"since the programme began on {began.day} {began:%B}" in verdict.reason


def test_a_phase_that_began_before_the_programme_counts_its_days_from_the_start():
    facts = PaceFacts(
        today=TODAY,
        phase_name="Research",
        phase_criterion="baseline",
        phase_started_on=days_ago(40),
        expected_weeks=2,
        joined_on=days_ago(40),
        last_active_on=days_ago(1),
        programme_starts_on=days_ago(10),
    )
    assert judge(facts).status == ON_PACE  # 10 days of a planned 14, not 40
    later = judge(replace(facts, programme_starts_on=days_ago(20)))
    assert later.reason.startswith("20 days in Research")


def test_actions_due_before_the_start_are_late_only_from_the_start():
    # Two actions due 50 days ago; the weekly programme began 5 days ago: late by 5 days,
    # not 50 (on pace), though the reason keeps the real date.
    facts = replace(
        pair("weekly", 7, 2),
        overdue_actions=2,
        oldest_overdue_on=days_ago(50),
        programme_starts_on=days_ago(5),
    )
    assert judge(facts).status == ON_PACE
    later = judge(replace(facts, programme_starts_on=days_ago(9)))
    assert later.status == SLIPPING
    due = days_ago(50)
    assert later.reason == f"2 agreed actions overdue, the oldest since {due.day} {due:%B}."


def test_in_the_programmes_first_fortnight_practice_is_judged_on_the_days_so_far():
    facts = PaceFacts(
        today=TODAY,
        joined_on=days_ago(60),
        last_active_on=days_ago(1),
        target_per_week=3,
        done_last_fortnight=3,
        last_completion_on=days_ago(1),
        programme_starts_on=days_ago(7),
    )
    # A week in, three done of three a week: on pace (six would be due in a fortnight).
    assert judge(facts).status == ON_PACE
    slow = judge(replace(facts, done_last_fortnight=1))
    began = days_ago(7)
    assert slow.status == SLIPPING
    assert slow.reason == (
        f"1 activity since the programme began on {began.day} {began:%B} against a target "
        "of 3 a week."
    )


def test_someone_quiet_since_before_the_start_is_told_when_it_began():
    facts = PaceFacts(
        today=TODAY,
        joined_on=days_ago(60),
        last_active_on=days_ago(40),
        programme_starts_on=days_ago(3),
    )
    began = days_ago(3)
    assert judge(facts).reason == f"The programme began on {began.day} {began:%B}."


def test_a_start_in_another_year_says_the_year():
    facts = PaceFacts(today=TODAY, joined_on=days_ago(3), programme_starts_on=date(2027, 1, 5))
    assert (
        judge(facts).reason == "The programme starts on 5 January 2027; pace is judged from then."
    )


def test_an_operationalised_person_gets_a_light_monthly_check_in_instead():
    facts = PaceFacts(today=TODAY, operationalised_on=days_ago(40), last_active_on=days_ago(40))
    verdict = judge(facts)
    assert verdict.status == ON_PACE
    assert kinds(verdict) == {("mentee", "check_in")}
    assert verdict.next_check_on == TODAY + timedelta(days=30)
    assert judge(replace(facts, snoozed_until=TODAY)).nudges == ()


def test_ahead_means_beating_their_own_target_and_meeting_as_agreed():
    facts = replace(pair("weekly", 7, 3), target_per_week=2, done_last_fortnight=6)
    assert judge(facts).status == AHEAD
    assert judge(replace(facts, done_last_fortnight=3)).status == ON_PACE
    assert judge(replace(facts, done_last_fortnight=1)).status == SLIPPING


@pytest.mark.parametrize(
    ("target", "done", "last_done", "status"),
    [
        (3, 6, 1, ON_PACE),
        (3, 3, 2, ON_PACE),  # half their target: 1.0 behind, not yet slipping
        (3, 1, 5, SLIPPING),
        (1, 0, 20, SLIPPING),  # nothing for 20 days against one a week
        (1, 0, 25, STALLED),
    ],
)
def test_practice_is_judged_against_their_own_weekly_target(target, done, last_done, status):
    facts = PaceFacts(
        today=TODAY,
        joined_on=days_ago(100),
        target_per_week=target,
        done_last_fortnight=done,
        last_completion_on=days_ago(last_done),
        last_active_on=days_ago(2),
        phase_criterion="playbook",
    )
    assert judge(facts).status == status


def test_a_phase_taking_longer_than_planned_points_to_the_phases_own_next_step():
    facts = PaceFacts(
        today=TODAY,
        name="Ben",
        phase_name="Research",
        phase_criterion="baseline",
        phase_started_on=days_ago(30),
        expected_weeks=2,
        joined_on=days_ago(30),
        last_active_on=days_ago(3),
    )
    verdict = judge(facts)
    assert verdict.status == SLIPPING
    assert verdict.reason == (
        "30 days in Research; it is planned to take 2 weeks."
        " The baseline self-assessment is not in yet."
    )
    nudge = verdict.nudge_for("mentee")
    assert nudge is not None and nudge.target == "assessment"


@pytest.mark.parametrize(
    ("criterion", "more", "waiting_on"),
    [
        ("workshops", {}, "This phase's workshops are not all attended yet."),
        ("playbook", {"next_section": "Values"}, "Next in the playbook: “Values”."),
        ("playbook", {}, "Playbook sections are still open."),
        ("sessions", {"open_actions": 2}, "2 agreed actions still open."),
        ("sessions", {"open_actions": 1}, "1 agreed action still open."),
        ("sessions", {}, "More sessions are still to be logged."),
        ("signoff", {}, "This phase waits for a lead's sign-off."),
        ("manual", {}, "This phase waits for the mentor or a lead to move it on."),
    ],
)
def test_a_long_phase_says_what_it_still_waits_for(criterion, more, waiting_on):
    facts = PaceFacts(
        today=TODAY,
        phase_name="Phase",
        phase_criterion=criterion,
        phase_started_on=days_ago(30),
        expected_weeks=2,
        joined_on=days_ago(30),
        last_active_on=days_ago(1),
        **more,
    )
    assert judge(facts).reason == f"30 days in Phase; it is planned to take 2 weeks. {waiting_on}"


def test_a_playbook_mentee_is_pointed_at_their_next_unfinished_section():
    facts = PaceFacts(
        today=TODAY,
        phase_name="Playbook",
        phase_criterion="playbook",
        phase_started_on=days_ago(60),
        expected_weeks=4,
        next_section="Audiences",
        joined_on=days_ago(90),
        last_active_on=days_ago(20),
    )
    nudge = judge(facts).nudge_for("mentee")
    assert nudge is not None and nudge.target == "playbook" and "Audiences" in nudge.title


def test_overdue_actions_count_by_how_late_the_oldest_is():
    recent = replace(pair("fortnightly", 14, 3), overdue_actions=2, oldest_overdue_on=days_ago(2))
    assert judge(recent).status == ON_PACE
    old = replace(recent, oldest_overdue_on=days_ago(30))
    verdict = judge(old)
    assert verdict.status == SLIPPING
    assert verdict.reason == "2 agreed actions overdue, the oldest since 22 February."
    # However late, actions alone make a pair that keeps meeting slipping, never stalled.
    assert judge(replace(recent, oldest_overdue_on=days_ago(120))).status == SLIPPING


def test_the_mentor_is_asked_to_log_a_session_the_pair_planned_and_just_held():
    facts = replace(pair("weekly", 7, 8), planned_session_on=days_ago(1))
    verdict = judge(replace(facts, last_active_on=days_ago(1)))
    assert ("mentor", "log_session") in kinds(verdict)
    assert verdict.nudge_for("mentor").title == "Did you meet Alex on 23 March?"
    logged = replace(facts, last_session_on=days_ago(1))
    assert ("mentor", "log_session") not in kinds(judge(logged))


def test_sections_waiting_for_review_nudge_the_mentor_after_two_days():
    facts = replace(pair("weekly", 7, 2), sections_waiting_review=2)
    assert ("mentor", "review_waiting") not in kinds(
        judge(replace(facts, review_waiting_since=days_ago(1)))
    )
    assert ("mentor", "review_waiting") in kinds(
        judge(replace(facts, review_waiting_since=days_ago(3)))
    )


@pytest.mark.parametrize(
    ("answers", "gaps", "asked"),
    [
        (("more", "more"), (), True),
        (("less", "less"), (), True),
        (("more", "right"), (), False),
        (("right", "right"), (), False),
        ((), (30, 28, 31), True),  # a fortnightly pair really meeting monthly
        ((), (14, 15, 13), False),
    ],
)
def test_the_pair_is_asked_to_rethink_their_rhythm_when_answers_or_reality_say_so(
    answers, gaps, asked
):
    facts = replace(pair("fortnightly", 14, 3), frequency_answers=answers, recent_gaps=gaps)
    got = kinds(judge(facts))
    assert (("mentee", "cadence_check") in got) == asked
    assert (("mentor", "cadence_check") in got) == asked


@pytest.mark.parametrize(
    ("cadence", "answers", "gaps", "suggested"),
    [
        ("fortnightly", ("more", "more"), (), "weekly"),
        ("fortnightly", ("less", "less"), (), "monthly"),
        ("monthly", ("more", "more"), (), "fortnightly"),
        ("weekly", ("more", "more"), (), None),  # nothing more often to offer
        ("monthly", ("less", "less"), (), None),
        ("weekly", (), (30, 28, 31), "monthly"),
        ("weekly", (), (14, 13, 15), "fortnightly"),
        ("monthly", (), (7, 6, 8), "weekly"),
        ("weekly", (), (7, 9, 8), None),
    ],
)
def test_the_one_click_suggestion_moves_one_step_or_to_the_real_rhythm(
    cadence, answers, gaps, suggested
):
    from mentoring.pace import RHYTHM_DAYS, cadence_suggestion

    found = cadence_suggestion(
        cadence=cadence, interval_days=RHYTHM_DAYS[cadence], answers=answers, gaps=gaps
    )
    assert (found[0] if found else None) == suggested


def test_the_next_look_is_when_the_next_threshold_is_crossed_and_never_beyond_a_week():
    # Fortnightly, 14 days silent: slipping starts at 1.25 x 14 = 17.5 days, so on day 18.
    assert judge(pair("fortnightly", 14, 14)).next_check_on == days_ago(14) + timedelta(days=18)
    # Slipping already: the next look is when the mentor would be told (2 x 14: day 28).
    assert judge(pair("fortnightly", 14, 22)).next_check_on == days_ago(22) + timedelta(days=28)
    # Monthly, 1 day silent: the next threshold is over a month off; look again in a week.
    assert judge(pair("monthly", 30, 1)).next_check_on == TODAY + timedelta(days=7)


def test_the_wording_varies_from_week_to_week():
    titles = {judge(replace(pair("weekly", 7, 12), variant=v)).nudges[0].title for v in range(3)}
    assert len(titles) == 3


# --- Quiet hours -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("local", "quiet_from", "quiet_until", "quiet"),
    [
        (time(23, 0), time(22, 0), time(7, 0), True),  # across midnight, before it
        (time(3, 0), time(22, 0), time(7, 0), True),  # across midnight, after it
        (time(7, 0), time(22, 0), time(7, 0), False),  # the end is not quiet
        (time(12, 0), time(22, 0), time(7, 0), False),
        (time(13, 0), time(12, 0), time(14, 0), True),  # a lunch break
        (time(14, 0), time(12, 0), time(14, 0), False),
        (time(3, 0), None, None, False),
        (time(3, 0), time(22, 0), time(22, 0), False),  # same start and end: none
    ],
)
def test_quiet_hours(local, quiet_from, quiet_until, quiet):
    assert in_quiet_hours(local, quiet_from, quiet_until) is quiet


@pytest.mark.parametrize(
    ("now_utc", "zone", "expected_utc"),
    [
        # 23:30 in London (GMT in winter): wait until 07:00 London the next day.
        (datetime(2026, 1, 10, 23, 30, tzinfo=UTC), "Europe/London", datetime(2026, 1, 11, 7, 0)),
        # 14:00 UTC is 23:00 in Tokyo: wait until 07:00 Tokyo = 22:00 UTC.
        (datetime(2026, 1, 10, 14, 0, tzinfo=UTC), "Asia/Tokyo", datetime(2026, 1, 10, 22, 0)),
        # 14:00 UTC is 09:00 in New York: not quiet, send now.
        (
            datetime(2026, 1, 10, 14, 0, tzinfo=UTC),
            "America/New_York",
            datetime(2026, 1, 10, 14, 0),
        ),
        # 02:00 in London in summer (BST): 07:00 BST is 06:00 UTC.
        (datetime(2026, 7, 10, 1, 0, tzinfo=UTC), "Europe/London", datetime(2026, 7, 10, 6, 0)),
        # An unknown zone is read as UTC rather than failing the sweep.
        (datetime(2026, 1, 10, 23, 0, tzinfo=UTC), "Mars/Olympus", datetime(2026, 1, 11, 7, 0)),
    ],
)
def test_a_message_in_quiet_hours_waits_for_their_end_in_the_persons_own_zone(
    now_utc, zone, expected_utc
):
    got = next_allowed(now_utc, zone=zone, quiet_from=time(22, 0), quiet_until=time(7, 0))
    assert got == expected_utc.replace(tzinfo=UTC)
