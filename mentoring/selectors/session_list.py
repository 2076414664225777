"""The rows of the sessions list, read as values: a page of sessions and the mentor's
partners, each row with the little the page shows and its links formatted from one
`reverse()` per page rather than one per row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from mentoring.models import Channel, SessionStatus
from mentoring.selectors.session import day_label
from programmes.selectors.rows import display_name, id_paths

SESSIONS_PAGE_SIZE = 25


def _linker(name: str, slug: str):
    """`f(pk)`: the URL `name` of the programme `slug` for one row's id, from one reverse."""
    head, tail = id_paths(name, slug)
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(frozen=True, slots=True)
class ListedSession:
    pk: int
    pairing_id: int
    url: str
    held_at: datetime
    held_label: str  # as `|date:"j M Y, H:i"` writes it
    minutes: int
    channel_label: str
    with_name: str
    actions_count: int
    is_draft: bool
    has_feedback: bool


def session_page(sessions: QuerySet, *, reader, slug: str, page: Any) -> Page:
    """One page of `sessions` (`own_sessions`), newest first, as `ListedSession`s: who the
    reader met (the mentor when the reader is the mentee, else the mentee), how long, how,
    the count of actions and whether the mentee answered."""
    rows = sessions.values(
        "pk",
        "pairing_id",
        "held_at",
        "minutes",
        "channel",
        "status",
        "mentee__user_id",
        "mentee__user__name",
        "mentee__user__email",
        "mentor__user__name",
        "mentor__user__email",
        "actions_count",
        "has_feedback",
    )
    shown = Paginator(rows, SESSIONS_PAGE_SIZE).get_page(page)
    link = _linker("mentoring:session", slug)
    labels = dict(Channel.choices)
    moment = day_label(time=True)
    listed = []
    for r in shown.object_list:
        if r["mentee__user_id"] == reader.pk:
            partner = display_name(r["mentor__user__name"], r["mentor__user__email"])
        else:
            partner = display_name(r["mentee__user__name"], r["mentee__user__email"])
        listed.append(
            ListedSession(
                pk=r["pk"],
                pairing_id=r["pairing_id"],
                url=link(r["pk"]),
                held_at=r["held_at"],
                held_label=moment(r["held_at"]),
                minutes=r["minutes"],
                channel_label=str(labels.get(r["channel"], r["channel"])),
                with_name=partner,
                actions_count=r["actions_count"],
                is_draft=r["status"] == SessionStatus.DRAFT,
                has_feedback=r["has_feedback"],
            )
        )
    return Page(listed, shown.number, shown.paginator)


@dataclass(frozen=True, slots=True)
class Partner:
    mentee_id: int
    name: str
    phase: str
    logged: int
    last_held: datetime | None
    last_label: str  # as `|date:"j M Y"` writes it
    open_actions: int
    has_draft: bool
    start_url: str


def partner_rows(pairings: QuerySet, *, slug: str) -> list[Partner]:
    """The mentor's partners (`pairings`, annotated as the sessions list does), each with
    the link that starts or continues its draft."""
    link = _linker("mentoring:session_start", slug)
    day = day_label()
    return [
        Partner(
            mentee_id=r["mentee_id"],
            name=display_name(r["mentee__user__name"], r["mentee__user__email"]),
            phase=r["mentee__current_phase__name"] or "",
            logged=r["logged"],
            last_held=r["last_held"],
            last_label=day(r["last_held"]),
            open_actions=r["open_actions"],
            has_draft=r["has_draft"],
            start_url=link(r["mentee_id"]),
        )
        for r in pairings.values(
            "mentee_id",
            "mentee__user__name",
            "mentee__user__email",
            "mentee__current_phase__name",
            "logged",
            "last_held",
            "open_actions",
            "has_draft",
        )
    ]
