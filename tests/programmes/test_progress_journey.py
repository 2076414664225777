"""Each mentee's journey: automatic moves when a criterion is met, moves by hand with a note,
moving back, and who may see and do what."""

import pytest
from django.urls import reverse

from programmes.models import (
    AssessmentKind,
    AssessmentResponse,
    PhaseStatus,
    PhaseTransition,
    Workshop,
    WorkshopSeat,
)
from programmes.services.progress import (
    ProgressError,
    advance_phase,
    check_progress,
    move_back,
)
from tests.factories import make_mentee, make_programme, make_user


def _attend(membership, n: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    for i in range(n):
        start = timezone.now() + timedelta(days=i)
        workshop = Workshop.objects.create(
            programme=membership.programme,
            title=f"W{i}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            location="Room",
        )
        WorkshopSeat.objects.create(workshop=workshop, membership=membership, attended=True)


def _submit_baseline(membership) -> None:
    AssessmentResponse.objects.create(
        membership=membership,
        kind=AssessmentKind.BASELINE,
        status=AssessmentResponse.Status.SUBMITTED,
    )


def _baseline_and_two_workshops(membership) -> None:
    _submit_baseline(membership)
    _attend(membership, 2)


# (what happened, how many moves by hand first, where they end up after check_progress)
CASES = [
    ("nothing yet", lambda m: None, 0, "Research"),
    ("baseline submitted", _submit_baseline, 0, "Workshops"),
    ("one of two workshops", lambda m: _attend(m, 1), 1, "Workshops"),
    ("two of two workshops", lambda m: _attend(m, 2), 1, "Playbook"),
    # Baseline and two workshops done: two phases complete at once, then a manual one stops.
    ("both at once", _baseline_and_two_workshops, 0, "Playbook"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "happen", "by_hand", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_a_mentee_moves_on_automatically_only_when_the_criterion_is_met(
    label, happen, by_hand, expected
):
    lead = make_user()
    membership = make_mentee(make_programme(lead))
    for _ in range(by_hand):
        advance_phase(membership=membership, by=lead)
    happen(membership)
    membership = check_progress(membership=membership)
    assert membership.current_phase.name == expected
    automatic = membership.transitions.filter(kind=PhaseTransition.Kind.AUTOMATIC)
    assert all(move.by is None and move.note.startswith("Completed:") for move in automatic)


@pytest.mark.django_db
def test_phase_statuses_and_dates_follow_every_move():
    lead = make_user()
    membership = make_mentee(make_programme(lead))
    advance_phase(membership=membership, by=lead, note="ready")
    statuses = dict(membership.progress.values_list("phase__name", "status"))
    assert statuses["Research"] == PhaseStatus.COMPLETE
    assert statuses["Workshops"] == PhaseStatus.IN_PROGRESS
    assert statuses["Playbook"] == PhaseStatus.NOT_STARTED
    move_back(membership=membership, by=lead, note="baseline needs another look")
    statuses = dict(membership.progress.values_list("phase__name", "status"))
    assert statuses["Research"] == PhaseStatus.IN_PROGRESS
    assert statuses["Workshops"] == PhaseStatus.NOT_STARTED
    research = membership.progress.get(phase__name="Research")
    assert research.completed_at is None and research.started_at is not None


@pytest.mark.django_db
def test_moving_back_needs_a_reason_and_cannot_go_before_the_first_phase():
    lead = make_user()
    membership = make_mentee(make_programme(lead))
    with pytest.raises(ProgressError, match="first phase"):
        move_back(membership=membership, by=lead, note="why not")
    advance_phase(membership=membership, by=lead)
    with pytest.raises(ProgressError, match="Say why"):
        move_back(membership=membership, by=lead, note="  ")


@pytest.mark.django_db
def test_an_operationalised_mentee_can_be_moved_back_into_the_last_phase():
    lead = make_user()
    membership = make_mentee(make_programme(lead))
    for _ in range(5):
        membership = advance_phase(membership=membership, by=lead)
    assert membership.operationalised_at is not None
    membership = move_back(membership=membership, by=lead, note="integration not finished")
    assert membership.current_phase.name == "Integration"
    assert membership.operationalised_at is None


# --- Pages ----------------------------------------------------------------------------------


def _journey_url(cast, name="programmes:member_journey", **extra):
    return reverse(name, kwargs={"slug": cast.programme.slug, **extra})


def test_a_mentee_sees_their_roadmap_what_completes_it_and_what_comes_next(client, cast):
    client.force_login(cast.mentee)
    html = client.get(_journey_url(cast, "programmes:my_journey")).content.decode()
    assert "You are in" in html and "Research" in html
    assert "Submit your baseline self-assessment." in html
    assert "Not submitted yet." in html
    assert "Next: <strong>Workshops</strong>" in html
    assert "Joined in Research" in html


def test_only_mentees_have_a_journey_page(client, cast):
    for who in ("lead", "mentor"):
        client.force_login(cast.people()[who])
        assert client.get(_journey_url(cast, "programmes:my_journey")).status_code == 404, who


def test_a_mentees_journey_is_seen_by_them_their_mentor_and_their_lead_only(client, cast):
    url = _journey_url(cast, member=cast.mentee_membership.pk)
    expected = {
        "lead": 200,
        "mentor": 200,
        "mentee": 302,  # to their own page
        "other_mentee": 404,
        "other_mentor": 404,
        "other_lead": 404,
    }
    for who, person in cast.people().items():
        client.force_login(person)
        assert client.get(url).status_code == expected[who], who


def test_the_mentor_moves_their_partner_on_with_a_note_the_history_keeps(client, cast):
    client.force_login(cast.mentor)
    client.post(
        _journey_url(cast, "programmes:member_advance", member=cast.mentee_membership.pk),
        {"note": "Baseline discussed; ready for workshops"},
    )
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Workshops"
    move = cast.mentee_membership.transitions.latest("at")
    assert (move.by, move.note) == (cast.mentor, "Baseline discussed; ready for workshops")
    client.force_login(cast.mentee)
    html = client.get(_journey_url(cast, "programmes:my_journey")).content.decode()
    assert "Baseline discussed; ready for workshops" in html and "Mo Mentor" in html


def test_another_mentor_cannot_move_someone_elses_partner(client, cast):
    client.force_login(cast.other_mentor)
    response = client.post(
        _journey_url(cast, "programmes:member_advance", member=cast.mentee_membership.pk)
    )
    assert response.status_code == 404
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"


def test_a_mentee_cannot_move_themselves_on(client, cast):
    client.force_login(cast.mentee)
    url = _journey_url(cast, "programmes:member_advance", member=cast.mentee_membership.pk)
    assert client.post(url).status_code == 403
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"


def test_only_a_lead_moves_someone_back_and_must_say_why(client, cast):
    advance_phase(membership=cast.mentee_membership, by=cast.lead)
    url = _journey_url(cast, "programmes:member_move_back", member=cast.mentee_membership.pk)
    client.force_login(cast.mentor)
    assert client.post(url, {"note": "Not ready"}).status_code == 403
    client.force_login(cast.lead)
    response = client.post(url, {"note": ""}, follow=True)
    assert "Say why" in response.content.decode()
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Workshops"
    client.post(url, {"note": "Baseline missing answers"})
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"


def test_the_mentor_sees_the_move_form_but_not_the_move_back_form(client, cast):
    advance_phase(membership=cast.mentee_membership, by=cast.lead)
    client.force_login(cast.mentor)
    html = client.get(_journey_url(cast, member=cast.mentee_membership.pk)).content.decode()
    assert "Move on</button>" in html
    assert "Move back</button>" not in html


def test_only_a_lead_signs_a_mentee_off_a_phase_with_the_sign_off_criterion(client, cast):
    for _ in range(4):
        advance_phase(membership=cast.mentee_membership, by=cast.lead)
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.exit_criterion == "signoff"
    url = _journey_url(cast, "programmes:member_advance", member=cast.mentee_membership.pk)
    client.force_login(cast.mentor)
    page = client.get(_journey_url(cast, member=cast.mentee_membership.pk)).content.decode()
    assert "Sign off</button>" not in page
    assert client.post(url, {"note": "done"}).status_code == 403
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.operationalised_at is None
    client.force_login(cast.lead)
    assert (
        "Sign off</button>"
        in client.get(_journey_url(cast, member=cast.mentee_membership.pk)).content.decode()
    )
    client.post(url, {"note": "Strategy mapped onto the pillars"})
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.operationalised_at is not None


def test_a_second_click_on_move_on_moves_nobody_twice(client, cast):
    client.force_login(cast.lead)
    url = _journey_url(cast, "programmes:member_advance", member=cast.mentee_membership.pk)
    seen = cast.mentee_membership.current_phase_id
    client.post(url, {"note": "", "from_phase": seen})
    response = client.post(url, {"note": "", "from_phase": seen}, follow=True)
    assert "has already been moved (now in Workshops)" in response.content.decode()
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Workshops"


def test_a_membership_links_to_the_page_that_shows_it(cast):
    assert cast.mentee_membership.get_absolute_url() == _journey_url(
        cast, member=cast.mentee_membership.pk
    )
    assert cast.mentor_membership.get_absolute_url() == reverse(
        "programmes:detail", kwargs={"slug": cast.programme.slug}
    )


def test_the_mentor_reads_what_completes_the_phase_about_their_partner_not_themselves(client, cast):
    client.force_login(cast.mentor)
    html = client.get(_journey_url(cast, member=cast.mentee_membership.pk)).content.decode()
    assert "Submit the baseline self-assessment." in html
    assert "Submit your baseline" not in html
