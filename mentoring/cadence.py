"""When a pair's next session is due: pure date maths, no Django.

`next_session_on` is the one rule every page, email and calendar uses for "the next session".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

# The gap each agreed cadence means. "When needed" has none: nothing is ever overdue.
CADENCE_DAYS: dict[str, int | None] = {
    "weekly": 7,
    "fortnightly": 14,
    "monthly": 30,
    "when_needed": None,
}


def next_due(
    *, cadence: str | None, last_session: datetime | None, since: datetime
) -> datetime | None:
    """One agreed interval after the last session, or after the pair started before their
    first. No agreed cadence, or "when needed", means no due date."""
    days = CADENCE_DAYS.get(cadence or "")
    if days is None:
        return None
    return (last_session or since) + timedelta(days=days)


def days_overdue(due: datetime | None, now: datetime) -> int:
    """Whole days past the due date; 0 when it is not due yet, or never due."""
    if due is None or now <= due:
        return 0
    return (now - due).days


def next_session_on(
    *,
    agreed: date | None,
    last_held: date | None,
    cadence: str | None,
    since: date,
    today: date,
    starts_on: date | None = None,
) -> date | None:
    """The date of a pair's next session.

    A next date the pair agreed in their last session wins while it is still ahead (today
    counts). Otherwise it is one agreed interval after their last session, or after they were
    paired if they have not met yet; that date may be past, which makes the session overdue.
    With no agreed cadence (or "when needed") and no date ahead, there is none. The
    interval never runs before the programme starts (`starts_on`): a pair matched before
    it, or who met before it, is first due one interval after the start."""
    if agreed is not None and agreed >= today:
        return agreed
    days = CADENCE_DAYS.get(cadence or "")
    if days is None:
        return None
    base = last_held or since
    if starts_on is not None and base < starts_on:
        base = starts_on
    return base + timedelta(days=days)


def days_late(due: date | None, today: date) -> int:
    """Whole days a session due on `due` is late by; 0 when it is not due yet, or never."""
    if due is None or today <= due:
        return 0
    return (today - due).days
