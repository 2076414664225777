from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from playbooks.models import StrategyPillar, ThemeMapping
from programmes.models import ExitCriterion, Membership


def alignment_matrix(
    mentees: Iterable[Membership],
    pillars: Sequence[StrategyPillar],
    mappings: Iterable[ThemeMapping],
) -> list[dict]:
    """Rows of mentees, each with the themes they placed on every pillar, in pillar order, as
    (pillar, themes) pairs, and the themes that fit no pillar yet."""
    placed: defaultdict[int, defaultdict[int | None, list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for mapping in mappings:
        placed[mapping.membership_id][mapping.pillar_id].append(mapping.theme)
    return [
        {
            "mentee": mentee,
            "cells": [(pillar, placed[mentee.pk][pillar.pk]) for pillar in pillars],
            "unplaced": placed[mentee.pk][None],
            "signs_off": mentee.current_phase is not None
            and mentee.current_phase.exit_criterion == ExitCriterion.LEAD_SIGN_OFF,
        }
        for mentee in mentees
    ]
