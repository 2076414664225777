"""The lead's nudges page: for the programme's leads only; did the nudges help, per kind; a
preview of what the sweep would send now that sends nothing; and the nudge settings."""

import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.selectors.dashboard import nudges_csv
from mentoring.selectors.nudge import nudge_figures, nudge_preview
from programmes.models import (
    NUDGE_KINDS,
    Membership,
    Notification,
    NotificationKind,
    Programme,
)
from tests.factories import make_mentee, make_mentor, make_programme, make_user, noon_days_ago


def _url(programme) -> str:
    return reverse("mentoring:nudges", kwargs={"slug": programme.slug})


def _fall_behind(membership, days: int = 60) -> None:
    """In a phase planned to take a week, started `days` ago, and nothing done since."""
    long_ago = noon_days_ago(days)
    Membership.objects.filter(pk=membership.pk).update(
        joined_at=long_ago, phase_started_at=long_ago
    )
    membership.refresh_from_db()
    membership.current_phase.expected_weeks = 1
    membership.current_phase.save(update_fields=["expected_weeks"])


def _nudge(programme, recipient, kind, *, days_ago: int, acted: bool, n: int = 0, **fields):
    at = timezone.now() - timedelta(days=days_ago)
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        period=f"test:{kind}:{days_ago}:{acted}:{n}",
        programme=programme,
        title="A nudge",
        created_at=at,
        visible_from=fields.pop("visible_from", at),
        acted_at=at + timedelta(hours=5) if acted else None,
        **fields,
    )


def _staff():
    staff = make_user("Sam Staff", "staff@example.org")
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    return staff


# --- Who may ---------------------------------------------------------------------------------


def test_the_nudges_page_is_for_the_programmes_leads_and_nobody_else(client, cast):
    url = _url(cast.programme)
    expected = {
        "lead": 200,
        "mentor": 404,
        "mentee": 404,
        "other_mentee": 404,
        "other_mentor": 404,
        "other_lead": 404,
        "staff": 404,
    }
    seen = {}
    for who, person in (cast.people() | {"staff": _staff()}).items():
        client.force_login(person)
        seen[who] = client.get(url).status_code
    assert seen == expected
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_nobody_but_a_lead_can_change_the_nudge_settings(client, cast):
    before = Programme.objects.values("nudges_off", "nudge_every_days").get(pk=cast.programme.pk)
    data = {"nudges_on": [], "nudge_every_days": "9", "quiet_from": "", "quiet_until": ""}
    for person in [cast.mentor, cast.mentee, cast.other_mentor, cast.other_lead, _staff()]:
        client.force_login(person)
        assert client.post(_url(cast.programme), data).status_code == 404
    client.logout()
    assert client.post(_url(cast.programme), data).status_code == 302
    after = Programme.objects.values("nudges_off", "nudge_every_days").get(pk=cast.programme.pk)
    assert after == before


def test_the_settings_page_links_to_the_nudges_for_leads(client, cast):
    client.force_login(cast.lead)
    html = client.get(reverse("programmes:edit", kwargs={"slug": cast.programme.slug}))
    assert _url(cast.programme) in html.content.decode()


def test_the_kinds_say_who_they_go_to_in_the_programmes_own_word(client, cast):
    Programme.objects.filter(pk=cast.programme.pk).update(mentee_label="apprentice")
    client.force_login(cast.lead)
    page = client.get(_url(cast.programme)).content.decode()
    assert "(to apprentices)" in page and "(to operationalised apprentices, monthly)" in page
    assert "mentees" not in page


# --- Did it help -----------------------------------------------------------------------------


def test_did_it_help_counts_sent_and_acted_on_per_kind_over_30_and_90_days(client, cast):
    p, mentee, mentor = cast.programme, cast.mentee, cast.mentor
    step, slipping = NotificationKind.NEXT_STEP, NotificationKind.PARTNER_SLIPPING
    _nudge(p, mentee, step, days_ago=3, acted=True)
    _nudge(p, mentee, step, days_ago=10, acted=False)
    _nudge(p, mentee, step, days_ago=20, acted=True)
    _nudge(p, mentee, step, days_ago=20, acted=False, n=1)
    _nudge(p, mentee, step, days_ago=50, acted=True)  # in 90 days, not in 30
    _nudge(p, mentee, step, days_ago=120, acted=True)  # too old for either
    _nudge(p, mentor, slipping, days_ago=5, acted=False)
    _nudge(p, mentor, slipping, days_ago=60, acted=True)
    # Not counted: another programme's, an event, one still held back by quiet hours.
    _nudge(cast.other_programme, mentee, step, days_ago=1, acted=True)
    _nudge(p, mentee, NotificationKind.PHASE_CHANGED, days_ago=1, acted=True)
    _nudge(
        p,
        mentee,
        step,
        days_ago=0,
        acted=False,
        n=2,
        visible_from=timezone.now() + timedelta(hours=6),
    )

    last_30, last_90 = nudge_figures(p, now=timezone.now())
    assert (last_30.days, last_90.days) == (30, 90)
    month = {f.kind: f for f in last_30.kinds}
    quarter = {f.kind: f for f in last_90.kinds}
    assert list(month) == [
        "next_step", "actions_due", "session_due", "partner_slipping", "review_waiting",
        "log_session", "cadence_check", "check_in", "lead_digest",
    ]  # fmt: skip
    assert (month["next_step"].sent, month["next_step"].acted, month["next_step"].percent) == (
        4,
        2,
        50,
    )
    assert (quarter["next_step"].sent, quarter["next_step"].acted) == (5, 3)
    assert quarter["next_step"].percent == 60
    # The slipping nudge of 5 days ago is still within its week: no share of it yet.
    slip_30, slip_90 = month["partner_slipping"], quarter["partner_slipping"]
    assert (slip_30.sent, slip_30.acted, slip_30.waiting, slip_30.percent) == (1, 0, 1, None)
    assert (slip_90.sent, slip_90.acted, slip_90.waiting, slip_90.percent) == (2, 1, 1, 100)
    assert month["session_due"].percent is None  # none sent: no share to show
    total_30, total_90 = last_30.total, last_90.total
    assert (total_30.sent, total_30.acted, total_30.waiting, total_30.percent) == (5, 2, 1, 50)
    assert (total_90.sent, total_90.acted, total_90.waiting, total_90.percent) == (7, 4, 1, 67)

    client.force_login(cast.lead)
    html = client.get(_url(p)).content.decode()
    tables = html.split("<caption")[1:]
    assert "Last 30 days" in tables[0] and "Last 90 days" in tables[1]
    assert _cells(_row(tables[0], "Your next step")) == ["4", "2", "0", "50%"]
    assert _cells(_row(tables[0], "A partner is slipping")) == ["1", "0", "1", "—"]
    assert _cells(_row(tables[1], "Your next step")) == ["5", "3", "0", "60%"]
    assert _cells(_row(tables[1], "All whose effect is measured")) == ["7", "4", "1", "67%"]
    header, rows = nudges_csv(p, None, timezone.localdate())
    assert header[1:4] == ["sent in last 30 days", "acted on in last 30 days",
                           "still within their week in last 30 days"]  # fmt: skip
    assert rows[0] == ["Your next step", 4, 2, 0, 5, 3, 0]
    assert [r for r in rows if r[0] == "A partner is slipping"] == [
        ["A partner is slipping", 1, 0, 1, 2, 1, 1]
    ]


def test_with_no_nudge_sent_yet_the_tab_says_so_instead_of_tables_of_zeros(client, cast):
    client.force_login(cast.lead)
    page = client.get(_url(cast.programme)).content.decode()
    assert "No nudges sent in the last 90 days." in page and "<caption" not in page
    _nudge(cast.programme, cast.lead, NotificationKind.LEAD_DIGEST, days_ago=3, acted=False)
    page = client.get(_url(cast.programme)).content.decode()
    assert "No nudges sent" not in page and "Last 30 days" in page  # a digest is sent too


def test_the_dashboard_says_what_its_share_of_acted_on_is_of(client, cast):
    step = NotificationKind.NEXT_STEP
    _nudge(cast.programme, cast.mentee, step, days_ago=10, acted=True)
    _nudge(cast.programme, cast.mentee, step, days_ago=2, acted=False)
    client.force_login(cast.lead)
    page = client.get(reverse("mentoring:dashboard", args=[cast.programme.slug]))
    # Of 2 sent, 1 is still within its week: "100%" is of the other 1, and says so.
    row = _row(page.content.decode(), "Your next step")
    assert _cells(row)[:2] == ["2", "1 (100% of 1) "]
    assert "· 1 still within their week" in row


def _row(table: str, label: str) -> str:
    return table[table.index(f">{label}<") :].split("</tr>")[0]


def _cells(row: str) -> list[str]:
    return re.findall(r'<td class="num"[^>]*>(?:<strong>)?([^<]*)', row)


def test_a_digest_is_counted_as_sent_but_its_effect_is_not_measured(client, cast):
    _nudge(cast.programme, cast.lead, NotificationKind.LEAD_DIGEST, days_ago=2, acted=False)
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    for table in html.split("<caption")[1:]:
        row = _row(table, "Weekly digest of people at risk")
        assert "not measured" in row and '<td class="num" data-label="Sent">1</td>' in row


# --- The preview -----------------------------------------------------------------------------


def test_the_preview_lists_a_nudge_for_a_mentee_who_is_behind_and_sends_nothing(client, cast):
    _fall_behind(cast.mentee_membership)
    notifications = Notification.objects.count()
    pace = Membership.objects.values("pace_status", "pace_due_at").get(pk=cast.mentee_membership.pk)
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    assert "nothing is sent from this page" in html
    assert "To Mia Mentee (partner)" in html
    assert "To Mo Mentor (mentor of Mia Mentee)" in html
    assert "60 days in Research; it is planned to take 1 week." in html
    assert "Why: You were marked stalled" in html
    assert Notification.objects.count() == notifications
    assert (
        Membership.objects.values("pace_status", "pace_due_at").get(pk=cast.mentee_membership.pk)
        == pace
    )


def test_the_preview_counts_everyone_by_their_pace_now(cast):
    _fall_behind(cast.mentee_membership)
    preview = nudge_preview(cast.programme, now=timezone.now())
    counts = {row.status: row.count for row in preview.by_status}
    assert preview.judged == 2
    assert counts["stalled"] == 1 and sum(counts.values()) == 2


def test_a_kind_the_programme_switched_off_is_not_in_the_preview(client, cast):
    _fall_behind(cast.mentee_membership)
    Programme.objects.filter(pk=cast.programme.pk).update(nudges_off=["next_step"])
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    assert "To Mia Mentee (partner)" not in html
    assert "To Mo Mentor (mentor of Mia Mentee)" in html


def test_someone_nudged_recently_is_not_in_the_preview(client, cast):
    _fall_behind(cast.mentee_membership)
    _nudge(cast.programme, cast.mentee, NotificationKind.NEXT_STEP, days_ago=1, acted=False)
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    assert "To Mia Mentee (partner)" not in html


def test_the_preview_shows_the_first_rows_and_says_how_many_more(cast):
    for _ in range(2):
        _fall_behind(make_mentee(cast.programme, mentor=cast.mentor_membership))
    _fall_behind(cast.mentee_membership)
    _fall_behind(Membership.objects.get(user=cast.other_mentee, programme=cast.programme))
    preview = nudge_preview(cast.programme, now=timezone.now(), limit=2)
    assert preview.total > 2 and len(preview.rows) == 2 and preview.more == preview.total - 2


def test_on_a_page_of_many_the_preview_says_it_counts_the_page_and_gives_the_whole(
    client, cast, monkeypatch
):
    monkeypatch.setattr("mentoring.selectors.nudge.JUDGED_PER_PAGE", 1)
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(pace_status="stalled")
    other = Membership.objects.get(user=cast.other_mentee, programme=cast.programme)
    Membership.objects.filter(pk=other.pk).update(pace_status="on_pace")
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    assert "This page's 1 partner (1\u20131 of 2), judged now" in html
    assert "All 2, as the last sweep judged them: 1 stalled, 1 on pace." in html
    Membership.objects.filter(pk=other.pk).update(pace_status="")  # joined since
    html = client.get(_url(cast.programme)).content.decode()
    assert "All 2, as the last sweep judged them: 1 stalled, 1 not checked yet." in html


def test_with_every_kind_switched_off_the_preview_says_so(client, cast):
    _fall_behind(cast.mentee_membership)
    Programme.objects.filter(pk=cast.programme.pk).update(nudges_off=sorted(NUDGE_KINDS))
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    assert "every kind of nudge is switched off for this programme" in html
    assert "To Mia Mentee (partner)" not in html


def test_a_draft_programme_is_told_the_sweep_sends_nothing_yet(client, cast):
    Programme.objects.filter(pk=cast.programme.pk).update(status=Programme.Status.DRAFT)
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    assert "the sweep sends nothing until it is active" in html


# --- Settings --------------------------------------------------------------------------------


def _settings(**changes) -> dict:
    data = {
        "nudges_on": ["next_step", "actions_due", "session_due", "partner_slipping",
                      "review_waiting", "log_session", "cadence_check", "check_in"],
        "nudge_every_days": "3",
        "quiet_from": "21:00",
        "quiet_until": "07:30",
    }  # fmt: skip
    return data | changes


def test_a_lead_switches_kinds_off_sets_the_cap_and_quiet_hours(client, cast):
    client.force_login(cast.lead)
    response = client.post(_url(cast.programme), _settings())
    assert response.status_code == 302 and response.url == _url(cast.programme)
    cast.programme.refresh_from_db()
    assert cast.programme.nudges_off == ["lead_digest"]
    assert cast.programme.nudge_every_days == 3
    assert (cast.programme.quiet_from, cast.programme.quiet_until) == (time(21), time(7, 30))
    html = client.get(_url(cast.programme)).content.decode()
    assert 'value="21:00"' in html and 'value="07:30"' in html
    assert 'value="lead_digest"' in html
    assert 'value="lead_digest" checked' not in html and 'value="next_step" checked' not in html
    assert html.count(" checked") == 8


def test_turning_everything_back_on_and_quiet_hours_off(client, cast):
    Programme.objects.filter(pk=cast.programme.pk).update(
        nudges_off=["check_in"], quiet_from=time(22), quiet_until=time(6)
    )
    client.force_login(cast.lead)
    every = _settings()["nudges_on"] + ["lead_digest"]
    data = _settings(nudges_on=every, quiet_from="", quiet_until="", nudge_every_days="2")
    assert client.post(_url(cast.programme), data).status_code == 302
    cast.programme.refresh_from_db()
    assert cast.programme.nudges_off == []
    assert cast.programme.quiet_from is None and cast.programme.quiet_until is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"nudge_every_days": "1"},
            "The site&#x27;s cap is one nudge every 2 days: choose 2 or more.",
        ),
        ({"nudge_every_days": "0"}, "The site&#x27;s cap is one nudge every 2 days"),
        ({"nudge_every_days": ""}, "Say how many days."),
        ({"nudge_every_days": "91"}, "less than or equal to 90"),
        ({"quiet_until": ""}, "both a start and an end, or neither"),
        ({"quiet_from": ""}, "both a start and an end, or neither"),
        ({"quiet_from": "07:30"}, "start and end at different times"),
        ({"nudges_on": ["next_step", "phase_changed"]}, "not one of the available choices"),
    ],
    ids=["below the cap", "zero", "empty", "too long", "no end", "no start", "same", "event"],
)
def test_bad_nudge_settings_are_refused_in_words_and_change_nothing(client, cast, changes, message):
    before = Programme.objects.values("nudges_off", "nudge_every_days", "quiet_from").get(
        pk=cast.programme.pk
    )
    client.force_login(cast.lead)
    response = client.post(_url(cast.programme), _settings(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    after = Programme.objects.values("nudges_off", "nudge_every_days", "quiet_from").get(
        pk=cast.programme.pk
    )
    assert after == before


# --- Size --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_nudges_page_runs_the_same_number_of_queries_with_3_and_30_mentees(client):
    counts = []
    for size in (3, 30):
        lead = make_user()
        programme = make_programme(lead, name=f"Nudged {size}")
        mentor = make_mentor(programme)
        for i in range(size):
            mentee = make_mentee(programme, mentor=mentor if i % 2 else None)
            if i % 3 == 0:
                _fall_behind(mentee)
            _nudge(programme, mentee.user, NotificationKind.NEXT_STEP, days_ago=4, acted=i % 2 == 0)
        client.force_login(lead)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_url(programme))
            assert response.status_code == 200
        assert b"would go out" in response.content
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_preview_says_when_quiet_hours_hold_a_nudge_back(client, cast):
    _fall_behind(cast.mentee_membership)
    local = timezone.now().astimezone(ZoneInfo(cast.mentee.time_zone or "UTC"))
    Programme.objects.filter(pk=cast.programme.pk).update(
        quiet_from=(local - timedelta(hours=1)).time().replace(second=0, microsecond=0),
        quiet_until=(local + timedelta(hours=2)).time().replace(second=0, microsecond=0),
    )
    client.force_login(cast.lead)
    html = client.get(_url(cast.programme)).content.decode()
    row = html[html.index("To Mia Mentee (partner)") :].split("</li>")[0]
    assert "held back by quiet hours until" in row
