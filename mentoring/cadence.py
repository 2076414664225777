"""When a pair's next session is due: pure date maths, no Django."""

from __future__ import annotations

from datetime import datetime, timedelta

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
