"""Quiet hours in a person's own time zone: pure time maths, no Django."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def in_quiet_hours(local: time, quiet_from: time | None, quiet_until: time | None) -> bool:
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= local < quiet_until
    return local >= quiet_from or local < quiet_until  # across midnight


def next_allowed(
    now: datetime, *, zone: str, quiet_from: time | None, quiet_until: time | None
) -> datetime:
    """`now`, or the end of the person's quiet hours in their own time zone if `now` is in
    them. `now` must be aware; the answer is in the same zone as `now`."""
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    local = now.astimezone(tz)
    if not in_quiet_hours(local.time(), quiet_from, quiet_until):
        return now
    assert quiet_until is not None
    end = datetime.combine(local.date(), quiet_until, tzinfo=tz)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), quiet_until, tzinfo=tz)
    return end.astimezone(now.tzinfo)
