"""The sessions lists narrow `visible_to` by the reader's own role, so the role's index answers;
the lead's figures page its pairs on ids and count each table once."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentoringSession
from mentoring.selectors import session as selectors
from mentoring.services.session import save_session, start_session
from programmes.models import Pairing
from tests.factories import make_mentee, make_mentor, make_programme, make_user

pytestmark = pytest.mark.django_db


def _log(pairing, mentor, *, days_ago=0, channel="video", minutes=45, actions=1) -> None:
    session = start_session(pairing=pairing, by=mentor.user)
    save_session(
        session=session,
        by=mentor.user,
        version=0,
        fields={
            "topics": "x",
            "channel": channel,
            "minutes": minutes,
            "held_at": timezone.now() - timedelta(days=days_ago),
        },
        actions=[{"text": f"Do {n}", "due_on": date.today()} for n in range(actions)],
        log=True,
    )


def _list_query(client, user, programme) -> str:
    """The SQL of the page of sessions the sessions list shows `user`."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("mentoring:sessions", args=[programme.slug])).status_code == 200
    listed = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "mentoring_mentoringsession"."id"') and "LIMIT" in q["sql"]
    ]
    assert len(listed) == 1, listed
    return listed[0]


def test_the_sessions_list_filters_by_the_readers_own_role_beside_visible_to(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    _log(pairing, cast.mentor_membership)

    as_mentee = _list_query(client, cast.mentee, cast.programme)
    as_mentor = _list_query(client, cast.mentor, cast.programme)

    mentee_id, mentor_id = cast.mentee_membership.pk, cast.mentor_membership.pk
    assert f'"mentoring_mentoringsession"."mentee_id" = {mentee_id}' in as_mentee
    assert f'"mentoring_mentoringsession"."mentor_id" = {mentor_id}' not in as_mentee
    assert f'"mentoring_mentoringsession"."mentor_id" = {mentor_id}' in as_mentor
    # The access rule stays: the pairings the mentor may read, and no COUNT over a join.
    assert '"mentoring_mentoringsession"."pairing_id" IN' in as_mentor
    assert "COUNT(DISTINCT" not in as_mentor


def test_the_role_filter_leaves_each_reader_the_same_sessions(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    _log(pairing, cast.mentor_membership, actions=2)
    other = Pairing.objects.active().get(mentee__user=cast.other_mentee)
    _log(other, other.mentor)
    draft = start_session(pairing=pairing, by=cast.mentor)

    for user, expected in [
        (cast.mentee, MentoringSession.objects.filter(pairing=pairing).exclude(pk=draft.pk)),
        (cast.mentor, MentoringSession.objects.filter(pairing=pairing)),
        (cast.other_mentee, MentoringSession.objects.filter(pairing=other)),
    ]:
        client.force_login(user)
        response = client.get(reverse("mentoring:sessions", args=[cast.programme.slug]))
        listed = list(response.context["sessions"].object_list)
        assert {s.pk for s in listed} == {s.pk for s in expected}
    assert next(s for s in listed if s.pairing_id == other.pk).actions_count == 1


def test_the_figures_count_each_session_once_and_page_the_pairs(client, monkeypatch):
    monkeypatch.setattr(selectors, "PAIRS_PAGE_SIZE", 2)
    lead = make_user()
    programme = make_programme(lead, name="Figures")
    mentor = make_mentor(programme)
    for _ in range(3):
        make_mentee(programme, mentor=mentor)
    pairings = list(Pairing.objects.active().filter(programme=programme).order_by("pk"))
    _log(pairings[0], mentor, channel="video", minutes=30, days_ago=40)
    _log(pairings[0], mentor, channel="phone", minutes=60, actions=0)
    _log(pairings[1], mentor, channel="video", minutes=45)
    _log(pairings[2], mentor, channel="video", minutes=15, actions=3)

    figures = selectors.session_figures(programme)
    totals = figures["totals"]
    assert totals["sessions"] == 4 and totals["total_minutes"] == 150 and totals["pairs"] == 3
    assert totals["average_minutes"] == 37.5
    assert [(c["channel"], c["n"], c["minutes"]) for c in figures["channels"]] == [
        ("video", 3, 90),
        ("phone", 1, 60),
    ]
    assert sum(m["n"] for m in figures["months"]) == 4
    assert figures["actions"]["agreed"] == 5

    first, second = figures["pairs"], selectors.pair_figures(programme, page=2)
    assert first.paginator.count == 3 and len(first.object_list) == 2
    assert len(second.object_list) == 1
    by_pairing = {row["pairing_id"]: row for row in [*first.object_list, *second.object_list]}
    assert by_pairing[pairings[0].pk]["n"] == 2 and by_pairing[pairings[0].pk]["minutes"] == 90


def test_the_figures_page_runs_the_same_queries_for_a_page_of_pairs_and_for_three(
    client, monkeypatch
):
    monkeypatch.setattr(selectors, "PAIRS_PAGE_SIZE", 2)
    counts = []
    for size in (2, 6):
        lead = make_user()
        programme = make_programme(lead, name=f"Pairs {size}")
        mentor = make_mentor(programme)
        for _ in range(size):
            pairing = Pairing.objects.active().get(mentee=make_mentee(programme, mentor=mentor))
            _log(pairing, mentor)
        client.force_login(lead)
        url = reverse("mentoring:session_figures", args=[programme.slug])
        client.get(url)  # counted from the second visit on: a sign-in's first is apart
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        counts.append(len(ctx.captured_queries))
        assert len(response.context["pairs"].object_list) == 2
    assert counts[0] == counts[1]


def test_the_session_csv_is_sent_in_chunks_of_rows_with_every_cell_made_safe(
    client, cast, monkeypatch
):
    from programmes import spreadsheet

    monkeypatch.setattr(spreadsheet, "ROWS_PER_CHUNK", 2)
    cast.mentee.name = "=HYPERLINK(1)"
    cast.mentee.save(update_fields=["name"])
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    for days in range(5):
        _log(pairing, cast.mentor_membership, days_ago=days, actions=2)
    client.force_login(cast.lead)
    response = client.get(reverse("mentoring:session_figures_csv", args=[cast.programme.slug]))
    chunks = [c.decode() for c in response.streaming_content]
    lines = "".join(chunks).splitlines()
    assert len(lines) == 6  # the header and five sessions
    assert len([c for c in chunks if c]) == 3  # two, two and one row (the header with the first)
    assert all(line.split(",")[2] == "'=HYPERLINK(1)" for line in lines[1:])
    assert all(line.split(",")[7:9] == ["2", "0"] for line in lines[1:])  # agreed, done


def test_the_figures_are_kept_until_the_programme_changes(
    client, cast, settings, django_capture_on_commit_callbacks
):
    from programmes.figures import changed

    settings.DASHBOARD_CACHE_SECONDS = 300
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    _log(pairing, cast.mentor_membership)
    client.force_login(cast.lead)
    url = reverse("mentoring:session_figures", args=[cast.programme.slug])

    def visit() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), response.context["figures"]["totals"]["sessions"]

    client.get(reverse("programmes:list"))  # a sign-in's first visit is apart
    computed, sessions = visit()
    kept, _ = visit()
    assert sessions == 1
    assert kept <= computed - 5  # the aggregates came from the cache
    _log(pairing, cast.mentor_membership)
    assert visit()[1] == 1  # still the kept figures: nothing said the programme changed
    with django_capture_on_commit_callbacks(execute=True):
        changed(cast.programme.slug)  # as every POST to the programme's pages does
    assert visit() == (computed, 2)
