from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString

from playbooks import periods
from playbooks.models import Activity, Completion, PersonalTarget
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


def checklist_owners(programme: Programme) -> QuerySet[Membership]:
    """The programme's active mentees by name, with their personal target (`per_week`, or
    None) and the day of their last completion, for a paginated list. The day is looked up
    per listed mentee on (membership, done_on), newest first: no MAX over every completion
    of the programme."""
    last = Completion.objects.filter(membership=OuterRef("pk")).order_by("-done_on")
    # The target too, per listed mentee (a join would pair every mentee of the programme
    # with their target before the page is cut).
    target = PersonalTarget.objects.filter(membership=OuterRef("pk")).values("per_week")
    return programme_mentees(programme).annotate(
        last_done=Subquery(last.values("done_on")[:1]),
        target_per_week=Subquery(target[:1]),
    )


def owner_row(mentee: Membership, checklist_address: str) -> SafeString:
    """One row of the lead's list of checklists (a mentee from `checklist_owners`), written
    here rather than in the template: the page has fifty, and the template's tags and
    filters cost more than the rest of the page."""
    phase = mentee.current_phase
    per_week = getattr(mentee, "target_per_week", None)
    last_done = getattr(mentee, "last_done", None)
    return format_html(
        '<tr><th scope="row"><a href="{}{}/">{}</a></th>'
        '<td data-label="Phase">{}</td>'
        '<td data-label="Personal target">{}</td>'
        '<td data-label="Last activity">{}</td></tr>',
        checklist_address,
        mentee.pk,
        mentee.user.display_name,
        "Operationalised" if phase is None else phase,
        "—" if per_week is None else f"{per_week} a week",
        dateformat.format(last_done, "j M Y") if last_done else "Nothing yet",
    )
