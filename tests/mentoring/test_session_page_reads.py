"""The session pages' cheaper reads give what the slower ones gave: the log's actions from
one query, the sessions list's rows and links, the figures' labels in the reader's time
zone, and the figures' cached count of pairs, never stale after a change."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Guideline, MentoringSession
from mentoring.selectors.session import day_label, session_aggregates, session_figures
from mentoring.selectors.session_log import log_actions
from mentoring.services.session import open_actions_before, save_session, start_session
from programmes.models import Pairing
from tests.factories import make_mentee

pytestmark = pytest.mark.django_db


def _pairing(cast, mentee=None) -> Pairing:
    return Pairing.objects.active().get(mentee=mentee or cast.mentee_membership)


def _log(pairing, *, actions=(), done=(), days_ago=0, channel="video") -> MentoringSession:
    mentor = pairing.mentor.user
    session = start_session(pairing=pairing, by=mentor)
    return save_session(
        session=session,
        by=mentor,
        version=session.version,
        fields={"held_at": timezone.now() - timedelta(days=days_ago), "channel": channel},
        actions=[{"text": t, "due_on": date(2026, 3, 9), "owner": "mentee"} for t in actions],
        done_action_ids=list(done),
        log=True,
    )


def test_the_logs_actions_from_one_query_are_the_carried_ones_and_its_own(cast):
    first = _log(_pairing(cast), actions=["Open one", "Closed later", "Still open"], days_ago=20)
    closed = first.actions.get(text="Closed later")
    second = _log(_pairing(cast), actions=["Own one", "Own two"], done=[closed.pk], days_ago=10)
    other = make_mentee(cast.programme, mentor=cast.mentor_membership)
    _log(_pairing(cast, other), actions=["Another pair's"])
    draft = start_session(pairing=_pairing(cast), by=cast.mentor)

    for session in (first, second, draft):
        carried, own = log_actions(session)
        assert carried == list(open_actions_before(session))
        assert own == list(session.actions.all())
    carried, own = log_actions(second)
    assert {a.text for a in carried} == {"Open one", "Closed later", "Still open"}  # ticked here
    assert [a.text for a in own] == ["Own one", "Own two"]
    later = {"Open one", "Still open", "Own one", "Own two"}  # not the one closed before
    assert {a.text for a in log_actions(draft)[0]} == later


def test_the_log_shows_its_saved_guideline_checks(client, cast):
    keep = Guideline.objects.create(programme=cast.programme, position=1, text="Listen first")
    Guideline.objects.create(programme=cast.programme, position=2, text="Ask <why>")
    draft = start_session(pairing=_pairing(cast), by=cast.mentor)
    draft.guideline_checks.create(guideline=keep, answer="partly", note="Mostly <did>")
    client.force_login(cast.mentor)
    page = client.get(
        reverse("mentoring:session_edit", args=[cast.programme.slug, draft.pk])
    ).content.decode()
    assert re.search(rf'value="partly" id="id_check_{keep.pk}_\d" checked', page)
    assert not re.search(r'value="(yes|no)" id="id_check_\d+_\d" checked', page)
    assert 'value="Mostly &lt;did&gt;"' in page
    assert "Note on “Ask &lt;why&gt;”" in page


def test_the_sessions_list_rows_say_what_the_sessions_do(client, cast):
    logged = _log(_pairing(cast), actions=["One", "Two"], channel="phone")
    draft = start_session(pairing=_pairing(cast), by=cast.mentor)
    for user, partner, shown in [
        (cast.mentor, "Mia Mentee", {logged.pk, draft.pk}),
        (cast.mentee, "Mo Mentor", {logged.pk}),
    ]:
        client.force_login(user)
        response = client.get(reverse("mentoring:sessions", args=[cast.programme.slug]))
        rows = {s.pk: s for s in response.context["sessions"]}
        assert set(rows) == shown
        for pk, row in rows.items():
            session = MentoringSession.objects.get(pk=pk)
            assert row.url == session.get_absolute_url()
            assert row.with_name == partner and row.is_draft == session.is_draft
            assert row.channel_label == session.get_channel_display()
            assert f'href="{row.url}"' in response.content.decode()
        assert rows[logged.pk].actions_count == 2 and rows[logged.pk].channel_label == "Phone"
    client.force_login(cast.mentor)
    response = client.get(reverse("mentoring:sessions", args=[cast.programme.slug]))
    [partner] = [p for p in response.context["partners"] if p.name == "Mia Mentee"]
    start = reverse("mentoring:session_start", args=[cast.programme.slug, partner.mentee_id])
    assert partner.start_url == start and partner.logged == 1 and partner.has_draft


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_the_figures_dates_read_as_the_date_filter_writes_them(zone):
    label = day_label()
    moments = [
        datetime(2026, 1, 1, 0, 30, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 6, 9, 12, 0, tzinfo=ZoneInfo("UTC")),
        date(2026, 5, 3),
        None,
    ]
    template = Template('{{ value|date:"j M Y" }}')
    with_time = Template('{{ value|date:"j M Y, H:i" }}')
    with timezone.override(ZoneInfo(zone)):
        for value in moments:
            assert label(value) == template.render(Context({"value": value}))
            if not isinstance(value, date) or isinstance(value, datetime):
                moment = day_label(time=True)(value)
                assert moment == with_time.render(Context({"value": value}))


def test_the_cached_count_of_pairs_moves_on_with_a_new_pairs_first_session(client, cast):
    _log(_pairing(cast))
    url = reverse("mentoring:session_figures", args=[cast.programme.slug])
    client.force_login(cast.lead)
    assert client.get(url).context["figures"]["totals"]["pairs"] == 1
    assert session_aggregates(cast.programme)["totals"]["pairs"] == 1

    # The other pair's mentor logs their first session through the pages.
    other = _pairing(cast, cast.other_mentee.memberships.get(programme=cast.programme))
    client.force_login(cast.other_mentor)
    client.post(reverse("mentoring:session_start", args=[cast.programme.slug, other.mentee_id]))
    draft = MentoringSession.objects.get(pairing=other, status="draft")
    edit = reverse("mentoring:session_edit", args=[cast.programme.slug, draft.pk])
    data = {
        "version": draft.version,
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "minutes": "30",
        "channel": "video",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "log": "1",
    }
    assert client.post(edit, data).status_code == 302
    client.force_login(cast.lead)
    response = client.get(url)
    assert response.context["figures"]["totals"]["pairs"] == 2
    assert response.context["pairs"].paginator.count == 2
    assert session_figures(cast.programme)["totals"]["pairs"] == 2


def test_the_preferences_page_reads_the_current_and_the_ten_before_in_one_query(client, cast):
    from mentoring.models import EngagementPreference
    from mentoring.services.engagement import save_preferences

    fields = {"channels": ["video"], "session_minutes": 30, "best_days": [], "best_times": ""}
    fields |= {"time_zone": "Europe/London"}
    base = timezone.now() - timedelta(days=30)
    for n, cadence in enumerate(["weekly", "monthly"] * 6 + ["fortnightly"]):
        saved = save_preferences(
            membership=cast.mentee_membership, by=cast.mentee, cadence=cadence, **fields
        )
        EngagementPreference.objects.filter(pk=saved.pk).update(created_at=base + timedelta(n))
    client.force_login(cast.mentee)
    response = client.get(reverse("mentoring:mine", args=[cast.programme.slug]))
    rows = EngagementPreference.objects.filter(membership=cast.mentee_membership)
    assert response.context["form"].instance == rows.get(superseded_at__isnull=True)
    assert response.context["form"].instance.cadence == "fortnightly"
    assert list(response.context["history"]) == list(rows.filter(superseded_at__isnull=False)[:10])
    assert len(response.context["history"]) == 10


def test_the_logs_ticked_sections_and_activities_come_back_from_one_query(client, cast):
    from mentoring.selectors.session_log import chosen_rows
    from playbooks.models import Activity, Section
    from playbooks.services.activity import add_activity
    from playbooks.services.playbook import add_template_section

    for i in range(3):
        add_template_section(programme=cast.programme, by=cast.lead, title=f"Part {i}")
        add_activity(programme=cast.programme, by=cast.lead, title=f"Task {i}")
    sections = list(Section.objects.filter(playbook__membership=cast.mentee_membership)[:2])
    open_to = Activity.objects.filter(programme=cast.programme).open_to(cast.mentee_membership)
    activity = open_to.first()
    draft = start_session(pairing=_pairing(cast), by=cast.mentor)
    assert chosen_rows(draft) == ([], [])
    draft.sections.set(sections)
    draft.activities.set([activity])
    assert sorted(chosen_rows(draft)[0]) == sorted(s.pk for s in sections)
    assert chosen_rows(draft)[1] == [activity.pk]

    client.force_login(cast.mentor)
    url = reverse("mentoring:session_edit", args=[cast.programme.slug, draft.pk])
    page = client.get(url).content.decode()
    assert '<details class="session-form__linked" open>' in page
    for section in sections:
        assert re.search(
            rf'name="sections" value="{section.pk}" id="id_sections_\d+" checked', page
        )
    assert re.search(
        rf'name="activities" value="{activity.pk}" id="id_activities_\d+" checked', page
    )
    assert page.count("checked") == 2 + 1 + 1  # the ticks and "Not said"
    draft.refresh_from_db()
    # Saving keeps what the form says: one section fewer.
    data = {
        "version": draft.version,
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "minutes": "30",
        "sections": [sections[0].pk],
        "activities": [activity.pk],
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
        "save": "1",
    }
    assert client.post(url, data).status_code == 302
    assert list(draft.sections.all()) == [sections[0]]
    assert list(draft.activities.all()) == [activity]


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland"])
def test_the_figures_months_read_as_the_date_filter_writes_them(cast, zone):
    for days_ago in (0, 40, 80):
        _log(_pairing(cast), days_ago=days_ago)
    template = Template('{{ value|date:"F Y" }}')
    with timezone.override(ZoneInfo(zone)):
        months = session_figures(cast.programme)["months"]
        assert months
        for row in months:
            assert row["label"] == template.render(Context({"value": row["month"]}))
