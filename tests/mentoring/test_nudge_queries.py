"""The nudges preview judges one page of the cohort, those furthest behind first, so its cost
does not grow with the programme."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.selectors import nudge
from programmes.models import Membership
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = pytest.mark.django_db


def _fall_behind(membership, *, days: int = 60, stored_behind: float = 0) -> None:
    """Stalled in a one-week phase for `days`; `stored_behind` as the last sweep left it."""
    long_ago = timezone.now() - timedelta(days=days)
    Membership.objects.filter(pk=membership.pk).update(
        joined_at=long_ago, phase_started_at=long_ago, pace_behind=stored_behind
    )
    membership.current_phase.expected_weeks = 1
    membership.current_phase.save(update_fields=["expected_weeks"])


def _cohort(size: int):
    lead = make_user()
    programme = make_programme(lead, name=f"Cohort of {size}")
    mentor = make_mentor(programme)
    mentees = [make_mentee(programme, mentor=mentor if i % 2 else None) for i in range(size)]
    return lead, programme, mentees


def test_the_nudges_page_judges_one_page_whatever_the_cohorts_size(client, monkeypatch):
    monkeypatch.setattr(nudge, "JUDGED_PER_PAGE", 4)
    counts, judged = [], []
    for size in (3, 11):
        lead, programme, mentees = _cohort(size)
        for mentee in mentees[::2]:
            _fall_behind(mentee)
        client.force_login(lead)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mentoring:nudges", args=[programme.slug]))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        judged.append(response.context["preview"].judged)
    assert counts[0] == counts[1]
    assert judged == [3, 4]  # the whole of the small cohort; one page of the larger


def test_the_first_page_judges_those_furthest_behind_and_the_next_page_the_rest(monkeypatch):
    monkeypatch.setattr(nudge, "JUDGED_PER_PAGE", 2)
    _lead, programme, mentees = _cohort(5)
    _fall_behind(mentees[3], stored_behind=4.0)
    _fall_behind(mentees[1], stored_behind=2.5)
    now = timezone.now()

    first = nudge.nudge_preview(programme, now=now)
    assert list(first.page.object_list) == [mentees[3].pk, mentees[1].pk]
    assert {row.about for row in first.rows} == {
        mentees[3].user.display_name,
        mentees[1].user.display_name,
    }
    assert {row.status: row.count for row in first.by_status}["stalled"] == 2

    last = nudge.nudge_preview(programme, now=now, page=3)
    assert last.judged == 1 and last.rows == []
    assert last.page.paginator.count == 5
