from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from playbooks import periods
from playbooks.models import Activity, Completion
from programmes.models import Membership, Programme
from programmes.selectors.programme import programme_mentees

# People a page on the lead's cohort lists, as the dashboard's timelines and the people page do.
PAGE_SIZE = 50


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


def member_address(name: str, slug: str) -> str:
    """The address of the programme's page `name` (which ends in a member's id) up to that
    id: a row appends its id and a slash. One reverse() a page instead of one a row."""
    path = reverse(name, args=[slug, 0])
    if not path.endswith("/0/"):
        raise ValueError(f"{name} does not end in a member's id: {path}")
    return path.removesuffix("0/")


def checklist_owners(programme: Programme) -> QuerySet[Membership]:
    """The programme's active mentees by name, with their personal target and the day of
    their last completion, for a paginated list. The day is looked up per listed mentee on
    (membership, done_on), newest first: no MAX over every completion of the programme."""
    last = Completion.objects.filter(membership=OuterRef("pk")).order_by("-done_on")
    return (
        programme_mentees(programme)
        .select_related("activity_target")
        .annotate(last_done=Subquery(last.values("done_on")[:1]))
    )
