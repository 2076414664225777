"""The lead's dashboard: for the programme's leads only; at risk ranked on the stored pace,
with its two actions; the phase funnel week by week; each person's phases; cadence; CSVs
that are formula-safe; filters; and a query count that does not grow with the cohort."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.selectors.dashboard import (
    Filters,
    at_risk,
    at_risk_csv,
    cohort,
    funnel,
    rhythms,
    timelines,
)
from mentoring.views.dashboard import TABLES
from programmes.models import (
    Membership,
    Notification,
    NotificationKind,
    PaceStatus,
    Phase,
    PhaseTransition,
    Role,
)
from tests.factories import make_mentee, make_mentor, make_user


def _url(programme, name: str = "mentoring:dashboard", **kwargs) -> str:
    return reverse(name, kwargs={"slug": programme.slug, **kwargs})


def _judge(membership, status: str, behind: float, reason: str = "Behind.") -> None:
    Membership.objects.filter(pk=membership.pk).update(
        pace_status=status, pace_behind=behind, pace_reason=reason
    )


def _staff():
    staff = make_user("Sam Staff", "staff@example.org")
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    return staff


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


# --- Who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("mentoring:dashboard", {}),
        ("mentoring:dashboard_csv", {"table": "at-risk"}),
        ("mentoring:dashboard_csv", {"table": "cadence"}),
    ],
)
def test_the_dashboard_and_its_downloads_are_for_the_programmes_leads_only(
    client, cast, name, kwargs
):
    url = _url(cast.programme, name, **kwargs)
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


def test_nobody_but_a_lead_can_remind_a_mentor_or_set_someone_aside(client, cast):
    member = cast.mentee_membership
    staff = _staff()
    for name in (
        "mentoring:dashboard_remind",
        "mentoring:dashboard_set_aside",
        "mentoring:dashboard_bring_back",
    ):
        url = _url(cast.programme, name, member=member.pk)
        for person in [cast.mentor, cast.mentee, cast.other_mentor, cast.other_lead, staff]:
            client.force_login(person)
            assert client.post(url).status_code == 404
        client.force_login(cast.lead)
        assert client.get(url).status_code == 405
    assert not Notification.objects.filter(kind=NotificationKind.LEAD_REMINDER).exists()
    member.refresh_from_db()
    assert member.risk_snoozed_until is None


def test_an_unknown_table_is_not_found(client, cast):
    client.force_login(cast.lead)
    assert (
        client.get(_url(cast.programme, "mentoring:dashboard_csv", table="nope")).status_code == 404
    )


# --- At risk ---------------------------------------------------------------------------------


def test_at_risk_ranks_by_how_far_behind_their_own_pace_with_the_reason(client, cast):
    far = make_mentee(cast.programme, mentor=cast.mentor_membership, user=make_user("Far Behind"))
    _judge(far, PaceStatus.STALLED, 3.4, "No session since 3 March; you agreed to meet weekly.")
    _judge(cast.mentee_membership, PaceStatus.SLIPPING, 1.6, "2 agreed actions overdue.")
    fine = make_mentee(cast.programme, user=make_user("Fine Person"))
    _judge(fine, PaceStatus.ON_PACE, 0.2)
    client.force_login(cast.lead)
    page = client.get(_url(cast.programme)).content.decode()
    risk = page[page.index('id="at-risk"') : page.index('id="funnel-title"')]
    assert risk.index("Far Behind") < risk.index("Mia Mentee")
    assert "No session since 3 March; you agreed to meet weekly." in risk
    assert "Fine Person" not in risk
    assert "Remind mentor" in risk and "Set aside" in risk


def test_setting_someone_aside_takes_them_off_the_list_for_two_weeks_but_not_off_the_csv(
    client, cast
):
    _judge(cast.mentee_membership, PaceStatus.STALLED, 2.5)
    client.force_login(cast.lead)
    response = client.post(
        _url(cast.programme, "mentoring:dashboard_set_aside", member=cast.mentee_membership.pk)
    )
    # Back at the top of the page, whose message says who was set aside and for how long.
    assert response.status_code == 302 and response.url == _url(cast.programme)
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert messages == [
        "Mia Mentee is set aside for 14 days: off this list, still on the People page and "
        "in the CSV."
    ]
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.risk_snoozed_until == timezone.localdate() + timedelta(days=14)
    found = at_risk(cohort(cast.programme, Filters()), today=timezone.localdate())
    assert found.people == [] and found.total == 0 and found.set_aside == 1
    rows = _rows(client.get(_url(cast.programme, "mentoring:dashboard_csv", table="at-risk")))
    assert rows[1][0] == "Mia Mentee"
    assert rows[1][-1] == cast.mentee_membership.risk_snoozed_until.isoformat()
    # Two weeks on, still at risk: back on the list.
    later = timezone.localdate() + timedelta(days=15)
    assert at_risk(cohort(cast.programme, Filters()), today=later).total == 1


def test_someone_set_aside_is_listed_with_their_date_and_brought_back_in_a_click(client, cast):
    _judge(cast.mentee_membership, PaceStatus.STALLED, 2.5)
    client.force_login(cast.lead)
    member = cast.mentee_membership.pk
    client.post(_url(cast.programme, "mentoring:dashboard_set_aside", member=member))
    page = client.get(_url(cast.programme)).content.decode()
    aside = page[page.index('class="set-aside"') :]
    assert "1 set aside for now" in aside and "Mia Mentee" in aside
    back = _url(cast.programme, "mentoring:dashboard_bring_back", member=member)
    assert back in aside

    response = client.post(back, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Mia Mentee is back on the at-risk list."
    ]
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.risk_snoozed_until is None
    found = at_risk(cohort(cast.programme, Filters()), today=timezone.localdate())
    assert [m.pk for m in found.people] == [member] and found.set_aside == 0
    assert 'class="set-aside"' not in response.content.decode()


def test_reminding_the_mentor_tells_them_once_a_day_with_the_reason_and_a_link(client, cast):
    _judge(cast.mentee_membership, PaceStatus.STALLED, 2.5, "No session for 5 weeks.")
    client.force_login(cast.lead)
    url = _url(cast.programme, "mentoring:dashboard_remind", member=cast.mentee_membership.pk)
    first = client.post(url, follow=True)
    assert [(m.level_tag, str(m)) for m in first.context["messages"]] == [
        ("success", "Sent: Mia Mentee's mentor has your reminder.")
    ]
    again = client.post(url, follow=True)
    assert [(m.level_tag, str(m)) for m in again.context["messages"]] == [
        (
            "info",  # not an error: the mentor has it already
            "Already sent today: Mia Mentee's mentor has your reminder from earlier, and is "
            "not told twice in a day.",
        )
    ]
    sent = Notification.objects.get(kind=NotificationKind.LEAD_REMINDER)
    assert sent.recipient == cast.mentor
    assert sent.about_id == cast.mentee_membership.pk
    assert "Mia Mentee" in sent.title and sent.body == "No session for 5 weeks."
    assert sent.link == reverse(
        "mentoring:partner",
        kwargs={"slug": cast.programme.slug, "member": cast.mentee_membership.pk},
    )
    client.force_login(cast.mentor)
    assert client.get(sent.link).status_code == 200


def test_reminding_without_a_mentor_says_what_to_do(client, cast):
    alone = make_mentee(cast.programme, user=make_user("On Their Own"))
    _judge(alone, PaceStatus.STALLED, 2.5)
    client.force_login(cast.lead)
    response = client.post(
        _url(cast.programme, "mentoring:dashboard_remind", member=alone.pk), follow=True
    )
    assert "pair them first" in response.content.decode()
    assert not Notification.objects.filter(kind=NotificationKind.LEAD_REMINDER).exists()


def test_a_person_of_another_programme_is_not_found(client, cast):
    stranger = make_mentee(cast.other_programme)
    client.force_login(cast.lead)
    url = _url(cast.programme, "mentoring:dashboard_set_aside", member=stranger.pk)
    assert client.post(url).status_code == 404


# --- The funnel, timelines, filters ------------------------------------------------------------


def test_the_funnel_counts_each_week_from_the_phase_moves(cast):
    phases = list(Phase.objects.filter(programme=cast.programme).order_by("position"))
    member = cast.mentee_membership
    now = timezone.now()
    PhaseTransition.objects.filter(membership=member).delete()
    PhaseTransition.objects.create(
        membership=member,
        kind=PhaseTransition.Kind.JOINED,
        to_phase=phases[0],
        to_name=phases[0].name,
        at=now - timedelta(weeks=5),
    )
    PhaseTransition.objects.create(
        membership=member,
        from_phase=phases[0],
        from_name=phases[0].name,
        to_phase=phases[1],
        to_name=phases[1].name,
        at=now - timedelta(weeks=2),
    )
    Membership.objects.filter(pk=member.pk).update(current_phase=phases[1])
    # Only this mentee: the other is in the first phase with no recorded moves, throughout.
    mentees = cohort(cast.programme, Filters()).filter(pk=member.pk)
    found = funnel(cast.programme, mentees, today=timezone.localdate())
    first, second = found.counts[0], found.counts[1]
    # From the week they joined (five weeks ago; the weeks before had nobody to show), this
    # one last: moved on two weeks ago.
    assert first == [1, 1, 1, 0, 0, 0]
    assert second == [0, 0, 0, 1, 1, 1]
    joined = timezone.localdate(now - timedelta(weeks=5))
    assert found.weeks[0] == joined - timedelta(days=joined.weekday())
    assert found.now[1] == (phases[1].name, 1)
    assert found.summary == (
        f"1 person now, joined since the week of {found.weeks[0]:%-d %b}; in {phases[1].name}."
    )
    everyone = funnel(cast.programme, cohort(cast.programme, Filters()), today=timezone.localdate())
    # One in each of the first two phases: a tie is told as one, not as a single winner.
    assert everyone.summary == (
        f"2 people now, all joined since the week of {found.weeks[0]:%-d %b}; "
        f"the most (1 each) are in {phases[0].name} and {phases[1].name}."
    )


def test_a_cohort_older_than_the_window_keeps_all_twelve_weeks(cast):
    PhaseTransition.objects.filter(membership__programme=cast.programme).update(
        at=timezone.now() - timedelta(weeks=20)
    )
    found = funnel(cast.programme, cohort(cast.programme, Filters()), today=timezone.localdate())
    assert len(found.weeks) == 12 and found.summary.startswith(
        f"2 people now, against 2 in the week of {found.weeks[0]:%-d %b};"
    )


def test_timelines_show_the_furthest_behind_first_fifty_a_page(cast):
    for n in range(52):
        m = make_mentee(cast.programme, user=make_user(f"Person {n:02d}"))
        _judge(m, PaceStatus.ON_PACE, n / 10)
    page, rows = timelines(
        cast.programme, cohort(cast.programme, Filters()), today=timezone.localdate()
    )
    assert len(rows) == 50 and page.paginator.count == 54
    assert rows[0].member.user.name == "Person 51"
    assert [r.member.pace_behind for r in rows] == sorted(
        (r.member.pace_behind for r in rows), reverse=True
    )
    assert all(r.actual for r in rows)


def test_people_equally_behind_are_in_name_order_across_pages(cast):
    # Enrolled in reverse order of name, so an order by key alone would fail.
    for n in reversed(range(52)):
        m = make_mentee(
            cast.programme, mentor=cast.mentor_membership, user=make_user(f"Tied {n:02d}")
        )
        _judge(m, PaceStatus.SLIPPING, 1.5)
    tied = [f"Tied {n:02d}" for n in range(52)]
    mentees = cohort(cast.programme, Filters())
    today = timezone.localdate()
    _, rows = timelines(cast.programme, mentees, today=today)
    _, more = timelines(cast.programme, mentees, today=today, page=2)
    assert [r.member.user.name for r in rows + more][:52] == tied
    assert [r.member.user.name for r in more][2:] == ["Mia Mentee", "Otto Othermentee"]
    _, pairs = rhythms(cast.programme, mentees, today=today)
    _, later = rhythms(cast.programme, mentees, today=today, page=2)
    assert [r.pairing.mentee.user.name for r in pairs + later][:52] == tied
    assert [m.user.name for m in at_risk(mentees, today=today, limit=52).people] == tied
    _header, at_risk_rows = at_risk_csv(cast.programme, mentees, today)
    assert [row[0] for row in at_risk_rows][:52] == tied


def test_filters_narrow_every_panel_and_a_bad_value_is_reported_not_fatal(client, cast):
    _judge(cast.mentee_membership, PaceStatus.STALLED, 2.0)
    other = Membership.objects.get(user=cast.other_mentee, role=Role.MENTEE)
    _judge(other, PaceStatus.SLIPPING, 1.5)
    client.force_login(cast.lead)
    mine = client.get(_url(cast.programme), {"mentor": cast.mentor_membership.pk}).content.decode()
    assert "Mia Mentee" in mine and "Otto Othermentee" not in mine
    both = client.get(_url(cast.programme), {"pace": "at_risk"}).content.decode()
    assert "Mia Mentee" in both and "Otto Othermentee" in both
    bad = client.get(_url(cast.programme), {"mentor": "99999", "pace": "nonsense"})
    assert bad.status_code == 200
    page = bad.content.decode()
    assert "not recognised" in page and "Otto Othermentee" in page
    rows = _rows(
        client.get(
            _url(cast.programme, "mentoring:dashboard_csv", table="at-risk"),
            {"mentor": cast.mentor_membership.pk},
        )
    )
    assert [r[0] for r in rows[1:]] == ["Mia Mentee"]


def test_a_long_bad_filter_value_is_shortened_in_the_warning(client, cast):
    client.force_login(cast.lead)
    page = client.get(_url(cast.programme), {"phase": "x" * 5000}).content.decode()
    assert "not recognised" in page
    assert "x" * 39 + "…" in page and "x" * 41 not in page


def test_the_answers_page_on_its_own_says_which_filters_it_ignored(client, cast):
    client.force_login(cast.lead)
    url = _url(cast.programme, "mentoring:dashboard_answers")
    page = client.get(url, {"pace": "bogus"}).content.decode()
    assert "not recognised" in page and "“bogus”" in page
    assert "not recognised" not in client.get(url, {"pace": "at_risk"}).content.decode()


def test_a_view_with_nobody_in_it_says_so_once_and_keeps_the_whole_programmes_answers(client, cast):
    client.force_login(cast.lead)
    page = client.get(_url(cast.programme), {"pace": "ahead"}).content.decode()
    assert "No playbook sections in this view." in page
    assert "when they reach the playbook phase" not in page
    panels = client.get(
        _url(cast.programme, "mentoring:dashboard_answers"), {"pace": "ahead"}
    ).content.decode()
    # Each empty panel says it once, with what to do; the pulse answers, which no filter
    # narrows, are still there.
    assert panels.count("Nobody in this view — clear the filters") == 2
    assert "Nobody in this view yet." not in panels
    assert "Right way, right frequency" in panels


def test_the_phase_filter_offers_those_operationalised(client, cast):
    done = make_mentee(cast.programme, user=make_user("Dana Done"))
    Membership.objects.filter(pk=done.pk).update(operationalised_at=timezone.now())
    client.force_login(cast.lead)
    page = client.get(_url(cast.programme), {"phase": "done"}).content.decode()
    assert '<option value="done" selected>Operationalised</option>' in page
    assert "not recognised" not in page
    assert "Dana Done" in page and "Mia Mentee" not in page
    assert f"Operationalised {timezone.localdate():%-d %b %Y}</span>" in page
    rows = _rows(
        client.get(
            _url(cast.programme, "mentoring:dashboard_csv", table="timelines"), {"phase": "done"}
        )
    )
    assert [r[0] for r in rows[1:]] == ["Dana Done"]


def test_a_table_counted_over_everyone_ignores_filters_and_does_not_claim_them(client, cast):
    client.force_login(cast.lead)
    for table in ("nudges", "ratings-by-mentor"):
        response = client.get(
            _url(cast.programme, "mentoring:dashboard_csv", table=table), {"pace": "at_risk"}
        )
        assert response.status_code == 200
        assert "pace" not in response["Content-Disposition"], table
    filtered = client.get(
        _url(cast.programme, "mentoring:dashboard_csv", table="at-risk"), {"pace": "at_risk"}
    )
    assert "pace-at_risk" in filtered["Content-Disposition"]


# --- Downloads ---------------------------------------------------------------------------------


def test_every_table_downloads_formula_safe(client, cast):
    evil = make_mentee(
        cast.programme, mentor=cast.mentor_membership, user=make_user("=HYPERLINK(1)")
    )
    _judge(evil, PaceStatus.STALLED, 3.0, "+cmd|' /C calc'!A0")
    client.force_login(cast.lead)
    for table in TABLES:
        response = client.get(_url(cast.programme, "mentoring:dashboard_csv", table=table))
        assert response.status_code == 200, table
        assert response["Content-Type"].startswith("text/csv")
        assert table in response["Content-Disposition"]
        rows = _rows(response)
        assert rows and rows[0], table
        for row in rows:
            for cell in row:
                assert cell[:1] not in ("=", "+", "@") and not cell.startswith("-"), (table, cell)
    rows = _rows(client.get(_url(cast.programme, "mentoring:dashboard_csv", table="at-risk")))
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][5] == "'+cmd|' /C calc'!A0"


# --- At any size -------------------------------------------------------------------------------


def _grow(programme, mentor, count: int) -> None:
    for _ in range(count):
        m = make_mentee(programme, mentor=mentor)
        _judge(m, PaceStatus.SLIPPING, 1.5)


def test_the_dashboard_runs_the_same_queries_for_three_people_as_for_thirty(client, cast):
    client.force_login(cast.lead)
    url = _url(cast.programme)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    more_mentors = [make_mentor(cast.programme) for _ in range(3)]
    for mentor in more_mentors:
        _grow(cast.programme, mentor, 9)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), "\n".join(q["sql"][:120] for q in large.captured_queries)


# --- Cached, and cleared when the programme changes ------------------------------------------


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 300


def test_a_second_look_is_served_from_the_cache_in_a_few_queries(client, cast, cached):
    client.force_login(cast.lead)
    url = _url(cast.programme)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as again:
        page = client.get(url).content.decode()
    assert len(again) <= len(first) - 10
    assert "At risk" in page and "Phases, week by week" in page


def test_a_change_in_the_programme_clears_the_cached_figures(client, cast, cached):
    _judge(cast.mentee_membership, PaceStatus.STALLED, 2.5, "No session for 5 weeks.")
    client.force_login(cast.lead)
    url = _url(cast.programme)
    assert "No session for 5 weeks." in client.get(url).content.decode()
    # Set aside through the page: the programme changed, so the next look is fresh.
    client.post(
        _url(cast.programme, "mentoring:dashboard_set_aside", member=cast.mentee_membership.pk)
    )
    assert "No session for 5 weeks." not in client.get(url).content.decode()


def test_the_pace_sweep_clears_the_figures_of_the_programmes_it_judged(
    client, cast, cached, django_capture_on_commit_callbacks
):
    from mentoring.services.pace import sweep

    client.force_login(cast.lead)
    url = _url(cast.programme)
    client.get(url)
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(
        joined_at=timezone.now() - timedelta(days=90),
        phase_started_at=timezone.now() - timedelta(days=90),
        pace_due_at=timezone.now() - timedelta(minutes=1),
    )
    Phase.objects.filter(pk=cast.mentee_membership.current_phase_id).update(expected_weeks=1)
    with django_capture_on_commit_callbacks(execute=True):
        sweep()
    page = client.get(url).content.decode()
    risk = page[page.index('id="at-risk"') : page.index('id="funnel-title"')]
    assert "Mia Mentee" in risk


def test_each_filter_has_its_own_cached_panels(client, cast, cached):
    client.force_login(cast.lead)
    url = _url(cast.programme)
    everyone = client.get(url).content.decode()
    mine = client.get(url, {"mentor": cast.mentor_membership.pk}).content.decode()
    assert "Otto Othermentee" in everyone and "Otto Othermentee" not in mine


def test_a_lead_in_a_second_browser_gets_forms_that_work_there(cast, settings):
    """The cached panels carry CSRF tokens: each browser gets its own, not the first's."""
    from django.test import Client

    settings.DASHBOARD_CACHE_SECONDS = 300
    _judge(cast.mentee_membership, PaceStatus.STALLED, 2.5, "No session for 5 weeks.")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(cast.lead)
    first.get(_url(cast.programme))  # fills the cache in the first browser
    page = second.get(_url(cast.programme)).content.decode()
    url = _url(cast.programme, "mentoring:dashboard_remind", member=cast.mentee_membership.pk)
    form = re.search(rf'<form[^>]*action="{url}".*?</form>', page, re.S)
    assert form is not None
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    answer = second.post(url, {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    assert Notification.objects.filter(kind=NotificationKind.LEAD_REMINDER).count() == 1


def test_the_answers_panels_load_after_the_page_and_open_on_their_own_without_script(client, cast):
    client.force_login(cast.lead)
    page = client.get(_url(cast.programme), {"phase": cast.mentee_membership.current_phase_id})
    html = page.content.decode()
    answers = _url(cast.programme, "mentoring:dashboard_answers")
    phase = f"phase={cast.mentee_membership.current_phase_id}"
    assert f'hx-get="{answers}?{phase}' in html and 'hx-trigger="load"' in html
    assert 'id="confidence"' not in html  # not computed for the first paint
    fragment = client.get(
        answers, {"phase": cast.mentee_membership.current_phase_id}, HTTP_HX_REQUEST="true"
    )
    part = fragment.content.decode()
    assert 'id="answers-panels"' in part and 'id="confidence"' in part
    assert "<html" not in part
    alone = client.get(answers).content.decode()
    assert "<html" in alone and 'id="confidence"' in alone and "Back to the dashboard" in alone


def test_one_persons_answers_come_with_the_page(client, cast):
    client.force_login(cast.lead)
    member = cast.mentee_membership.pk
    html = client.get(_url(cast.programme), {"member": member}).content.decode()
    assert 'id="confidence"' in html and "hx-trigger" not in html.split('id="at-risk"')[1]
