"""The lead's pages over a whole cohort (activities and the strategy matrix) list one page of
fifty people at a time, at a cost that does not grow with the cohort."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from playbooks.models import Completion
from playbooks.selectors.activity import PAGE_SIZE
from playbooks.services.activity import add_activity, today_for
from playbooks.services.integration import add_pillar, map_theme
from tests.factories import make_mentee

# Each page's rows, by the link every row has to that mentee's own page.
ROW_LINK = {"activities": "member_checklist", "strategy": "member_integration"}


def _get(client, cast, page: str, query: str = "") -> tuple[int, str]:
    address = reverse(f"playbooks:{page}", args=[cast.programme.slug]) + query
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _listed(cast, page: str, html: str) -> int:
    prefix = reverse(f"playbooks:{ROW_LINK[page]}", args=[cast.programme.slug, 0])[:-2]
    return html.count(f'href="{prefix}')


def _add_mentees(cast, count: int, pillar=None) -> None:
    for _ in range(count):
        membership = make_mentee(cast.programme)
        if pillar is not None:
            map_theme(membership=membership, by=membership.user, theme="Reels", pillar=pillar)


@pytest.mark.parametrize("page", ["activities", "strategy"])
def test_a_cohort_page_runs_the_same_queries_for_5_mentees_and_for_60(client, cast, page):
    pillar = add_pillar(programme=cast.programme, by=cast.lead, name="Stories", description="")
    client.force_login(cast.lead)
    _get(client, cast, page)  # counted from the second visit on: a sign-in's first is apart
    _add_mentees(cast, 3, pillar)  # the cast's two and three more
    few, html = _get(client, cast, page)
    assert _listed(cast, page, html) == 5

    _add_mentees(cast, 55, pillar)
    many, html = _get(client, cast, page)
    assert many == few
    assert _listed(cast, page, html) == PAGE_SIZE  # one page, not the whole cohort
    assert "Page 1 of 2" in html


@pytest.mark.parametrize("page", ["activities", "strategy"])
def test_the_second_page_lists_the_rest_of_the_cohort_by_name(client, cast, page):
    _add_mentees(cast, PAGE_SIZE)  # 52 with the cast's two
    client.force_login(cast.lead)
    _, first = _get(client, cast, page)
    _, second = _get(client, cast, page, "?page=2")
    assert _listed(cast, page, second) == 2
    assert "Page 2 of 2" in second and "Previous" in second
    # By name: the cast's "Mia Mentee" and "Otto Othermentee" before the "Person …"s.
    assert "Otto Othermentee" in first and "Otto Othermentee" not in second


def test_the_activities_page_shows_each_mentees_last_completion(client, cast):
    activity = add_activity(programme=cast.programme, by=cast.lead, title="Post", times=1)
    today = today_for(cast.mentee)
    for days in (9, 2, 30):
        Completion.objects.create(
            activity=activity,
            membership=cast.mentee_membership,
            done_on=today - timedelta(days=days),
        )
    client.force_login(cast.lead)
    _, html = _get(client, cast, "activities")
    assert f"{today - timedelta(days=2):%-d %b %Y}" in html
    assert "Nothing yet" in html  # the other mentee, who did nothing
