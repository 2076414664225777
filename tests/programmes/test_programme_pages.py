"""Programme pages: who may reach them, creating, settings, duplicating, phases."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import AssessmentQuestion, Membership, Phase, Programme, Role
from programmes.services.phase import add_phase
from programmes.services.programme import SetupError
from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_mentor, make_programme, make_user

# Every page of one programme, with who may see it (200), who is refused as a member
# without the right role (403), and everyone else: a 404, as if it did not exist.
LEAD_PAGES = ["programmes:phases", "programmes:edit", "programmes:phase_add"]


def test_the_people_list_is_there_for_the_programmes_leads_alone(client, cast):
    """Everyone in the programme with their phase and pace: other people's, so for anyone
    but a lead the page does not exist (PRODUCT.md's table)."""
    url = reverse("programmes:people", kwargs={"slug": cast.programme.slug})
    statuses = {who: _status(client, person, url) for who, person in cast.people().items()}
    assert statuses == dict.fromkeys(statuses, 404) | {"lead": 200}


def _status(client, user, url) -> int:
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("name", LEAD_PAGES)
def test_lead_pages_are_for_the_programmes_leads_only(client, cast, name):
    url = reverse(name, kwargs={"slug": cast.programme.slug})
    expected = {
        "lead": 200,
        "mentor": 403,
        "mentee": 403,
        "other_mentee": 403,
        "other_mentor": 403,
        "other_lead": 404,
    }
    assert {who: _status(client, person, url) for who, person in cast.people().items()} == expected
    client.logout()
    assert client.get(url).status_code == 302


def test_the_programme_home_shows_each_role_its_own_view(client, cast):
    url = reverse("programmes:detail", kwargs={"slug": cast.programme.slug})
    client.force_login(cast.lead)
    assert "Where people are now" in client.get(url).content.decode()
    client.force_login(cast.mentor)
    html = client.get(url).content.decode()
    assert "Mia Mentee" in html and "Otto Othermentee" not in html
    assert "Where people are now" not in html
    client.force_login(cast.mentee)
    assert client.get(url).url == reverse(
        "programmes:my_journey", kwargs={"slug": cast.programme.slug}
    )
    client.force_login(cast.other_lead)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_lead_creates_a_programme_from_the_template(client):
    lead = make_user()
    client.force_login(lead)
    response = client.post(
        reverse("programmes:create"),
        {"name": "Cohort 3", "description": "", "from_template": "1", "starts_on": "2027-01-10"},
    )
    programme = Programme.objects.get(name="Cohort 3")
    assert response.url == reverse("programmes:detail", kwargs={"slug": programme.slug})
    assert next(p.name for p in programme.phases.all()) == "Research"
    assert programme.phases.count() == 5
    assert programme.assessment_questions.count() == 16
    assert Membership.objects.get(programme=programme).role == Role.LEAD
    people = client.get(reverse("programmes:people", kwargs={"slug": programme.slug}))
    assert '<span class="muted">1 person</span>' in people.content.decode()  # just the lead


@pytest.mark.django_db
def test_a_blank_programme_has_no_phases_and_dates_must_be_in_order(client):
    client.force_login(make_user())
    response = client.post(
        reverse("programmes:create"),
        {"name": "Odd", "from_template": "0", "starts_on": "2027-02-01", "ends_on": "2027-01-01"},
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not Programme.objects.exists()
    client.post(reverse("programmes:create"), {"name": "Blank", "from_template": "0"})
    assert Programme.objects.get(name="Blank").phases.count() == 0


@pytest.mark.django_db
def test_a_new_programmes_lead_sees_its_first_steps_until_each_is_done(client, cast):
    client.force_login(make_user("Nell New", "nell@example.org"))
    client.post(reverse("programmes:create"), {"name": "Blank", "from_template": "0"})
    blank = Programme.objects.get(name="Blank")
    page = client.get(reverse("programmes:detail", kwargs={"slug": blank.slug})).content.decode()
    assert "Getting Blank ready" in page
    for name, label in [
        ("programmes:phases", "Set out the phases"),
        ("programmes:assessment_questions", "Write the self-assessment"),
        ("programmes:people", "Invite mentors and partners"),
        ("programmes:edit", "Make the programme active"),
    ]:
        assert f'<a href="{reverse(name, args=[blank.slug])}">{label}</a>' in page
    # The cast's programme has every step done but its status: only that one is left.
    client.force_login(cast.lead)
    Programme.objects.filter(pk=cast.programme.pk).update(status="draft")
    url = reverse("programmes:detail", kwargs={"slug": cast.programme.slug})
    page = client.get(url).content.decode()
    assert page.count("(done)") == 4 and ">Make the programme active</a>" in page
    Programme.objects.filter(pk=cast.programme.pk).update(status="active")
    assert "Getting" not in client.get(url).content.decode()


def test_duplicating_copies_phases_and_assessment_but_no_people(client, cast):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=2)
    phase.exit_count = 3
    phase.expected_weeks = 5
    phase.save()
    Programme.objects.filter(pk=cast.programme.pk).update(
        nudges_off=["check_in"], nudge_every_days=4
    )
    response = client.post(
        reverse("programmes:duplicate", kwargs={"slug": cast.programme.slug}),
        {"name": "Cohort 2"},
    )
    copy = Programme.objects.get(name="Cohort 2")
    assert (copy.nudges_off, copy.nudge_every_days) == (["check_in"], 4)
    assert copy.phases.get(position=2).expected_weeks == 5
    assert response.url == reverse("programmes:detail", kwargs={"slug": copy.slug})
    assert copy.status == Programme.Status.DRAFT
    assert list(copy.phases.values_list("name", "exit_criterion", "exit_count")) == list(
        cast.programme.phases.values_list("name", "exit_criterion", "exit_count")
    )
    assert AssessmentQuestion.objects.filter(programme=copy).count() == 16
    assert list(copy.memberships.values_list("user", "role")) == [(cast.lead.pk, Role.LEAD)]


def test_a_mentor_cannot_duplicate_or_change_settings(client, cast):
    client.force_login(cast.mentor)
    slug = cast.programme.slug
    assert (
        client.post(
            reverse("programmes:duplicate", kwargs={"slug": slug}), {"name": "X"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("programmes:edit", kwargs={"slug": slug}), {"name": "X"}).status_code
        == 403
    )
    cast.programme.refresh_from_db()
    assert cast.programme.name == "Social Adoption Programme"


def test_the_word_for_a_mentee_is_set_per_programme(client, cast):
    client.force_login(cast.lead)
    client.post(
        reverse("programmes:edit", kwargs={"slug": cast.programme.slug}),
        {"name": cast.programme.name, "status": "active", "mentee_label": "protégé"},
    )
    html = client.get(reverse("programmes:people", kwargs={"slug": cast.programme.slug}))
    assert "Protégé" in html.content.decode()


def test_refused_settings_leave_the_pages_own_header_as_saved(client, cast):
    client.force_login(cast.lead)
    page = client.post(
        reverse("programmes:edit", kwargs={"slug": cast.programme.slug}),
        {"name": "Renamed", "status": "active", "mentee_label": "partner",
         "starts_on": "2027-08-01", "ends_on": "2027-07-30"},
    ).content.decode()  # fmt: skip
    assert "errorlist" in page
    # The header still names the programme as saved; the form keeps what was typed.
    assert f"<title>Settings · {cast.programme.name}" in page or cast.programme.name in page
    assert "1 Aug 2027" not in page.split("<form", 1)[0]
    assert 'value="Renamed"' in page
    # The copy form beside it has ids of its own, so each label finds its own field.
    assert page.count('id="id_name"') == 1 and 'id="id_copy_name"' in page


def test_an_active_programme_cannot_be_set_to_have_ended_already(client, cast):
    client.force_login(cast.lead)
    url = reverse("programmes:edit", kwargs={"slug": cast.programme.slug})
    data = {"name": cast.programme.name, "status": "active", "mentee_label": "partner"}
    page = client.post(url, data | {"ends_on": "2020-01-01"}).content.decode()
    assert "That day has passed: an active programme ends today or later." in page
    cast.programme.refresh_from_db()
    assert cast.programme.ends_on is None
    # Completed, it may end on any day.
    response = client.post(url, data | {"status": "completed", "ends_on": "2020-01-01"})
    assert response.status_code == 302


def test_the_programmes_dates_cannot_shrink_past_a_phases_planned_dates(client, cast):
    from datetime import date

    phase = cast.programme.phases.get(position=5)
    type(phase).objects.filter(pk=phase.pk).update(
        starts_on=date(2027, 1, 1), ends_on=date(2027, 3, 20)
    )
    client.force_login(cast.lead)
    url = reverse("programmes:edit", kwargs={"slug": cast.programme.slug})
    data = {"name": cast.programme.name, "status": "active", "mentee_label": "partner"}
    page = client.post(url, data | {"ends_on": "2027-02-01"}).content.decode()
    assert f"{phase.name} is planned until 20 March 2027: move it on the Phases page" in page
    page = client.post(url, data | {"starts_on": "2027-02-01"}).content.decode()
    assert f"{phase.name} is planned from 1 January 2027" in page
    assert client.post(url, data | {"ends_on": "2027-03-20"}).status_code == 302


# --- Phases ------------------------------------------------------------------------------


def _phases_url(cast, name="programmes:phases", **kwargs):
    return reverse(name, kwargs={"slug": cast.programme.slug, **kwargs})


def test_a_lead_renames_describes_and_sets_the_exit_criterion_of_a_phase(client, cast):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=2)
    response = client.post(
        _phases_url(cast, "programmes:phase_edit", pk=phase.pk),
        {
            "name": "Platform workshops",
            "description": "Hands on.",
            "exit_criterion": "workshops",
            "exit_count": "3",
            "exit_sections": "",
        },
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert (phase.name, phase.exit_count) == ("Platform workshops", 3)
    assert phase.exit_summary == "Attend 3 workshops."


def test_two_phases_of_one_name_are_refused_and_what_was_typed_is_kept(client, cast):
    client.force_login(cast.lead)
    existing = cast.programme.phases.get(position=2)
    data = {"name": existing.name.upper(), "description": "Again.", "exit_criterion": "manual"}
    data |= {"exit_count": "1", "exit_sections": ""}
    response = client.post(_phases_url(cast, "programmes:phase_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"This programme has a phase called {existing.name.upper()} already." in page
    assert "Again." in page
    assert cast.programme.phases.filter(name__iexact=existing.name).count() == 1
    # The service holds the rule too, whatever calls it.
    with pytest.raises(SetupError, match="has a phase called"):
        add_phase(programme=cast.programme, by=cast.lead, name=f" {existing.name.lower()} ")
    # Saving a phase under its own name is no clash.
    response = client.post(
        _phases_url(cast, "programmes:phase_edit", pk=existing.pk),
        data | {"name": existing.name, "description": "Same name."},
    )
    assert response.status_code == 302


def test_a_phase_with_dates_out_of_order_is_refused_and_kept(client, cast):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=1)
    response = client.post(
        _phases_url(cast, "programmes:phase_edit", pk=phase.pk),
        {"name": "Research", "exit_criterion": "baseline", "exit_count": "1",
         "starts_on": "2027-03-01", "ends_on": "2027-02-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    phase.refresh_from_db()
    assert phase.starts_on is None


def test_adding_a_phase_puts_it_last_and_mentees_see_it_not_started(client, cast):
    client.force_login(cast.lead)
    client.post(
        _phases_url(cast, "programmes:phase_add"),
        {"name": "Celebration", "exit_criterion": "manual", "exit_count": "1"},
    )
    phase = cast.programme.phases.get(name="Celebration")
    assert phase.position == 6
    assert cast.mentee_membership.progress.get(phase=phase).status == "not_started"


def test_reordering_swaps_neighbours_without_moving_anyone(client, cast):
    client.force_login(cast.lead)
    workshops = cast.programme.phases.get(name="Workshops")
    client.post(_phases_url(cast, "programmes:phase_move", pk=workshops.pk), {"direction": "up"})
    assert list(cast.programme.phases.values_list("name", flat=True))[:2] == [
        "Workshops",
        "Research",
    ]
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"


def test_a_phase_someone_is_in_cannot_be_removed(client, cast):
    client.force_login(cast.lead)
    research = cast.programme.phases.get(name="Research")
    response = client.post(
        _phases_url(cast, "programmes:phase_remove", pk=research.pk), follow=True
    )
    assert "2 people are in Research now" in response.content.decode()
    assert Phase.objects.filter(pk=research.pk).exists()


def test_removing_an_empty_phase_keeps_the_history_that_went_through_it(client, cast):
    client.force_login(cast.lead)
    for membership in cast.programme.memberships.filter(role=Role.MENTEE):
        advance_phase(membership=membership, by=cast.lead)  # everyone leaves Research
    research = cast.programme.phases.get(name="Research")
    client.post(_phases_url(cast, "programmes:phase_remove", pk=research.pk))
    assert list(cast.programme.phases.values_list("position", flat=True)) == [1, 2, 3, 4]
    move = cast.mentee_membership.transitions.get(kind="advanced")
    assert (move.from_phase, move.from_name) == (None, "Research")


def test_another_programmes_phase_is_not_found(client, cast):
    client.force_login(cast.lead)
    foreign = cast.other_programme.phases.first()
    url = _phases_url(cast, "programmes:phase_edit", pk=foreign.pk)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_programme_home_runs_the_same_number_of_queries_with_10_and_200_mentees(client):
    counts = []
    for size in (10, 200):
        lead = make_user()
        programme = make_programme(lead, name=f"Size {size}")
        mentor = make_mentor(programme)
        for i in range(size):
            make_mentee(programme, mentor=mentor if i % 3 else None)
        client.force_login(lead)
        with CaptureQueriesContext(connection) as ctx:
            url = reverse("programmes:detail", kwargs={"slug": programme.slug})
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_a_copy_with_dates_out_of_order_is_refused_with_a_message(client, cast):
    client.force_login(cast.lead)
    response = client.post(
        reverse("programmes:duplicate", kwargs={"slug": cast.programme.slug}),
        {"name": "Backwards", "starts_on": "2027-05-01", "ends_on": "2027-01-01"},
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    assert not Programme.objects.filter(name="Backwards").exists()


def test_a_phase_needing_zero_workshops_is_refused_in_plain_words(client, cast):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=2)
    response = client.post(
        _phases_url(cast, "programmes:phase_edit", pk=phase.pk),
        {"name": "Workshops", "exit_criterion": "workshops", "exit_count": "0"},
    )
    html = response.content.decode()
    assert "greater than or equal to 1" in html
    assert "constraint" not in html.lower()


# --- A phase's planned length -----------------------------------------------------------------


def _phase_fields(phase, **changes) -> dict:
    fields = {
        "name": phase.name,
        "description": phase.description,
        "exit_criterion": phase.exit_criterion,
        "exit_count": str(phase.exit_count),
        "expected_weeks": "" if phase.expected_weeks is None else str(phase.expected_weeks),
    }
    return fields | changes


def test_a_lead_sets_a_phases_planned_length_and_the_list_shows_it(client, cast):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=3)
    url = _phases_url(cast, "programmes:phase_edit", pk=phase.pk)
    assert client.post(url, _phase_fields(phase, expected_weeks="4")).status_code == 302
    phase.refresh_from_db()
    assert phase.expected_weeks == 4
    assert 'value="4"' in client.get(url).content.decode()
    html = client.get(_phases_url(cast)).content.decode()
    assert "Planned: 4 weeks." in html


def test_a_phase_may_have_no_planned_length(client, cast):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=3)
    Phase.objects.filter(pk=phase.pk).update(expected_weeks=6)
    url = _phases_url(cast, "programmes:phase_edit", pk=phase.pk)
    assert client.post(url, _phase_fields(phase, expected_weeks="")).status_code == 302
    phase.refresh_from_db()
    assert phase.expected_weeks is None
    assert "No planned length." in client.get(_phases_url(cast)).content.decode()


@pytest.mark.parametrize(
    ("weeks", "message"),
    [("0", "greater than or equal to 1"), ("105", "less than or equal to 104"), ("x", "number")],
)
def test_a_planned_length_outside_1_to_104_weeks_is_refused_and_kept(client, cast, weeks, message):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=3)
    Phase.objects.filter(pk=phase.pk).update(expected_weeks=6)
    phase.refresh_from_db()
    response = client.post(
        _phases_url(cast, "programmes:phase_edit", pk=phase.pk),
        _phase_fields(phase, expected_weeks=weeks, name="Renamed"),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    phase.refresh_from_db()
    assert (phase.name, phase.expected_weeks) == ("Playbook", 6)


def test_a_new_phase_takes_its_planned_length(client, cast):
    client.force_login(cast.lead)
    response = client.post(
        _phases_url(cast, "programmes:phase_add"),
        {"name": "Follow-up", "exit_criterion": "manual", "exit_count": "1",
         "expected_weeks": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    assert cast.programme.phases.get(name="Follow-up").expected_weeks == 2
    assert "Planned: 2 weeks." in client.get(_phases_url(cast)).content.decode()


def test_the_phases_page_says_when_the_plan_is_longer_than_the_programme(client, cast):
    client.force_login(cast.lead)
    Programme.objects.filter(pk=cast.programme.pk).update(
        starts_on=date(2027, 1, 4), ends_on=date(2027, 3, 28)
    )
    planned = sum(p.expected_weeks or 0 for p in Phase.objects.filter(programme=cast.programme))
    assert planned > 12
    page = client.get(_phases_url(cast)).content.decode()
    assert f"add up to {planned} weeks, but the programme runs 12" in page
    Programme.objects.filter(pk=cast.programme.pk).update(ends_on=date(2028, 1, 4))
    assert "add up to" not in client.get(_phases_url(cast)).content.decode()


def test_a_phase_naming_a_section_the_playbook_lacks_is_refused_and_one_in_other_case_is_spelled(
    client, cast
):
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=3)
    url = _phases_url(cast, "programmes:phase_edit", pk=phase.pk)
    data = {"name": phase.name, "description": "", "exit_criterion": "playbook"}
    data |= {"exit_count": "1", "exit_sections": "No such section at all"}
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The playbook has no section called “No such section at all”." in page
    assert "Its sections: Purpose and vision" in page
    response = client.post(url, data | {"exit_sections": "PURPOSE AND VISION"})
    assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.exit_sections == ["Purpose and vision"]


def test_a_phases_dates_stay_within_the_programmes(client, cast):
    from datetime import date

    from programmes.models import Programme

    Programme.objects.filter(pk=cast.programme.pk).update(
        starts_on=date(2026, 9, 26), ends_on=date(2027, 3, 27)
    )
    client.force_login(cast.lead)
    phase = cast.programme.phases.get(position=4)
    data = {"name": phase.name, "description": "", "exit_criterion": "manual"}
    data |= {"exit_count": "1", "exit_sections": "", "starts_on": "2020-01-01"}
    data |= {"ends_on": "2027-06-01"}
    response = client.post(_phases_url(cast, "programmes:phase_edit", pk=phase.pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The programme starts on 26 September 2026." in page
    assert "The programme ends on 27 March 2027." in page
    phase.refresh_from_db()
    assert phase.starts_on is None
