"""Pace on the People page: each mentee's stored verdict in words, filtered and ranked in SQL,
paged, in the same number of queries whatever the size."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import Membership, PaceStatus
from tests.factories import make_mentee, make_mentor, make_programme, make_user


def _judge(membership, status: str, behind: float = 0.0, reason: str = "") -> None:
    Membership.objects.filter(pk=membership.pk).update(
        pace_status=status, pace_behind=behind, pace_reason=reason or f"Reason for {status}."
    )


def _people(client, programme, query: str = "") -> str:
    url = reverse("programmes:people", kwargs={"slug": programme.slug}) + query
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _listed(html: str) -> list[str]:
    """The mentees the table lists, in order (each name links to their journey)."""
    return re.findall(r'<td><a href="/programmes/[^"]+/people/\d+/">([^<]+)</a>', html)


@pytest.fixture
def paced(cast):
    """The cast's programme with mentees at every pace."""
    programme = cast.programme
    people = {
        "stalled_far": make_mentee(programme, user=make_user("Sol Stalled")),
        "slipping_a_bit": make_mentee(programme, user=make_user("Sly Slipping")),
        "slipping_more": make_mentee(programme, user=make_user("Sue Slippingmore")),
        "ahead": make_mentee(programme, user=make_user("Ada Ahead")),
        "paused": make_mentee(programme, user=make_user("Pat Paused")),
    }
    _judge(people["stalled_far"], PaceStatus.STALLED, 3.4, "No session since 3 March.")
    _judge(people["slipping_a_bit"], PaceStatus.SLIPPING, 1.3)
    _judge(people["slipping_more"], PaceStatus.SLIPPING, 2.6)
    _judge(people["ahead"], PaceStatus.AHEAD)
    _judge(people["paused"], PaceStatus.PAUSED, 0, "Paused until 5 January.")
    _judge(cast.mentee_membership, PaceStatus.ON_PACE, 0.2, "Last session 1 March.")
    # The other mentee has not been judged yet.
    return people


def test_each_mentee_shows_their_pace_and_the_reason_in_words(client, cast, paced):
    client.force_login(cast.lead)
    html = _people(client, cast.programme)
    assert 'status--danger">Stalled<' in html
    assert "No session since 3 March." in html
    assert 'status--ok">On pace<' in html and "Last session 1 March." in html
    assert ">Paused<" in html and "Paused until 5 January." in html


def test_a_mentee_not_judged_yet_shows_a_dash_and_says_not_checked_yet(client, cast):
    client.force_login(cast.lead)
    html = _people(client, cast.programme)
    assert "not checked yet" in html
    assert 'title="The pace check has not looked at them yet">—<' in html


def test_at_risk_lists_stalled_and_slipping_only_most_behind_first(client, cast, paced):
    client.force_login(cast.lead)
    html = _people(client, cast.programme, "?pace=at_risk")
    assert _listed(html) == ["Sol Stalled", "Sue Slippingmore", "Sly Slipping"]
    assert "3 partners" in html
    assert "Lena Lead" not in html.split('id="members"')[1].split("Invitations")[0]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("slipping", ["Sue Slippingmore", "Sly Slipping"]),
        ("paused", ["Pat Paused"]),
        ("on_pace", ["Mia Mentee"]),
        ("unchecked", ["Otto Othermentee"]),
    ],
)
def test_a_single_pace_lists_only_those_mentees(client, cast, paced, status, expected):
    client.force_login(cast.lead)
    assert _listed(_people(client, cast.programme, f"?pace={status}")) == expected


def test_the_filters_count_each_pace_and_an_unknown_one_lists_everyone(client, cast, paced):
    client.force_login(cast.lead)
    html = _people(client, cast.programme, "?pace=nonsense")
    assert len(_listed(html)) == 7
    counts = dict(re.findall(r"\?pace=(\w+)#members\"[^>]*>[^<(]+\((\d+)\)</a>", html))
    assert counts == {
        "at_risk": "3",
        "stalled": "1",
        "slipping": "2",
        "on_pace": "1",
        "ahead": "1",
        "paused": "1",
        "unchecked": "1",
    }
    assert "Lena Lead" in html and "Mo Mentor" in html


def test_nobody_at_a_pace_says_so(client, cast):
    client.force_login(cast.lead)
    assert "Nobody is stalled right now." in _people(client, cast.programme, "?pace=stalled")


def test_pages_of_a_filter_keep_the_filter(client, cast, paced, monkeypatch):
    monkeypatch.setattr("programmes.views.membership.PAGE_SIZE", 2)
    client.force_login(cast.lead)
    html = _people(client, cast.programme, "?pace=at_risk")
    assert "Page 1 of 2" in html
    assert "?pace=at_risk&amp;page=2#members" in html
    assert _listed(html) == ["Sol Stalled", "Sue Slippingmore"]
    assert _listed(_people(client, cast.programme, "?pace=at_risk&page=2")) == ["Sly Slipping"]


@pytest.mark.parametrize("who", ["mentor", "mentee", "other_mentee", "other_mentor", "other_lead"])
def test_the_pace_filter_is_for_the_programmes_leads_only(client, cast, paced, who):
    client.force_login(cast.people()[who])
    url = reverse("programmes:people", kwargs={"slug": cast.programme.slug}) + "?pace=at_risk"
    response = client.get(url)
    assert response.status_code in {403, 404}
    assert b"No session since 3 March." not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?pace=at_risk", "?pace=on_pace"])
def test_the_people_page_with_pace_runs_the_same_number_of_queries_with_3_and_30_mentees(
    client, query
):
    counts = []
    for size in (3, 30):
        lead = make_user()
        programme = make_programme(lead, name=f"Paced {size}")
        mentor = make_mentor(programme)
        for i in range(size):
            mentee = make_mentee(programme, mentor=mentor if i % 2 else None)
            status = [PaceStatus.STALLED, PaceStatus.SLIPPING, PaceStatus.ON_PACE, ""][i % 4]
            _judge(mentee, status, behind=i / 10)
        client.force_login(lead)
        with CaptureQueriesContext(connection) as ctx:
            _people(client, programme, query)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
