from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from mentoring.services.pairing import DEFAULT_CAPACITY
from programmes.models import Membership, Role


@dataclass
class Suggestion:
    mentor: Membership
    free: int
    covers: list[str]


def weakest_topics(mentee: Membership, how_many: int = 3) -> list[str]:
    """The topics of the mentee's submitted baseline with the lowest scores."""
    from programmes.models import AssessmentAnswer, AssessmentKind

    totals: dict[str, int] = defaultdict(int)
    for topic, score in AssessmentAnswer.objects.filter(
        response__membership=mentee,
        response__kind=AssessmentKind.BASELINE,
        response__status="submitted",
        score__isnull=False,
    ).values_list("question__topic", "score"):
        assert score is not None  # filtered out above
        totals[topic] += score
    return sorted(totals, key=lambda topic: (totals[topic], topic))[:how_many]


def suggest_mentors(mentee: Membership) -> list[Suggestion]:
    """Mentors ranked for a mentee: first by how many of the mentee's weakest baseline
    topics are among their strengths, then by free places. Full mentors are left out."""
    weak = weakest_topics(mentee)
    mentors = list(
        Membership.objects.active()
        .filter(programme_id=mentee.programme_id, role=Role.MENTOR)
        .exclude(user_id=mentee.user_id)
        .select_related("user", "mentor_profile")
        .annotate(
            partners=Count("mentor_pairings", filter=Q(mentor_pairings__ended_at__isnull=True))
        )
    )
    suggestions = []
    for mentor in mentors:
        profile = getattr(mentor, "mentor_profile", None)
        capacity = profile.capacity if profile else DEFAULT_CAPACITY
        strengths = set(profile.strengths if profile else [])
        free = capacity - mentor.partners
        if free > 0:
            suggestions.append(Suggestion(mentor, free, [t for t in weak if t in strengths]))
    suggestions.sort(key=lambda s: (-len(s.covers), -s.free, s.mentor.user.display_name))
    return suggestions
