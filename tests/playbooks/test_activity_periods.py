"""Period and streak maths for recurring activities, across week, month and year ends and
time zones. Plain functions, so the tables say it all."""

from datetime import UTC, date, datetime

import pytest

from playbooks import periods
from playbooks.periods import FORTNIGHT, MONTH, ONCE, WEEK

D = date


@pytest.mark.parametrize(
    ("day", "recurrence", "start", "next_start"),
    [
        # weeks run Monday to Sunday, across a month end and a year end
        (D(2025, 3, 5), WEEK, D(2025, 3, 3), D(2025, 3, 10)),
        (D(2025, 3, 3), WEEK, D(2025, 3, 3), D(2025, 3, 10)),
        (D(2025, 3, 9), WEEK, D(2025, 3, 3), D(2025, 3, 10)),
        (D(2025, 5, 1), WEEK, D(2025, 4, 28), D(2025, 5, 5)),
        (D(2025, 12, 31), WEEK, D(2025, 12, 29), D(2026, 1, 5)),
        (D(2026, 1, 4), WEEK, D(2025, 12, 29), D(2026, 1, 5)),
        # leap day
        (D(2028, 2, 29), WEEK, D(2028, 2, 28), D(2028, 3, 6)),
        # fortnights are fixed pairs of weeks, counted from a Monday in 2001
        (D(2001, 1, 1), FORTNIGHT, D(2001, 1, 1), D(2001, 1, 15)),
        (D(2001, 1, 14), FORTNIGHT, D(2001, 1, 1), D(2001, 1, 15)),
        (D(2001, 1, 15), FORTNIGHT, D(2001, 1, 15), D(2001, 1, 29)),
        (D(2000, 12, 31), FORTNIGHT, D(2000, 12, 18), D(2001, 1, 1)),
        (D(2025, 12, 28), FORTNIGHT, D(2025, 12, 15), D(2025, 12, 29)),
        (D(2025, 12, 31), FORTNIGHT, D(2025, 12, 29), D(2026, 1, 12)),
        (D(2026, 1, 5), FORTNIGHT, D(2025, 12, 29), D(2026, 1, 12)),
        (D(2026, 1, 12), FORTNIGHT, D(2026, 1, 12), D(2026, 1, 26)),
        # months are calendar months
        (D(2025, 1, 31), MONTH, D(2025, 1, 1), D(2025, 2, 1)),
        (D(2025, 2, 28), MONTH, D(2025, 2, 1), D(2025, 3, 1)),
        (D(2024, 2, 29), MONTH, D(2024, 2, 1), D(2024, 3, 1)),
        (D(2025, 12, 31), MONTH, D(2025, 12, 1), D(2026, 1, 1)),
        (D(2026, 1, 1), MONTH, D(2026, 1, 1), D(2026, 2, 1)),
    ],
)
def test_a_day_falls_in_the_period_that_starts_and_ends_where_expected(
    day, recurrence, start, next_start
):
    assert periods.period_start(day, recurrence) == start
    assert periods.next_period_start(start, recurrence) == next_start
    assert start <= day < next_start


@pytest.mark.parametrize("recurrence", [WEEK, FORTNIGHT, MONTH])
def test_periods_tile_the_calendar_without_gaps_or_overlaps_over_three_years(recurrence):
    day = D(2024, 1, 1)
    start = periods.period_start(day, recurrence)
    while day < D(2027, 1, 1):
        end = periods.next_period_start(start, recurrence)
        if day >= end:
            start = end
        assert periods.period_start(day, recurrence) == start
        day = D.fromordinal(day.toordinal() + 1)


def test_a_once_only_activity_has_no_periods():
    with pytest.raises(ValueError):
        periods.period_start(D(2025, 1, 1), ONCE)


@pytest.mark.parametrize(
    ("time_zone", "now", "today"),
    [
        # Sunday 23:30 in London is still the old week; in Auckland it is Monday, a new week
        ("Europe/London", datetime(2025, 3, 9, 23, 30, tzinfo=UTC), D(2025, 3, 9)),
        ("Pacific/Auckland", datetime(2025, 3, 9, 23, 30, tzinfo=UTC), D(2025, 3, 10)),
        # New Year's Eve evening in Los Angeles is already New Year's Day in UTC
        ("America/Los_Angeles", datetime(2026, 1, 1, 5, 0, tzinfo=UTC), D(2025, 12, 31)),
        ("Asia/Tokyo", datetime(2025, 12, 31, 15, 0, tzinfo=UTC), D(2026, 1, 1)),
        # a half-hour zone, and summer time in London
        ("Asia/Kolkata", datetime(2025, 1, 31, 18, 29, tzinfo=UTC), D(2025, 1, 31)),
        ("Asia/Kolkata", datetime(2025, 1, 31, 18, 30, tzinfo=UTC), D(2025, 2, 1)),
        ("Europe/London", datetime(2025, 6, 30, 23, 30, tzinfo=UTC), D(2025, 7, 1)),
    ],
)
def test_today_is_the_persons_own_calendar_date(time_zone, now, today):
    assert periods.today_in(time_zone, now) == today


@pytest.mark.parametrize(
    ("time_zone", "now", "week_start"),
    [
        ("Europe/London", datetime(2025, 3, 9, 23, 30, tzinfo=UTC), D(2025, 3, 3)),
        ("Pacific/Auckland", datetime(2025, 3, 9, 23, 30, tzinfo=UTC), D(2025, 3, 10)),
        ("America/Los_Angeles", datetime(2026, 1, 5, 7, 0, tzinfo=UTC), D(2025, 12, 29)),
    ],
)
def test_this_week_depends_on_where_the_person_is(time_zone, now, week_start):
    assert periods.period_start(periods.today_in(time_zone, now), WEEK) == week_start


@pytest.mark.parametrize(
    ("done", "recurrence", "today", "count"),
    [
        ([D(2025, 12, 28), D(2025, 12, 29), D(2026, 1, 2)], WEEK, D(2026, 1, 4), 2),
        ([D(2025, 12, 31), D(2026, 1, 1)], MONTH, D(2026, 1, 15), 1),
        ([D(2025, 12, 31), D(2026, 1, 1)], MONTH, D(2025, 12, 31), 1),
        ([D(2025, 12, 22), D(2026, 1, 4), D(2026, 1, 5)], FORTNIGHT, D(2026, 1, 1), 2),
        ([], WEEK, D(2026, 1, 1), 0),
    ],
)
def test_this_periods_count_takes_only_the_current_period(done, recurrence, today, count):
    assert periods.count_in_period(done, recurrence, today) == count


MON = D(2026, 1, 5)  # weeks before it begin on 29 Dec, 22 Dec, 15 Dec, 8 Dec, 1 Dec


def weeks_ago(n: int, day: int = 0) -> date:
    return D.fromordinal(MON.toordinal() - 7 * n + day)


@pytest.mark.parametrize(
    ("done", "target", "today", "expected"),
    [
        ([], 1, MON, 0),
        # this week is under way: not yet done does not break the streak
        ([weeks_ago(1), weeks_ago(2), weeks_ago(3)], 1, MON, 3),
        ([MON, weeks_ago(1), weeks_ago(2)], 1, MON, 3),
        # one missed week (two weeks ago) is forgiven, the second miss ends it
        ([weeks_ago(1), weeks_ago(3), weeks_ago(4)], 1, MON, 3),
        ([weeks_ago(1), weeks_ago(3), weeks_ago(5)], 1, MON, 2),
        # two missed weeks in a row end it
        ([weeks_ago(3), weeks_ago(4)], 1, MON, 0),
        # the last week missed, forgiven
        ([weeks_ago(2), weeks_ago(3)], 1, MON, 2),
        # a target of three: two in a week is a miss
        ([weeks_ago(1, d) for d in range(3)] + [weeks_ago(2, d) for d in range(2)], 3, MON, 1),
        (
            [weeks_ago(1, d) for d in range(3)]
            + [weeks_ago(2, d) for d in range(2)]
            + [weeks_ago(3, d) for d in range(3)],
            3,
            MON,
            2,
        ),
        # completions dated after today (another time zone's tomorrow) are not counted
        ([D(2026, 1, 12)], 1, MON, 0),
    ],
)
def test_a_weekly_streak_forgives_one_missed_week(done, target, today, expected):
    assert periods.streak(done, WEEK, target, today) == expected


@pytest.mark.parametrize(
    ("done", "today", "expected"),
    [
        # November, December, January across the year end
        ([D(2025, 11, 30), D(2025, 12, 1), D(2026, 1, 31)], D(2026, 1, 31), 3),
        # October met, November missed (forgiven), December met, January under way
        ([D(2025, 10, 3), D(2025, 12, 24)], D(2026, 1, 10), 2),
        ([D(2025, 9, 3), D(2025, 10, 3)], D(2026, 1, 10), 0),
    ],
)
def test_a_monthly_streak_runs_across_the_year_end(done, today, expected):
    assert periods.streak(done, MONTH, 1, today) == expected


def test_a_fortnightly_streak_counts_fortnights_not_weeks():
    done = [D(2025, 12, 2), D(2025, 12, 16), D(2026, 1, 6)]
    assert periods.streak(done, FORTNIGHT, 1, D(2026, 1, 10)) == 3


@pytest.mark.parametrize(
    ("done", "recurrence", "target", "expected"),
    [
        ([], ONCE, 1, (0, 1, False, 1)),
        ([D(2025, 1, 1), D(2025, 2, 1)], ONCE, 1, (1, 1, True, 0)),
        ([MON, MON], WEEK, 5, (2, 5, False, 3)),
        ([MON] * 5, WEEK, 5, (5, 5, True, 0)),
    ],
)
def test_standing_says_how_many_are_done_and_left(done, recurrence, target, expected):
    standing = periods.standing(done, recurrence, target, MON)
    assert (standing.done, standing.target, standing.is_met, standing.left) == expected
