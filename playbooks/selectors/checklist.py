"""The activity checklist's rows, ready to draw: each activity with where its owner stands on
it today, their log and their mentor's, and the addresses the row's buttons post to.

The page draws a row per activity and a line per logged completion. Everything a row needs
that costs Python per row in a template (the log's address, each day's two spellings) is
worked out here once, so the template only prints.

`own_checklist` serves the person's own checklist. Its owner is the membership that
`programme_access` found for the signed-in person (their own, active), so all of the owner's
completions and target are theirs to read: the first rule of `Completion.visible_to` and
`PersonalTarget.visible_to` (a person's own memberships). Their current mentor's
completions are what the second rule of `Completion.visible_to` shows a mentee (an active
mentee, their mentor's, while the pairing lasts). Filtering on the owner directly lets the
database use the (membership, done_on) index rather than work out every membership the
person may see; `tests/playbooks/test_checklist_rows.py` checks both give the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from playbooks import periods
from playbooks.models import Activity, Completion, PersonalTarget
from playbooks.selectors.activity import Row
from programmes.models import Membership, Role
from programmes.selectors.rows import id_prefix


@dataclass
class ChecklistRow(Row):
    """A checklist row with the address its "Done today" and "Log with details" use."""

    log_url: str = ""


@dataclass
class OwnChecklist:
    rows: list[ChecklistRow] = field(default_factory=list)
    this_week: int = 0
    target: PersonalTarget | None = None


# How many of a row's completions the page lists: the owner's latest, their mentor's latest.
OWN_SHOWN, MENTORS_SHOWN = 10, 3


class _Days:
    """Each day as the `date` filter spells it (`spelling`), worked out once per day however
    many completions share it."""

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling
        self.seen: dict[date, str] = {}

    def __call__(self, day: date) -> str:
        found = self.seen.get(day)
        if found is None:
            found = self.seen[day] = dateformat.format(day, self.spelling)
        return found


def _own_line(completion: Completion, day: str) -> SafeString:
    """One line of the owner's log, as the checklist lists it (before its Undo button)."""
    parts = [format_html('<time datetime="{}">{}</time>', completion.done_on.isoformat(), day)]
    if completion.evidence_url:
        parts.append(
            format_html(
                ' · <a href="{}" rel="noopener noreferrer nofollow">evidence</a>',
                completion.evidence_url,
            )
        )
    if completion.note:
        parts.append(format_html(" · {}", completion.note))
    if completion.what_worked:
        parts.append(format_html("<br><strong>Worked:</strong> {}", completion.what_worked))
    if completion.what_failed:
        parts.append(format_html("<br><strong>Didn't:</strong> {}", completion.what_failed))
    return mark_safe("\n".join(parts))  # nosec B308 B703: each part is format_html's


def _mentor_line(completion: Completion, day: str) -> SafeString:
    """One of the mentor's completions beside the mentee's row."""
    parts = [
        format_html(
            '{}, <time datetime="{}">{}</time>',
            completion.membership.user.display_name,
            completion.done_on.isoformat(),
            day,
        )
    ]
    if completion.evidence_url:
        parts.append(
            format_html(
                ' · <a href="{}" rel="noopener noreferrer nofollow">see it</a>',
                completion.evidence_url,
            )
        )
    if completion.what_worked:
        parts.append(format_html("\n<br><strong>What worked:</strong> {}", completion.what_worked))
    if completion.what_failed:
        parts.append(format_html("\n<br><strong>What didn't:</strong> {}", completion.what_failed))
    if completion.note:
        parts.append(format_html("\n<br>{}", completion.note))
    return mark_safe("".join(parts))  # nosec B308 B703: each part is format_html's


def log_address(slug: str, owner: Membership) -> str:
    """The address of `owner`'s log form for an activity, up to the activity's id: one
    reverse() a page instead of two a row."""
    return id_prefix("playbooks:log_completion", slug, owner.pk)


def rows_for(
    activities: Iterable[Activity],
    completions: Sequence[Completion],
    today: date,
    mentor_completions: Iterable[Completion] = (),
    *,
    log_url: str = "",
) -> tuple[list[ChecklistRow], int]:
    """Rows for the checklist (each activity with where the owner stands on it today, their
    completions and their mentor's) and how many activities they did this week in all, with
    each listed completion's line already written (`line`, `undoable`) and, given `log_url`
    (see `log_address`), each row's address."""
    mine: dict[int, list[Completion]] = defaultdict(list)
    theirs: dict[int, list[Completion]] = defaultdict(list)
    for completion in completions:
        mine[completion.activity_id].append(completion)
    for completion in mentor_completions:
        theirs[completion.activity_id].append(completion)
    own_day, mentor_day, now = _Days("D j M Y"), _Days("j M Y"), timezone.now()
    for listed in mine.values():
        for completion in listed[:OWN_SHOWN]:
            completion.line = _own_line(completion, own_day(completion.done_on))  # type: ignore[attr-defined]
            completion.undoable = completion.can_be_undone(now)  # type: ignore[attr-defined]
    for listed in theirs.values():
        for completion in listed[:MENTORS_SHOWN]:
            completion.line = _mentor_line(completion, mentor_day(completion.done_on))  # type: ignore[attr-defined]
    rows = []
    for activity in activities:
        done = mine[activity.pk]
        rows.append(
            ChecklistRow(
                activity,
                periods.standing(
                    [c.done_on for c in done], activity.recurrence, activity.times, today
                ),
                done,
                theirs[activity.pk],
                log_url=f"{log_url}{activity.pk}/" if log_url else "",
            )
        )
    this_week = periods.count_in_period([c.done_on for c in completions], periods.WEEK, today)
    return rows, this_week


def own_completions(owner: Membership) -> tuple[list[Completion], list[Completion]]:
    """The owner's own completions and, for a mentee, their current mentor's (with the
    mentor's name), newest first. `owner` is the signed-in person's own active membership
    (see the module's note). Two queries, each on an index: one OR across both would
    read every completion."""
    mine = list(Completion.objects.filter(membership=owner))
    if owner.role != Role.MENTEE:
        return mine, []
    theirs = Completion.objects.filter(
        membership__role=Role.MENTOR,
        membership__programme_id=owner.programme_id,
        membership__mentor_pairings__mentee=owner,
        membership__mentor_pairings__ended_at__isnull=True,
    ).select_related("membership__user")
    return mine, list(theirs)


def own_checklist(
    activities: Iterable[Activity], owner: Membership, today: date, slug: str
) -> OwnChecklist:
    """The signed-in person's own checklist: rows, the week's count and (a mentee's)
    personal target, in three queries besides the activities'."""
    mine, theirs = own_completions(owner)
    rows, this_week = rows_for(activities, mine, today, theirs, log_url=log_address(slug, owner))
    target = None
    if owner.role == Role.MENTEE:
        target = PersonalTarget.objects.filter(membership=owner).first()
    return OwnChecklist(rows, this_week, target)
