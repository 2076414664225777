"""A programme's nudges, for its leads: did they help, and what would the sweep send now.

Both answer in a fixed number of queries: the figures in one aggregate query, the preview
in the sweep's own reads (`gather` and `plan`, which change nothing) for one page of the
cohort, those furthest behind first: the page costs the same whatever the cohort's size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q

from mentoring.selectors.pace import gather
from mentoring.services.pace import plan
from programmes.models import (
    NUDGE_KINDS,
    Membership,
    Notification,
    NotificationKind,
    PaceStatus,
    Programme,
    Role,
)
from programmes.selectors.programme import whole_percentages
from programmes.services.notification import ACTED_WINDOW, ANSWERED_BY

WINDOWS = (30, 90)
PREVIEW_ROWS = 100
# Mentees judged per page of the preview: each costs the sweep's own work for one person.
JUDGED_PER_PAGE = 50
# A nudge counts as acted on if its recipient did what it asked within this many days.
ACTED_DAYS = ACTED_WINDOW.days


@dataclass
class KindFigures:
    """How many nudges of one kind the programme sent in a window, and how many were acted
    on."""

    kind: str
    label: str
    measured: bool  # whether acting on this kind is recorded at all
    sent: int = 0
    acted: int = 0
    # Sent within the last week and not acted on yet: still within their week, so neither
    # a success nor a miss. The share is of the others, whose outcome is known.
    waiting: int = 0

    @property
    def settled(self) -> int:
        return self.sent - self.waiting

    @property
    def percent(self) -> int | None:
        if not self.measured or not self.settled:
            return None
        return round(100 * self.acted / self.settled)


@dataclass
class WindowFigures:
    days: int
    kinds: list[KindFigures]
    total: KindFigures

    @property
    def sent(self) -> int:
        """Every nudge sent in the window, of kinds measured or not (the total row counts
        only those whose effect is measured)."""
        return sum(k.sent for k in self.kinds)


def nudge_figures(programme: Programme, *, now: datetime) -> list[WindowFigures]:
    """Per kind of nudge, and in total, for the last 30 and the last 90 days: how many the
    programme sent and how many were acted on. One query. A nudge still held back by its
    recipient's quiet hours is not counted as sent."""
    since = {days: now - timedelta(days=days) for days in WINDOWS}
    acted = Q(acted_at__isnull=False)
    waiting = Q(acted_at__isnull=True, created_at__gt=now - ACTED_WINDOW)
    counts: dict[str, Any] = {}
    for days, start in since.items():
        within = Q(created_at__gte=start)
        counts[f"sent_{days}"] = Count("id", filter=within)
        counts[f"acted_{days}"] = Count("id", filter=within & acted)
        counts[f"waiting_{days}"] = Count("id", filter=within & waiting)
    rows: dict[str, Mapping[str, Any]] = {
        row["kind"]: row
        for row in Notification.objects.filter(
            programme=programme,
            kind__in=NUDGE_KINDS,
            created_at__gte=min(since.values()),
            visible_from__lte=now,
        )
        .order_by()
        .values("kind")
        .annotate(**counts)
    }
    kinds = [kind for kind in NotificationKind if kind in NUDGE_KINDS]
    found = []
    for days in WINDOWS:
        figures = [
            KindFigures(
                kind=kind.value,
                label=kind.label,
                measured=kind in ANSWERED_BY,
                sent=rows.get(kind.value, {}).get(f"sent_{days}", 0),
                acted=rows.get(kind.value, {}).get(f"acted_{days}", 0),
                waiting=rows.get(kind.value, {}).get(f"waiting_{days}", 0)
                if kind in ANSWERED_BY
                else 0,
            )
            for kind in kinds
        ]
        measured = [f for f in figures if f.measured]
        total = KindFigures(
            kind="",
            label="All whose effect is measured",
            measured=True,
            sent=sum(f.sent for f in measured),
            acted=sum(f.acted for f in measured),
            waiting=sum(f.waiting for f in measured),
        )
        found.append(WindowFigures(days, figures, total))
    return found


@dataclass
class PlannedNudge:
    recipient: str
    audience: str  # "mentee" or "mentor"
    about: str
    kind_label: str
    title: str
    body: str
    reason: str
    shows_at: datetime | None  # later than now when quiet hours hold it back


@dataclass
class StatusCount:
    status: str
    label: str
    count: int
    percent: int = 0


@dataclass
class Preview:
    """What the sweep would record if it judged one page of the active mentees now."""

    rows: list[PlannedNudge]
    total: int
    judged: int
    by_status: list[StatusCount] = field(default_factory=list)
    page: Page | None = None  # of mentee ids, those furthest behind at the last sweep first
    # The whole programme as the last sweep left it (stored verdicts), however many pages.
    last_sweep: list[StatusCount] = field(default_factory=list)
    all_kinds_off: bool = False

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def nudge_preview(
    programme: Programme, *, now: datetime, limit: int = PREVIEW_ROWS, page: Any = 1
) -> Preview:
    """The nudges the pace sweep would record now for one page of the programme's active
    mentees, those the last sweep found furthest behind first, with who gets each and why;
    and how many of them it would judge to be at each pace. Reads only: the same `gather`
    and `plan` the sweep runs, without storing, for the page's mentees alone."""
    mentees = (
        Membership.objects.active()
        .filter(programme=programme, role=Role.MENTEE)
        .order_by(F("pace_behind").desc(), "pk")
        .values_list("pk", flat=True)
    )
    shown_page = Paginator(mentees, JUDGED_PER_PAGE).get_page(page)
    all_kinds_off = set(programme.nudges_off or ()) >= NUDGE_KINDS
    subjects = gather(list(shown_page.object_list), now=now)
    if not subjects:
        return Preview(rows=[], total=0, judged=0, page=shown_page, all_kinds_off=all_kinds_off)
    verdicts, planned = plan(subjects, now=now)

    about = {s.membership_id: s for s in subjects}
    shown = planned[:limit]
    names = {
        user.pk: user.display_name
        for user in get_user_model().objects.filter(pk__in={n.recipient_id for n in shown})
    }
    rows = []
    for n in shown:
        subject = about[n.about_id] if n.about_id is not None else None
        to_mentee = subject is not None and subject.user_id == n.recipient_id
        rows.append(
            PlannedNudge(
                recipient=names.get(n.recipient_id, ""),
                audience=Role.MENTEE if to_mentee else Role.MENTOR,
                about=subject.facts.name if subject else "",
                kind_label=NotificationKind(n.kind).label,
                title=n.title,
                body=n.body,
                reason=n.reason,
                shows_at=n.visible_from if n.visible_from > now else None,
            )
        )
    counts = Counter(v.status for v in verdicts.values())
    by_status = [StatusCount(s.value, s.label, counts.get(s.value, 0)) for s in PaceStatus]
    for row, percent in zip(
        by_status, whole_percentages([row.count for row in by_status]), strict=True
    ):
        row.percent = percent
    stored = dict(
        Membership.objects.active()
        .filter(programme=programme, role=Role.MENTEE)
        .order_by()
        .values_list("pace_status")
        .annotate(n=Count("pk"))
    )
    last_sweep = [
        StatusCount(s.value, s.label, stored[s.value]) for s in PaceStatus if stored.get(s.value)
    ]
    if stored.get(""):  # joined, or active again, since the last sweep looked
        last_sweep.append(StatusCount("", "Not checked yet", stored[""]))
    return Preview(
        rows=rows,
        total=len(planned),
        judged=len(subjects),
        by_status=by_status,
        page=shown_page,
        last_sweep=last_sweep,
        all_kinds_off=all_kinds_off,
    )
