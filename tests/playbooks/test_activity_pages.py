"""The activity checklist: leads keep the activities, each person logs only their own, mentors
share theirs with their partners, and the page costs the same whatever its length."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from playbooks.blueprints import DEFAULT_ACTIVITIES
from playbooks.models import Activity, Completion, PersonalTarget, Recurrence
from playbooks.services.activity import (
    ActivityError,
    add_activity,
    log_completion,
    today_for,
    undo_completion,
)
from programmes.services.programme import create_programme, duplicate_programme
from programmes.services.progress import advance_phase
from tests.factories import make_mentee
from tests.test_site_pages import assert_nothing_inline

EVERYONE = ["lead", "mentor", "mentee", "other_mentee", "other_mentor", "other_lead"]


def url(name, cast, *args):
    return reverse(f"playbooks:{name}", args=[cast.programme.slug, *args])


def an_activity(cast, **fields):
    defaults = {"title": "Post about a lesson", "recurrence": Recurrence.WEEK, "times": 2}
    return add_activity(programme=cast.programme, by=cast.lead, **(defaults | fields))


# --- Defaults and copies ------------------------------------------------------------------


def test_a_programme_from_the_template_gets_the_social_adoption_activities(cast):
    titles = list(cast.programme.activities.values_list("title", flat=True))
    assert titles == [blueprint.title for blueprint in DEFAULT_ACTIVITIES]
    comment = cast.programme.activities.get(title__startswith="Comment thoughtfully")
    assert (comment.recurrence, comment.times, comment.applies_from.name) == (
        "week",
        5,
        "Workshops",
    )


def test_a_blank_programme_starts_with_an_empty_checklist(cast):
    blank = create_programme(name="Blank", by=cast.lead, from_template=False)
    assert not blank.activities.exists()


def test_a_duplicated_programme_copies_the_current_activities_with_their_phases(cast):
    activity = an_activity(cast, applies_from=cast.programme.phases.get(name="Playbook"))
    Activity.objects.filter(title__startswith="Record a short").update(archived_at=timezone.now())
    copy = duplicate_programme(source=cast.programme, by=cast.lead, name="Next cohort")
    copied = copy.activities.get(title=activity.title)
    assert copied.applies_from.programme == copy
    assert copied.applies_from.name == "Playbook"
    assert copy.activities.count() == len(DEFAULT_ACTIVITIES)  # one added, one archived


# --- Who may reach what -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("mentee", 200),
        ("mentor", 200),
        ("lead", 302),
        ("other_mentee", 200),
        ("other_lead", 404),
    ],
)
def test_the_checklist_is_for_the_programmes_mentees_and_mentors(client, cast, person, status):
    client.force_login(cast.people()[person])
    assert client.get(url("checklist", cast)).status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.get(url("checklist", cast))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("mentor", 200),
        ("lead", 200),
        ("other_mentee", 404),
        ("other_mentor", 404),
        ("other_lead", 404),
    ],
)
def test_a_mentees_checklist_is_read_by_their_mentor_and_leads_only(client, cast, person, status):
    client.force_login(cast.people()[person])
    response = client.get(url("member_checklist", cast, cast.mentee_membership.pk))
    assert response.status_code == status


def test_a_mentor_reads_a_partners_checklist_without_anything_to_tick(client, cast):
    client.force_login(cast.mentor)
    page = client.get(url("member_checklist", cast, cast.mentee_membership.pk)).content.decode()
    assert "Mia Mentee's activities" in page
    assert "Done today" not in page


# --- The mentee does the work -------------------------------------------------------------


def mentee_in_workshops(cast):
    return advance_phase(membership=cast.mentee_membership, by=cast.lead)


@pytest.mark.parametrize("person", ["mentor", "lead"])
def test_a_mentor_or_lead_cannot_log_a_mentees_completion(client, cast, person):
    activity = an_activity(cast)
    client.force_login(cast.people()[person])
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk), {"quick": "1"}
    )
    assert response.status_code == 403
    assert not Completion.objects.exists()


@pytest.mark.parametrize("person", ["mentor", "lead"])
def test_the_service_refuses_a_completion_logged_for_someone_else(cast, person):
    with pytest.raises(PermissionDenied):
        log_completion(
            membership=cast.mentee_membership, activity=an_activity(cast), by=cast.people()[person]
        )
    assert not Completion.objects.exists()


@pytest.mark.parametrize("person", ["other_mentee", "other_mentor", "other_lead"])
def test_anyone_else_logging_a_mentees_completion_finds_nothing(client, cast, person):
    activity = an_activity(cast)
    client.force_login(cast.people()[person])
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk), {"quick": "1"}
    )
    assert response.status_code == 404
    assert not Completion.objects.exists()


def test_a_mentee_ticks_an_activity_done_today_and_sees_the_count_rise(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentee)
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk),
        {"quick": "1"},
        follow=True,
    )
    completion = Completion.objects.get()
    assert completion.membership == cast.mentee_membership
    assert completion.done_on == today_for(cast.mentee)
    page = response.content.decode()
    assert "Logged “Post about a lesson”" in page
    assert "1 of 2 this week" in page
    assert_nothing_inline(page)


def test_a_mentee_logs_a_completion_with_a_date_evidence_and_a_note(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentee)
    yesterday = today_for(cast.mentee) - timedelta(days=1)
    client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk),
        {"done_on": yesterday.isoformat(), "evidence_url": "https://example.org/p/1", "note": "Hi"},
    )
    completion = Completion.objects.get()
    assert (completion.done_on, completion.evidence_url, completion.note) == (
        yesterday,
        "https://example.org/p/1",
        "Hi",
    )


def test_a_completion_cannot_be_dated_in_the_future(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentee)
    tomorrow = today_for(cast.mentee) + timedelta(days=2)
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk),
        {"done_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "not before" in response.content.decode()
    assert not Completion.objects.exists()


def test_an_activity_from_a_later_phase_cannot_be_logged_yet(cast):
    later = an_activity(cast, applies_from=cast.programme.phases.get(name="Integration"))
    with pytest.raises(ActivityError, match="opens in Integration"):
        log_completion(membership=cast.mentee_membership, activity=later, by=cast.mentee)


def test_the_checklist_shows_only_activities_open_in_the_mentees_phase(client, cast):
    client.force_login(cast.mentee)
    page = client.get(url("checklist", cast)).content.decode()
    assert "Refresh your LinkedIn headline" not in page  # from Workshops; mentee in Research
    mentee_in_workshops(cast)
    page = client.get(url("checklist", cast)).content.decode()
    assert "Refresh your LinkedIn headline" in page


def test_a_mentee_undoes_a_completion_soon_after(client, cast):
    completion = log_completion(
        membership=cast.mentee_membership, activity=an_activity(cast), by=cast.mentee
    )
    client.force_login(cast.mentee)
    response = client.post(url("undo_completion", cast, completion.pk), follow=True)
    assert "Took back" in response.content.decode()
    assert not Completion.objects.exists()


def test_a_completion_cannot_be_undone_after_a_day(cast):
    completion = log_completion(
        membership=cast.mentee_membership, activity=an_activity(cast), by=cast.mentee
    )
    with pytest.raises(ActivityError, match="too long ago"):
        undo_completion(
            completion=completion, by=cast.mentee, now=timezone.now() + timedelta(hours=25)
        )
    assert Completion.objects.exists()


def test_a_mentor_cannot_undo_a_mentees_completion(client, cast):
    completion = log_completion(
        membership=cast.mentee_membership, activity=an_activity(cast), by=cast.mentee
    )
    client.force_login(cast.mentor)
    assert client.post(url("undo_completion", cast, completion.pk)).status_code == 403
    client.force_login(cast.other_mentee)
    assert client.post(url("undo_completion", cast, completion.pk)).status_code == 404
    assert Completion.objects.exists()


def test_changes_refuse_a_get(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentee)
    assert client.get(url("undo_completion", cast, 1)).status_code == 405
    assert client.get(url("personal_target", cast, cast.mentee_membership.pk)).status_code == 405
    client.force_login(cast.lead)
    assert client.get(url("activity_remove", cast, activity.pk)).status_code == 405


# --- Streaks and the personal target ------------------------------------------------------


def test_a_recurring_activity_shows_its_streak(client, cast):
    activity = an_activity(cast, times=1)
    today = today_for(cast.mentee)
    for weeks in (1, 2, 4):  # three weeks back is missed and forgiven
        Completion.objects.create(
            activity=activity,
            membership=cast.mentee_membership,
            done_on=today - timedelta(weeks=weeks),
        )
    client.force_login(cast.mentee)
    page = client.get(url("checklist", cast)).content.decode()
    assert "3 weeks in a row" in page


def test_a_mentee_sets_their_own_weekly_target(client, cast):
    client.force_login(cast.mentee)
    response = client.post(
        url("personal_target", cast, cast.mentee_membership.pk), {"per_week": "4"}, follow=True
    )
    assert PersonalTarget.objects.get(membership=cast.mentee_membership).per_week == 4
    assert "against your target of <strong>4</strong>" in response.content.decode()
    client.post(url("personal_target", cast, cast.mentee_membership.pk), {"per_week": ""})
    assert not PersonalTarget.objects.exists()


def test_a_mentor_cannot_set_a_mentees_target(client, cast):
    client.force_login(cast.mentor)
    response = client.post(
        url("personal_target", cast, cast.mentee_membership.pk), {"per_week": "9"}
    )
    assert response.status_code == 403
    assert not PersonalTarget.objects.exists()


# --- Mentors do the activities too --------------------------------------------------------


def test_a_mentor_logs_what_worked_and_their_partner_sees_it_beside_their_checklist(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentor)
    client.post(
        url("log_completion", cast, cast.mentor_membership.pk, activity.pk),
        {
            "done_on": today_for(cast.mentor).isoformat(),
            "what_worked": "Questions",
            "what_failed": "Memes",
        },
    )
    completion = Completion.objects.get()
    assert (completion.membership, completion.what_worked) == (cast.mentor_membership, "Questions")
    client.force_login(cast.mentee)
    page = client.get(url("checklist", cast)).content.decode()
    assert "Your mentor did this too" in page
    assert "Questions" in page and "Memes" in page


@pytest.mark.parametrize(("person", "sees"), [("other_mentee", False), ("lead", True)])
def test_a_mentors_completions_are_for_their_partners_and_leads(cast, person, sees):
    log_completion(membership=cast.mentor_membership, activity=an_activity(cast), by=cast.mentor)
    assert Completion.objects.visible_to(cast.people()[person]).exists() is sees


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        ("mentee", True),
        ("mentor", True),
        ("lead", True),
        ("other_mentee", False),
        ("other_mentor", False),
        ("other_lead", False),
    ],
)
def test_a_mentees_completions_are_read_by_them_their_mentor_and_leads(cast, person, sees):
    log_completion(membership=cast.mentee_membership, activity=an_activity(cast), by=cast.mentee)
    assert Completion.objects.visible_to(cast.people()[person]).exists() is sees


def test_a_mentors_page_lists_their_partners(client, cast):
    client.force_login(cast.mentor)
    page = client.get(url("checklist", cast)).content.decode()
    assert "Mia Mentee" in page
    assert "Otto Othermentee" not in page


# --- The lead's activity templates --------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "status"),
    [("lead", 200), ("mentor", 403), ("mentee", 403), ("other_lead", 404)],
)
def test_only_leads_keep_the_programmes_activities(client, cast, person, status):
    client.force_login(cast.people()[person])
    assert client.get(url("activities", cast)).status_code == status


def test_a_lead_adds_an_activity_that_repeats_three_times_a_fortnight(client, cast):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(name="Playbook")
    response = client.post(
        url("activity_create", cast),
        {
            "title": "Reply to every comment",
            "recurrence": "fortnight",
            "times": "3",
            "applies_from": phase.pk,
            "skill": "Engaging with your network",
        },
        follow=True,
    )
    activity = cast.programme.activities.get(title="Reply to every comment")
    assert (activity.cadence, activity.applies_from) == ("3 times a fortnight", phase)
    assert_nothing_inline(response.content.decode())


def test_a_mentor_cannot_add_an_activity(client, cast):
    client.force_login(cast.mentor)
    assert client.post(url("activity_create", cast), {"title": "Mine"}).status_code == 403
    assert not Activity.objects.filter(title="Mine").exists()


def test_a_lead_removes_an_activity_someone_did_and_their_record_keeps_it(client, cast):
    activity = an_activity(cast)
    log_completion(membership=cast.mentee_membership, activity=activity, by=cast.mentee)
    client.force_login(cast.lead)
    client.post(url("activity_remove", cast, activity.pk), follow=True)
    activity.refresh_from_db()
    assert activity.archived_at is not None
    assert Completion.objects.filter(activity=activity).exists()
    assert activity.title not in client.get(url("activities", cast)).content.decode()


def test_a_lead_moves_an_activity_up(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.lead)
    client.post(url("activity_move", cast, activity.pk), {"to": "up"})
    titles = list(cast.programme.activities.order_by("position").values_list("title", flat=True))
    assert titles[-2] == activity.title


def test_a_workshop_page_lists_the_activities_that_practise_its_skill(client, cast):
    from tests.programmes.test_workshop_pages import make_workshop

    workshop = make_workshop(cast.programme, cast.lead, topic="Video")
    client.force_login(cast.mentee)
    page = client.get(
        reverse("programmes:workshop_detail", args=[cast.programme.slug, workshop.pk])
    ).content.decode()
    assert "Practise it afterwards" in page
    assert "Record a short video" in page
    assert "Publish a post" not in page


# --- Cost ---------------------------------------------------------------------------------


def _checklist_queries(client, cast, person, activities: int) -> int:
    Activity.objects.filter(programme=cast.programme).delete()
    for n in range(activities):
        activity = an_activity(cast, title=f"Activity {n}", times=1 + n % 3)
        for owner in (cast.mentee_membership, cast.mentor_membership):
            Completion.objects.create(
                activity=activity,
                membership=owner,
                done_on=today_for(cast.mentee) - timedelta(days=n),
            )
    client.force_login(cast.people()[person])
    target = {
        "mentee": url("checklist", cast),
        "mentor": url("checklist", cast),
        "lead": url("member_checklist", cast, cast.mentee_membership.pk),
    }[person]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    assert response.content.decode().count('class="card checklist__item"') == activities
    return len(queries)


@pytest.mark.parametrize("person", ["mentee", "mentor", "lead"])
def test_the_checklist_page_runs_the_same_number_of_queries_for_5_and_50_activities(
    client, cast, person
):
    assert _checklist_queries(client, cast, person, 5) == _checklist_queries(
        client, cast, person, 50
    )


def test_the_activities_page_runs_the_same_number_of_queries_for_5_and_50_mentees(client, cast):
    def queries(mentees):
        for _ in range(mentees):
            make_mentee(cast.programme)
        client.force_login(cast.lead)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("activities", cast)).status_code == 200
        return len(captured)

    assert queries(3) == queries(45)


def test_a_completion_dated_centuries_ago_is_refused_and_the_checklist_still_works(client, cast):
    from playbooks.models import Activity, Completion

    activity = Activity.objects.filter(programme=cast.programme).first()
    client.force_login(cast.mentee)
    url = reverse(
        "playbooks:log_completion",
        kwargs={
            "slug": cast.programme.slug,
            "member": cast.mentee_membership.pk,
            "activity": activity.pk,
        },
    )
    client.post(url, {"done_on": "0001-01-01"})
    assert not Completion.objects.exists()
    checklist = reverse("playbooks:checklist", kwargs={"slug": cast.programme.slug})
    assert client.get(checklist).status_code == 200


# --- Ticking in place (htmx) ----------------------------------------------------------------

HTMX = {"HX-Request": "true"}


def test_a_tick_sent_by_htmx_answers_with_that_activitys_row_and_the_weeks_count(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentee)
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk),
        {"quick": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert fragment.count('class="checklist__row"') == 1
    assert f'id="activity-{activity.pk}-row"' in fragment
    assert "1 of 2 this week" in fragment
    assert "<strong>1</strong> activity this week" in fragment  # the pace card, out of band
    assert f'id="activity-{activity.pk}-status" hx-swap-oob="innerHTML"' in fragment
    assert "Logged “Post about a lesson”. Well done." in fragment
    assert_nothing_inline(fragment)
    assert Completion.objects.get().membership == cast.mentee_membership
    page = client.get(url("checklist", cast)).content.decode()
    assert "Well done." not in page  # shown beside the row, not again on the next page


def test_a_tick_without_htmx_still_reloads_the_checklist(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentee)
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk), {"quick": "1"}
    )
    assert response.status_code == 302
    assert response.url == url("checklist", cast)
    page = client.get(response.url).content.decode()
    assert "Logged “Post about a lesson”. Well done." in page
    assert f'hx-post="{url("log_completion", cast, cast.mentee_membership.pk, activity.pk)}"' in (
        page
    )


def test_a_refused_tick_sent_by_htmx_says_why_beside_the_row(client, cast):
    later = an_activity(cast, applies_from=cast.programme.phases.get(name="Integration"))
    client.force_login(cast.mentee)
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, later.pk),
        {"quick": "1"},
        headers=HTMX,
    )
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "message--error" in fragment and "opens in Integration" in fragment
    assert not Completion.objects.exists()


def test_a_mentors_own_tick_sent_by_htmx_updates_their_weeks_count(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentor)
    response = client.post(
        url("log_completion", cast, cast.mentor_membership.pk, activity.pk),
        {"quick": "1"},
        headers=HTMX,
    )
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert '<span id="this-week" hx-swap-oob="innerHTML">1</span>' in fragment
    assert 'id="this-week"' in client.get(url("checklist", cast)).content.decode()


def test_someone_elses_tick_sent_by_htmx_is_refused_like_any_other(client, cast):
    activity = an_activity(cast)
    client.force_login(cast.mentor)
    response = client.post(
        url("log_completion", cast, cast.mentee_membership.pk, activity.pk),
        {"quick": "1"},
        headers=HTMX,
    )
    assert response.status_code == 403
    assert not Completion.objects.exists()


def test_the_link_to_themes_and_the_strategy_waits_for_the_integration_phase(client, cast):
    integration = reverse("playbooks:integration", args=[cast.programme.slug])
    client.force_login(cast.mentee)
    assert integration not in client.get(url("checklist", cast)).content.decode()
    membership = cast.mentee_membership
    while membership.current_phase.exit_criterion != "signoff":
        membership = advance_phase(membership=membership, by=cast.lead)
    assert integration in client.get(url("checklist", cast)).content.decode()
    client.force_login(cast.mentor)  # a mentor's own activities: nothing to integrate
    assert (
        "Themes and the business strategy"
        not in client.get(url("checklist", cast)).content.decode()
    )


def test_a_once_only_activity_done_asks_nothing_more(client, cast):
    once = an_activity(cast, title="Refresh your headline", recurrence=Recurrence.ONCE, times=1)
    client.force_login(cast.mentee)
    done_today = f'id="activity-{once.pk}-done"'
    assert done_today in client.get(url("checklist", cast)).content.decode()
    client.post(url("log_completion", cast, cast.mentee_membership.pk, once.pk), {"quick": "1"})
    page = client.get(url("checklist", cast)).content.decode()
    assert done_today not in page
    log = url("log_completion", cast, cast.mentee_membership.pk, once.pk)
    assert f'href="{log}"' not in page  # logging it again would count it twice
