from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from playbooks import periods
from playbooks.models import Activity, Completion


@dataclass
class Row:
    """One activity on one person's checklist, with where they stand on it today."""

    activity: Activity
    standing: periods.Standing
    completions: list[Completion]
    mentor_completions: list[Completion] = field(default_factory=list)


def checklist_rows(
    activities: Iterable[Activity],
    completions: Sequence[Completion],
    today: date,
    mentor_completions: Iterable[Completion] = (),
) -> tuple[list[Row], int]:
    """Rows for the checklist, and how many activities were done this week in all."""
    mine, theirs = defaultdict(list), defaultdict(list)
    for completion in completions:
        mine[completion.activity_id].append(completion)
    for completion in mentor_completions:
        theirs[completion.activity_id].append(completion)
    rows = [
        Row(
            activity,
            periods.standing(
                [c.done_on for c in mine[activity.pk]], activity.recurrence, activity.times, today
            ),
            mine[activity.pk],
            theirs[activity.pk],
        )
        for activity in activities
    ]
    this_week = periods.count_in_period([c.done_on for c in completions], periods.WEEK, today)
    return rows, this_week
