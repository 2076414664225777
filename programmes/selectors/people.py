"""The lead's People page: one page of the programme's members as plain rows, and the counts
its filters and pages need, in three queries at any size."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from programmes.models import Membership, Pairing, Programme, Role
from programmes.selectors.programme import PaceFilter, pace_filters
from programmes.selectors.rows import display_name, id_paths, pace_badge

PAGE_SIZE = 50


@dataclass
class Person:
    """One row of the People page, ready to print."""

    pk: int
    role: str
    role_label: str
    name: str
    email: str
    journey_url: str  # a mentee's journey; empty for the others
    remove_url: str  # empty on the lead's own row
    pace: SafeString  # the pace badge (templates/_partials/pace.html); empty if unchecked
    pace_reason: str
    phase: str  # the mentee's phase, "" if they have none
    operationalised: bool
    mentor: str | None  # the mentee's mentor now, None if unpaired

    @property
    def is_mentee(self) -> bool:
        return self.role == Role.MENTEE

    @property
    def row(self) -> SafeString:
        """The person's row of the table, written here rather than in the template: the
        page has fifty, and the template's tags cost more than the rest of the page."""
        name = self.name
        if self.journey_url:
            name = format_html('<a href="{}">{}</a>', self.journey_url, self.name)
        pace = SafeString("")
        if self.is_mentee:
            if self.pace:
                said = self.pace
                if self.pace_reason:
                    said = format_html("{} {}", self.pace, self.pace_reason)
            else:
                said = _UNCHECKED
            pace = format_html(
                ' <br><span class="hint"> <span class="visually-hidden">Pace: </span>{} </span>',
                said,
            )
        phase: str
        mentor: str
        if not self.is_mentee:
            phase, mentor = "—", "—"
        else:
            phase = _OPERATIONALISED if self.operationalised else (self.phase or "—")
            mentor = _NOT_PAIRED if self.mentor is None else self.mentor
        remove = SafeString("")
        if self.remove_url:
            remove = format_html(
                '<a class="button button--ghost button--small" href="{}">Remove'
                '<span class="visually-hidden"> {} ({})</span></a>',
                self.remove_url,
                self.name,
                self.role_label,
            )
        return format_html(
            '<tr><td>{}<br><span class="muted">{}</span>{} </td>'
            '<td data-label="Role"><span class="badge badge--{}">{}</span></td>'
            '<td data-label="Phase">{}</td>'
            '<td data-label="Mentor">{}</td>'
            '<td class="actions stack__action">{}</td></tr>',
            name,
            self.email,
            pace,
            self.role,
            self.role_label,
            phase,
            mentor,
            remove,
        )


_UNCHECKED = mark_safe(  # nosec B308 B703 # a constant
    '<span title="The pace check has not looked at them yet">—</span> not checked yet'
)
_OPERATIONALISED = mark_safe('<span class="status status--ok">Operationalised</span>')  # nosec B308 B703
_NOT_PAIRED = mark_safe('<span class="status status--warn">Not paired</span>')  # nosec B308 B703


def people_counts(programme: Programme) -> tuple[int, list[PaceFilter]]:
    """How many active members the programme has, and how many active mentees each pace
    filter finds: one query, grouped by role and verdict."""
    by_role_and_status: Counter[tuple[str, str]] = Counter(
        {
            (row["role"], row["pace_status"]): row["n"]
            for row in Membership.objects.active()
            .filter(programme=programme)
            .order_by()
            .values("role", "pace_status")
            .annotate(n=Count("pk"))
        }
    )
    filters = pace_filters()
    for found in filters:
        found.count = sum(by_role_and_status[(Role.MENTEE, s)] for s in found.statuses)
    return sum(by_role_and_status.values()), filters


def members(programme: Programme, pace: PaceFilter | None) -> QuerySet[Any, Any]:
    """The programme's active members in the page's order, as the columns a row needs. The
    caller has checked that the person looking leads the programme: they see everyone in it
    (`Membership.visible_to`), so no OR across joins is needed to say so."""
    mentor_now = Pairing.objects.filter(mentee=OuterRef("pk"), ended_at__isnull=True)
    found = (
        Membership.objects.active()
        .filter(programme=programme)
        .annotate(
            mentor_name=Subquery(mentor_now.values("mentor__user__name")[:1]),
            mentor_email=Subquery(mentor_now.values("mentor__user__email")[:1]),
        )
        .order_by("role", "user__name", "user__email", "pk")
    )
    if pace is not None:
        # The most behind first, as the lead's weekly digest lists them.
        found = found.filter(role=Role.MENTEE, pace_status__in=pace.statuses).order_by(
            "-pace_behind", "user__name", "pk"
        )
    return found.values(
        "pk",
        "role",
        "user_id",
        "user__name",
        "user__email",
        "pace_status",
        "pace_reason",
        "operationalised_at",
        "current_phase__name",
        "mentor_name",
        "mentor_email",
    )


def people_page(
    programme: Programme,
    *,
    viewer_id: int,
    pace: PaceFilter | None,
    count: int,
    number: Any,
    size: int = PAGE_SIZE,
) -> Page:
    """Page `number` of the programme's members (all, or those `pace` finds, `count` in
    all), `size` a page, each a `Person`."""
    paginator: Paginator[dict[str, Any]] = Paginator(members(programme, pace), size)
    paginator.count = count  # known already: no COUNT(*) of its own
    page = paginator.get_page(number)
    journey = id_paths("programmes:member_journey", programme.slug)
    remove = id_paths("mentoring:member_remove", programme.slug)
    mentee_label = programme.mentee_label.capitalize()
    roles = dict(Role.choices)
    rows = []
    for row in page.object_list:
        pk, role, status = row["pk"], row["role"], row["pace_status"]
        is_mentee = role == Role.MENTEE
        mentor = None
        if row["mentor_email"] is not None:
            mentor = display_name(row["mentor_name"], row["mentor_email"])
        rows.append(
            Person(
                pk=pk,
                role=role,
                role_label=mentee_label if is_mentee else str(roles.get(role, role)),
                name=display_name(row["user__name"], row["user__email"]),
                email=row["user__email"],
                journey_url=f"{journey[0]}{pk}{journey[1]}" if is_mentee else "",
                remove_url="" if row["user_id"] == viewer_id else f"{remove[0]}{pk}{remove[1]}",
                pace=pace_badge(status),
                pace_reason=row["pace_reason"],
                phase=row["current_phase__name"] or "",
                operationalised=row["operationalised_at"] is not None,
                mentor=mentor,
            )
        )
    page.object_list = rows  # type: ignore[assignment] # the page's rows, ready to print
    return page
