"""Recurrence maths for the activity checklist: periods, counts against a target, streaks.

Plain Python with no Django, so it can be tested table-driven and read by the pace-aware
nudges later. Dates are the person's own calendar dates: "today" is worked out in their time
zone before anything here is called.

- A week runs Monday to Sunday (ISO).
- A fortnight is two such weeks, counted from a fixed Monday, so that everyone's fortnights
  line up and do not shift when someone joins.
- A month is a calendar month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

ONCE, WEEK, FORTNIGHT, MONTH = "once", "week", "fortnight", "month"
RECURRING = (WEEK, FORTNIGHT, MONTH)

# A Monday long before any programme; fortnights are counted in pairs of weeks from here.
FORTNIGHT_EPOCH = date(2001, 1, 1)


def today_in(time_zone: str, now: datetime) -> date:
    """The calendar date it is for a person in `time_zone` at the moment `now` (aware)."""
    return now.astimezone(ZoneInfo(time_zone)).date()


def period_start(day: date, recurrence: str) -> date:
    """The first day of the period that `day` falls in."""
    if recurrence == WEEK:
        return day - timedelta(days=day.weekday())
    if recurrence == FORTNIGHT:
        monday = day - timedelta(days=day.weekday())
        weeks = (monday - FORTNIGHT_EPOCH).days // 7
        return monday - timedelta(weeks=weeks % 2)
    if recurrence == MONTH:
        return day.replace(day=1)
    raise ValueError(f"{recurrence!r} does not repeat")


def next_period_start(start: date, recurrence: str) -> date:
    """The first day of the period after the one starting on `start`."""
    if recurrence == WEEK:
        return start + timedelta(weeks=1)
    if recurrence == FORTNIGHT:
        return start + timedelta(weeks=2)
    if recurrence == MONTH:
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    raise ValueError(f"{recurrence!r} does not repeat")


def previous_period_start(start: date, recurrence: str) -> date:
    return period_start(start - timedelta(days=1), recurrence)


def count_in_period(done_on: Iterable[date], recurrence: str, today: date) -> int:
    """How many of the dates fall in the period containing `today`."""
    start = period_start(today, recurrence)
    end = next_period_start(start, recurrence)
    return sum(1 for day in done_on if start <= day < end)


def streak(done_on: Iterable[date], recurrence: str, target: int, today: date) -> int:
    """How many periods in a row the target was met, counting back from now.

    The current period counts once its target is met, and never breaks the streak while it
    is still under way. One missed period inside a streak is forgiven (it is not counted,
    but the streak goes on); a second miss ends it.
    """
    counts: dict[date, int] = {}
    for day in done_on:
        if day <= today:
            start = period_start(day, recurrence)
            counts[start] = counts.get(start, 0) + 1
    if not counts:
        return 0
    earliest = min(counts)
    current = period_start(today, recurrence)
    met = 1 if counts.get(current, 0) >= target else 0
    forgiven = False
    start = previous_period_start(current, recurrence)
    while start >= earliest:
        if counts.get(start, 0) >= target:
            met += 1
        elif forgiven:
            break
        else:
            forgiven = True
        start = previous_period_start(start, recurrence)
    return met


@dataclass(frozen=True)
class Standing:
    """Where one person stands on one activity today."""

    recurrence: str
    target: int
    done: int  # in this period, or ever for a one-off
    streak: int

    @property
    def is_met(self) -> bool:
        return self.done >= self.target

    @property
    def left(self) -> int:
        return max(self.target - self.done, 0)


def standing(done_on: Iterable[date], recurrence: str, target: int, today: date) -> Standing:
    days = list(done_on)
    if recurrence == ONCE:
        return Standing(ONCE, 1, min(len(days), 1), 0)
    return Standing(
        recurrence,
        target,
        count_in_period(days, recurrence, today),
        streak(days, recurrence, target, today),
    )
