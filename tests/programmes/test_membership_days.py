"""Days in a phase count from the programme's start at the earliest, as the pace rules do."""

from datetime import UTC, date, datetime

import pytest

from programmes.models.membership import days_in_phase

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("started_at", "starts_on", "expected"),
    [
        (None, None, None),
        (datetime(2026, 3, 10, 12, tzinfo=UTC), None, 10),
        (datetime(2026, 3, 10, 12, tzinfo=UTC), date(2026, 3, 1), 10),  # entered after the start
        (datetime(2026, 2, 20, 12, tzinfo=UTC), date(2026, 3, 15), 5),  # joined early
        (datetime(2026, 2, 20, 12, tzinfo=UTC), date(2026, 3, 20), 0),  # starts today
        (datetime(2026, 2, 20, 12, tzinfo=UTC), date(2026, 4, 1), None),  # not started yet
    ],
)
def test_days_in_phase(started_at, starts_on, expected, settings):
    settings.TIME_ZONE = "UTC"
    assert days_in_phase(started_at, starts_on, NOW) == expected
