from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from playbooks.models import StrategyPillar, ThemeMapping
from programmes.models import ExitCriterion, Membership


def alignment_matrix(
    mentees: Iterable[Membership],
    pillars: Sequence[StrategyPillar],
    mappings: Iterable[ThemeMapping],
) -> list[dict]:
    """Rows of mentees, each with its cells: the themes they placed on every pillar, in
    pillar order, and the themes that fit no pillar yet."""
    placed: defaultdict[int, defaultdict[int | None, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for mapping in mappings:
        placed[mapping.membership_id][mapping.pillar_id].append(mapping.theme)
    return [
        {
            "mentee": mentee,
            "cells": _cells(
                [(pillar.name, placed[mentee.pk][pillar.pk]) for pillar in pillars],
                placed[mentee.pk][None],
            ),
            "signs_off": mentee.current_phase is not None
            and mentee.current_phase.exit_criterion == ExitCriterion.LEAD_SIGN_OFF,
        }
        for mentee in mentees
    ]


_NONE = mark_safe('<span class="muted">—<span class="visually-hidden">none</span></span>')  # nosec B308 B703 # a constant


def _cells(placed: list[tuple[str, list[str]]], unplaced: list[str]) -> SafeString:
    """A row's cells: the themes on each pillar, then those on none, each with its count.
    Written here rather than in the template's loop: a page has some 300 of them."""
    return format_html_join(
        "",
        "{}",
        [(_cell(name, themes, "ok"),) for name, themes in placed]
        + [(_cell("No pillar yet", unplaced, "warn"),)],
    )


def _cell(label: str, themes: list[str], status: str) -> SafeString:
    if not themes:
        return format_html('<td data-label="{}">{}</td>', label, _NONE)
    return format_html(
        '<td data-label="{}"><span class="status status--{}">{}</span> {}</td>',
        label,
        status,
        len(themes),
        ", ".join(themes),
    )
