"""Pairings: a lead pairs, changes with a reason, ends; suggestions; mentees ask to change."""

import pytest
from django.urls import reverse

from mentoring.models import MentorChangeRequest, MentorProfile
from mentoring.selectors.pairing import suggest_mentors
from mentoring.services.pairing import PairingError, pair, request_mentor_change
from programmes.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentResponse,
    Pairing,
    Role,
)
from tests.factories import make_mentee, make_mentor, make_programme, make_user


def _url(cast, name, **kwargs):
    return reverse(name, kwargs={"slug": cast.programme.slug, **kwargs})


def test_the_pairings_pages_are_for_the_programmes_leads(client, cast):
    urls = [
        _url(cast, "mentoring:pairings"),
        _url(cast, "mentoring:pairing_edit", member=cast.mentee_membership.pk),
    ]
    # Who is paired with whom is other people's: for anyone but a lead, no such page.
    expected = {"lead": 200, "mentor": 404, "mentee": 404, "other_mentee": 404,
                "other_mentor": 404, "other_lead": 404}  # fmt: skip
    for url in urls:
        for who, person in cast.people().items():
            client.force_login(person)
            assert client.get(url).status_code == expected[who], (url, who)


def test_changing_a_mentor_needs_a_reason_and_keeps_the_old_pairing(cast):
    new_mentor = cast.programme.memberships.get(user=cast.other_mentor, role=Role.MENTOR)
    with pytest.raises(PairingError, match="Say why"):
        pair(mentor=new_mentor, mentee=cast.mentee_membership, by=cast.lead)
    pair(mentor=new_mentor, mentee=cast.mentee_membership, by=cast.lead, reason="Better fit")
    old = Pairing.objects.get(mentee=cast.mentee_membership, mentor=cast.mentor_membership)
    assert old.ended_at is not None and old.end_reason == "Better fit"
    assert Pairing.objects.active().get(mentee=cast.mentee_membership).mentor == new_mentor


@pytest.mark.django_db
def test_a_mentor_at_capacity_is_refused_with_a_message():
    lead = make_user()
    programme = make_programme(lead)
    mentor = make_mentor(programme, capacity=1)
    make_mentee(programme, mentor=mentor)
    with pytest.raises(PairingError, match="their capacity"):
        pair(mentor=mentor, mentee=make_mentee(programme), by=lead)


def test_a_lead_pairs_an_unpaired_mentee_from_the_page(client, cast):
    newcomer = make_mentee(cast.programme)
    client.force_login(cast.lead)
    url = _url(cast, "mentoring:pairing_edit", member=newcomer.pk)
    # A first mentor changes nothing: there is no "why the change" to answer.
    assert "Why the change" not in client.get(url).content.decode()
    page = _url(cast, "mentoring:pairing_edit", member=cast.mentee_membership.pk)
    assert "Why the change" in client.get(page).content.decode()
    response = client.post(url, {"mentor": cast.mentor_membership.pk})
    assert response.status_code == 302
    assert Pairing.objects.active().get(mentee=newcomer).mentor == cast.mentor_membership


def test_ending_a_pairing_needs_a_reason(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    client.force_login(cast.lead)
    client.post(_url(cast, "mentoring:pairing_end", pk=pairing.pk), {"reason": ""})
    pairing.refresh_from_db()
    assert pairing.ended_at is None
    client.post(_url(cast, "mentoring:pairing_end", pk=pairing.pk), {"reason": "Mentor left"})
    pairing.refresh_from_db()
    assert pairing.end_reason == "Mentor left"


def _baseline(mentee, scores: dict[str, int]) -> None:
    response = AssessmentResponse.objects.create(
        membership=mentee, kind=AssessmentKind.BASELINE, status="submitted"
    )
    for question in mentee.programme.assessment_questions.filter(kind="scale"):
        AssessmentAnswer.objects.create(
            response=response, question=question, score=scores.get(question.topic, 4)
        )


@pytest.mark.django_db
def test_suggestions_rank_mentors_strong_where_the_mentee_is_weakest_then_by_free_places():
    lead = make_user()
    programme = make_programme(lead)
    video = make_mentor(programme, user=make_user("Vi Video"), capacity=2, strengths=["Video"])
    roomy = make_mentor(programme, user=make_user("Ro Roomy"), capacity=9, strengths=["LinkedIn"])
    full = make_mentor(programme, user=make_user("Fu Full"), capacity=1, strengths=["Video"])
    make_mentee(programme, mentor=full)
    mentee = make_mentee(programme)
    _baseline(mentee, {"Video": 1, "Measuring impact": 2})
    ranked = suggest_mentors(mentee)
    assert [s.mentor for s in ranked] == [video, roomy]  # the full mentor is left out
    assert ranked[0].covers == ["Video"]


def test_a_mentee_asks_for_a_different_mentor_and_only_the_lead_sees_why(client, cast):
    request_mentor_change(mentee=cast.mentee_membership, by=cast.mentee, reason="We never meet")
    with pytest.raises(PairingError, match="asked already"):
        request_mentor_change(mentee=cast.mentee_membership, by=cast.mentee, reason="Again")
    assert MentorChangeRequest.objects.visible_to(cast.lead).count() == 1
    assert not MentorChangeRequest.objects.visible_to(cast.mentor).exists()
    client.force_login(cast.lead)
    assert "We never meet" in client.get(_url(cast, "mentoring:pairings")).content.decode()
    client.force_login(cast.mentor)
    assert client.get(_url(cast, "mentoring:pairings")).status_code == 404


def test_pairing_someone_new_resolves_their_request(cast):
    request_mentor_change(mentee=cast.mentee_membership, by=cast.mentee, reason="No chemistry")
    other = cast.programme.memberships.get(user=cast.other_mentor, role=Role.MENTOR)
    pair(mentor=other, mentee=cast.mentee_membership, by=cast.lead, reason="Asked for a change")
    assert MentorChangeRequest.objects.get().resolved_by == cast.lead


def test_a_mentor_sets_their_capacity_and_strengths(client, cast):
    client.force_login(cast.mentor)
    client.post(
        _url(cast, "mentoring:mentor_profile"),
        {"capacity": "5", "strengths": ["Video", "LinkedIn"]},
    )
    profile = MentorProfile.objects.get(membership=cast.mentor_membership)
    assert (profile.capacity, profile.strengths) == (5, ["Video", "LinkedIn"])
    client.force_login(cast.mentee)
    assert client.get(_url(cast, "mentoring:mentor_profile")).status_code == 404


@pytest.mark.django_db
def test_the_pairings_page_runs_the_same_number_of_queries_with_10_and_100_mentees(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (10, 100):
        lead = make_user()
        programme = make_programme(lead, name=f"P{size}")
        mentor = make_mentor(programme)
        for i in range(size):
            make_mentee(programme, mentor=mentor if i % 2 else None)
        client.force_login(lead)
        with CaptureQueriesContext(connection) as ctx:
            url = reverse("mentoring:pairings", kwargs={"slug": programme.slug})
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_a_former_mentors_notifications_about_the_partner_lose_their_links_not_their_words(
    client, cast
):
    from programmes.models import EmailStatus, Notification, NotificationKind

    about_partner = Notification.objects.create(
        recipient=cast.mentor,
        kind=NotificationKind.PARTNER_SLIPPING,
        period="x",
        title="Mia may need a hand",
        link=f"/programmes/{cast.programme.slug}/mentoring/partners/{cast.mentee_membership.pk}/",
        about=cast.mentee_membership,
        programme=cast.programme,
        email_status=EmailStatus.PENDING,
    )
    new_mentor = cast.programme.memberships.get(user=cast.other_mentor, role=Role.MENTOR)
    pair(mentor=new_mentor, mentee=cast.mentee_membership, by=cast.lead, reason="Better fit")

    about_partner.refresh_from_db()
    assert about_partner.link == "" and about_partner.read_at is not None
    assert about_partner.email_status == EmailStatus.NONE  # not emailed after the change
    told = Notification.objects.get(
        recipient=cast.mentor, kind=NotificationKind.PAIRING_CHANGED, period__endswith="ended"
    )
    assert told.link  # the news of the change still opens their programme page
    client.force_login(cast.mentor)
    assert client.get(told.link).status_code == 200
    html = client.get(reverse("mentoring:notifications")).content.decode()
    assert "Mia may need a hand" in html
    # Their last word on the partner is now the change itself, which says what carries on.
    assert "Their journey goes on with their new mentor" in told.body
    about_partner.refresh_from_db()
    assert about_partner.body == "" and "You mentored" in about_partner.reason


def test_the_mentee_reads_why_their_mentor_changed_on_their_mentoring_page(client, cast):
    new_mentor = cast.programme.memberships.get(user=cast.other_mentor, role=Role.MENTOR)
    pair(mentor=new_mentor, mentee=cast.mentee_membership, by=cast.lead, reason="Closer fit")
    client.force_login(cast.mentee)
    html = client.get(_url(cast, "mentoring:mine")).content.decode()
    assert "Earlier mentors" in html and "Why it changed: Closer fit" in html
