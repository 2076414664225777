"""Reading the app's calendars the way calendar apps do: with two independent parsers,
which must agree on every event's instant."""

from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
import vobject


@dataclass(frozen=True)
class Instant:
    uid: str
    start: datetime  # in UTC
    end: datetime


def _icalendar(body: bytes) -> list[Instant]:
    read = []
    for event in icalendar.Calendar.from_ical(body).events:
        start, end = event.start, event.end
        assert isinstance(start, datetime) and isinstance(end, datetime)  # not all-day
        read.append(Instant(str(event["UID"]), start.astimezone(UTC), end.astimezone(UTC)))
    return read


def _vobject(body: bytes) -> list[Instant]:
    calendar = vobject.readOne(body.decode())
    return [
        Instant(
            event.uid.value,
            event.dtstart.value.astimezone(UTC),
            event.dtend.value.astimezone(UTC),
        )
        for event in getattr(calendar, "vevent_list", [])
    ]


def instants(body: bytes) -> dict[str, Instant]:
    """Each event's start and end by its UID, as icalendar and vobject both read them; fails
    if they read any event differently, or if a time is not in UTC."""
    read_by_icalendar, read_by_vobject = _icalendar(body), _vobject(body)
    assert read_by_icalendar == read_by_vobject
    assert b"VTIMEZONE" not in body and b"TZID" not in body
    for line in body.decode().splitlines():
        if line.startswith(("DTSTART", "DTEND")):
            assert line.endswith("Z"), line  # UTC: no calendar app can read it differently
    return {instant.uid: instant for instant in read_by_icalendar}
