"""The self-assessment: a mentee's baseline and follow-up, who reads it, the lead's questions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.models import (
    AssessmentAnswer,
    AssessmentKind,
    AssessmentQuestion,
    AssessmentResponse,
    QuestionKind,
)
from programmes.services.assessment import (
    AssessmentError,
    IncompleteAssessment,
    StaleAssessment,
    add_question,
    change_question,
    remove_question,
    save_assessment,
)
from programmes.services.progress import advance_phase
from tests.factories import make_mentee, make_programme, make_user

BASELINE = AssessmentKind.BASELINE
FOLLOW_UP = AssessmentKind.FOLLOW_UP


def url(name, programme, *args):
    return reverse(f"programmes:{name}", args=[programme.slug, *args])


def questions(programme):
    return list(AssessmentQuestion.objects.filter(programme=programme).order_by("position"))


def full_answers(programme, score=3, text="To be heard."):
    return {q.pk: (score if q.kind == QuestionKind.SCALE else text) for q in questions(programme)}


def form_data(programme, answers, *, version, action="save"):
    data = {"version": version, "action": action}
    for question_id, value in answers.items():
        data[f"q{question_id}"] = value
    return data


def submit_baseline(cast, score=3, text="To be heard."):
    return save_assessment(
        membership=cast.mentee_membership,
        kind=BASELINE,
        version=0,
        answers=full_answers(cast.programme, score, text),
        submit=True,
        by=cast.mentee,
    )


def reach_follow_up(cast):
    """Move the mentee through every phase, which opens the follow-up (the default point)."""
    membership = cast.mentee_membership
    while membership.operationalised_at is None:
        membership = advance_phase(membership=membership, by=cast.lead, note="ready")
    return membership


# --- Who may reach which page -------------------------------------------------------------

PAGES = {
    # name: (url builder, who gets 200; other members of the programme get 403)
    "assessment": (lambda c: url("assessment", c.programme), {"mentee", "other_mentee"}),
    "baseline": (
        lambda c: url("assessment_round", c.programme, "baseline"),
        {"mentee", "other_mentee"},
    ),
    "questions": (lambda c: url("assessment_questions", c.programme), {"lead"}),
    "question_edit": (
        lambda c: url("assessment_question_edit", c.programme, questions(c.programme)[0].pk),
        {"lead"},
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_who_may_open_each_assessment_page(client, cast, page):
    build, allowed = PAGES[page]
    for name, person in cast.people().items():
        client.force_login(person)
        response = client.get(build(cast))
        expected = 404 if name == "other_lead" else 200 if name in allowed else 403
        assert response.status_code == expected, (page, name)


@pytest.mark.parametrize("page", [*PAGES, "member", "autosave"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, cast, page):
    if page == "member":
        target = url("member_assessment", cast.programme, cast.mentee_membership.pk)
    elif page == "autosave":
        target = url("assessment_autosave", cast.programme, "baseline")
    else:
        target = PAGES[page][0](cast)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_only_the_mentees_mentor_and_leads_read_their_answers(client, cast):
    submit_baseline(cast, text="Grow my network")
    target = url("member_assessment", cast.programme, cast.mentee_membership.pk)
    expected = {
        "lead": 200,
        "mentor": 200,
        "mentee": 302,  # their own: sent to the page where they answer
        "other_mentee": 404,
        "other_mentor": 404,
        "other_lead": 404,
    }
    for name, person in cast.people().items():
        client.force_login(person)
        response = client.get(target)
        assert response.status_code == expected[name], name
        if expected[name] == 200:
            assert "Grow my network" in response.text
            assert "<form" not in response.content.decode().split('class="tabs"')[-1]


def test_a_mentor_cannot_change_a_mentees_answers(client, cast):
    client.force_login(cast.mentor)
    answers = full_answers(cast.programme)
    for name in ("assessment_round", "assessment_autosave"):
        response = client.post(
            url(name, cast.programme, "baseline"), form_data(cast.programme, answers, version=0)
        )
        assert response.status_code == 403
    assert not AssessmentResponse.objects.exists()


def test_a_mentor_and_lead_see_a_draft_only_as_not_submitted_yet(client, cast):
    save_assessment(
        membership=cast.mentee_membership,
        kind=BASELINE,
        version=0,
        answers={questions(cast.programme)[-1].pk: "My secret first thoughts"},
        by=cast.mentee,
    )
    for person in (cast.mentor, cast.lead):
        client.force_login(person)
        page = client.get(url("member_assessment", cast.programme, cast.mentee_membership.pk))
        assert "Not submitted yet" in page.text
        assert "My secret first thoughts" not in page.text


def test_the_lead_question_pages_refuse_changes_from_non_leads(client, cast):
    question = questions(cast.programme)[0]
    posts = [
        (url("assessment_question_add", cast.programme), {"kind": "text", "prompt": "Why?"}),
        (url("assessment_question_edit", cast.programme, question.pk), {"kind": "text"}),
        (url("assessment_question_move", cast.programme, question.pk), {"direction": "down"}),
        (url("assessment_question_remove", cast.programme, question.pk), {}),
        (url("assessment_follow_up_point", cast.programme), {"phase": ""}),
    ]
    for name, person in cast.people().items():
        if name == "lead":
            continue
        client.force_login(person)
        for target, data in posts:
            response = client.post(target, data)
            assert response.status_code == (404 if name == "other_lead" else 403), (name, target)
    assert AssessmentQuestion.objects.filter(programme=cast.programme).count() == 16


def test_changes_are_refused_over_get(client, cast):
    client.force_login(cast.lead)
    question = questions(cast.programme)[0]
    response = client.get(url("assessment_question_remove", cast.programme, question.pk))
    assert response.status_code == 405
    assert AssessmentQuestion.objects.filter(pk=question.pk).exists()


# --- The mentee's baseline ------------------------------------------------------------------


def test_the_baseline_is_a_grid_of_topics_with_labelled_radio_groups(client, cast):
    client.force_login(cast.mentee)
    page = client.get(url("assessment_round", cast.programme, "baseline")).text
    assert page.count("<fieldset") == 14
    assert page.count('type="radio"') == 14 * 5
    assert '<th scope="row">LinkedIn</th>' in page
    assert "<legend" in page and "LinkedIn: your confidence" in page
    assert page.count("<textarea") == 2
    assert "Save draft" in page and "Submit baseline" in page
    assert 'style="' not in page and "<script>" not in page
    assert f'data-autosave-url="{url("assessment_autosave", cast.programme, "baseline")}"' in page


def test_a_partial_draft_is_saved_and_shown_again(client, cast):
    client.force_login(cast.mentee)
    first, *_, last = questions(cast.programme)
    target = url("assessment_round", cast.programme, "baseline")
    response = client.post(
        target, form_data(cast.programme, {first.pk: 4, last.pk: "Be useful"}, version=0)
    )
    assert response.status_code == 302
    response = client.get(target)
    assert "Draft saved at" in response.text
    assert f'name="q{first.pk}" value="4" id="id_q{first.pk}_3" checked' in response.text
    assert "Be useful</textarea>" in response.text
    assert 'name="version" value="1"' in response.text
    saved = AssessmentResponse.objects.get(membership=cast.mentee_membership)
    assert saved.status == AssessmentResponse.Status.DRAFT
    assert saved.answers.count() == 2


def test_a_draft_is_resumed_and_later_saves_keep_earlier_answers(client, cast):
    client.force_login(cast.mentee)
    first, second = questions(cast.programme)[:2]
    target = url("assessment_round", cast.programme, "baseline")
    client.post(target, form_data(cast.programme, {first.pk: 2}, version=0))
    client.post(target, form_data(cast.programme, {first.pk: 2, second.pk: 5}, version=1))
    scores = dict(
        AssessmentAnswer.objects.filter(response__membership=cast.mentee_membership).values_list(
            "question_id", "score"
        )
    )
    assert scores == {first.pk: 2, second.pk: 5}
    overview = client.get(url("assessment", cast.programme)).text
    assert "Draft: 2 of 14 scores given" in overview
    assert "Continue your baseline" in overview


def test_submitting_with_scores_missing_lists_them_and_keeps_what_was_entered(client, cast):
    client.force_login(cast.mentee)
    answers = full_answers(cast.programme, text="My purpose")
    skipped = questions(cast.programme)[:2]
    for question in skipped:
        answers[question.pk] = ""
    response = client.post(
        url("assessment_round", cast.programme, "baseline"),
        form_data(cast.programme, answers, version=0, action="submit"),
    )
    assert response.status_code == 200
    assert "give a score for 2 more questions" in response.text
    for question in skipped:
        assert f'href="#q{question.pk}-group">{question.prompt}</a>' in response.text
    assert "My purpose</textarea>" in response.text
    saved = AssessmentResponse.objects.get(membership=cast.mentee_membership)
    assert saved.status == AssessmentResponse.Status.DRAFT
    assert saved.answers.filter(text="My purpose").count() == 2
    assert f'name="version" value="{saved.version}"' in response.text


def test_a_score_outside_one_to_five_is_refused(client, cast):
    client.force_login(cast.mentee)
    first = questions(cast.programme)[0]
    response = client.post(
        url("assessment_round", cast.programme, "baseline"),
        form_data(cast.programme, {first.pk: 7}, version=0),
    )
    assert response.status_code == 400
    assert "Choose a score from 1 to 5." in response.text
    assert not AssessmentResponse.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_to_submit_an_incomplete_baseline():
    lead = make_user()
    membership = make_mentee(make_programme(lead))
    with pytest.raises(IncompleteAssessment) as refused:
        save_assessment(
            membership=membership,
            kind=BASELINE,
            version=0,
            answers={},
            submit=True,
            by=membership.user,
        )
    assert len(refused.value.missing) == 14
    assert not AssessmentResponse.objects.exists()


def test_a_submitted_baseline_is_read_only_for_the_mentee(client, cast):
    submit_baseline(cast, score=4, text="Reach peers")
    client.force_login(cast.mentee)
    target = url("assessment_round", cast.programme, "baseline")
    page = client.get(target).text
    assert "Your answers are final" in page
    assert 'type="radio"' not in page and "Reach peers" in page
    first = questions(cast.programme)[0]
    response = client.post(target, form_data(cast.programme, {first.pk: 1}, version=2))
    assert response.status_code == 409
    assert "submitted already" in response.text
    assert AssessmentAnswer.objects.get(question=first).score == 4


def test_a_save_from_an_older_version_is_refused_and_shows_what_was_sent(client, cast):
    client.force_login(cast.mentee)
    *_, last = questions(cast.programme)
    target = url("assessment_round", cast.programme, "baseline")
    client.post(target, form_data(cast.programme, {last.pk: "Written in tab one"}, version=0))
    response = client.post(
        target, form_data(cast.programme, {last.pk: "Written in tab two"}, version=0)
    )
    assert response.status_code == 409
    assert "Not saved: your answers changed somewhere else" in response.text
    assert "Written in tab one" in response.text  # what is saved now
    assert "Written in tab two</textarea>" in response.text  # what they sent, still in the form
    assert 'name="version" value="1"' in response.text  # saving again now is deliberate
    assert "data-autosave-url" not in response.text  # and made by hand, not by autosave
    assert AssessmentAnswer.objects.get(question=last).text == "Written in tab one"
    again = client.post(
        target, form_data(cast.programme, {last.pk: "Written in tab two"}, version=1)
    )
    assert again.status_code == 302
    assert AssessmentAnswer.objects.get(question=last).text == "Written in tab two"


def test_the_service_refuses_a_stale_version(cast):
    first = questions(cast.programme)[0]
    save_assessment(
        membership=cast.mentee_membership,
        kind=BASELINE,
        version=0,
        answers={first.pk: 1},
        by=cast.mentee,
    )
    with pytest.raises(StaleAssessment):
        save_assessment(
            membership=cast.mentee_membership,
            kind=BASELINE,
            version=0,
            answers={first.pk: 5},
            by=cast.mentee,
        )
    assert AssessmentAnswer.objects.get(question=first).score == 1


def test_autosave_saves_a_draft_and_answers_with_the_new_version(client, cast):
    client.force_login(cast.mentee)
    first = questions(cast.programme)[0]
    target = url("assessment_autosave", cast.programme, "baseline")
    response = client.post(target, form_data(cast.programme, {first.pk: 3}, version=0))
    assert response.status_code == 200
    assert response.json()["version"] == 1 and response.json()["saved_at"]
    stale = client.post(target, form_data(cast.programme, {first.pk: 5}, version=0))
    assert stale.status_code == 409
    assert "changed somewhere else" in stale.json()["error"]
    assert AssessmentAnswer.objects.get(question=first).score == 3


def test_submitting_the_baseline_moves_the_mentee_from_research_to_workshops(client, cast):
    client.force_login(cast.mentee)
    assert cast.mentee_membership.current_phase.name == "Research"
    response = client.post(
        url("assessment_round", cast.programme, "baseline"),
        form_data(cast.programme, full_answers(cast.programme), version=0, action="submit"),
    )
    assert response.status_code == 302
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Workshops"
    move = cast.mentee_membership.transitions.latest("at")
    assert move.kind == "automatic" and move.from_name == "Research"


def test_an_assessment_with_no_questions_cannot_be_submitted_or_move_anyone_on(client, cast):
    AssessmentQuestion.objects.filter(programme=cast.programme).delete()
    client.force_login(cast.mentee)
    target = url("assessment_round", cast.programme, "baseline")
    page = client.get(target).content.decode()
    assert "has no questions yet, so there is nothing to fill in" in page
    assert 'value="submit"' not in page
    response = client.post(target, {"version": 0, "action": "submit"}, follow=True)
    assert "has no questions yet, so there is nothing to submit" in response.content.decode()
    assert not AssessmentResponse.objects.filter(status="submitted").exists()
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"


def test_a_draft_does_not_move_the_mentee_on(cast):
    save_assessment(
        membership=cast.mentee_membership,
        kind=BASELINE,
        version=0,
        answers=full_answers(cast.programme),
        by=cast.mentee,
    )
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.current_phase.name == "Research"


def test_nobody_but_the_mentee_saves_their_answers(cast):
    with pytest.raises(AssessmentError):
        save_assessment(
            membership=cast.mentee_membership,
            kind=BASELINE,
            version=0,
            answers={},
            by=cast.mentor,
        )


# --- Follow-up and before/after ---------------------------------------------------------------


def test_the_follow_up_is_closed_until_the_mentee_finishes_the_programme(client, cast):
    submit_baseline(cast)
    client.force_login(cast.mentee)
    overview = client.get(url("assessment", cast.programme)).text
    assert "Not open yet" in overview and "when you finish the programme" in overview
    response = client.get(url("assessment_round", cast.programme, "follow-up"))
    assert response.status_code == 302
    with pytest.raises(AssessmentError):
        save_assessment(
            membership=cast.mentee_membership,
            kind=FOLLOW_UP,
            version=0,
            answers={},
            by=cast.mentee,
        )
    reach_follow_up(cast)
    assert client.get(url("assessment_round", cast.programme, "follow-up")).status_code == 200
    assert "Start your follow-up" in client.get(url("assessment", cast.programme)).text


def test_the_follow_up_opens_at_the_phase_exit_the_lead_chose(client, cast):
    workshops = cast.programme.phases.get(name="Workshops")
    client.force_login(cast.lead)
    response = client.post(
        url("assessment_follow_up_point", cast.programme), {"phase": workshops.pk}
    )
    assert response.status_code == 302
    submit_baseline(cast)  # moves them into Workshops
    client.force_login(cast.mentee)
    assert (
        "when you complete the Workshops phase"
        in client.get(url("assessment", cast.programme)).text
    )
    advance_phase(membership=cast.mentee_membership, by=cast.lead, note="two workshops")
    assert client.get(url("assessment_round", cast.programme, "follow-up")).status_code == 200


def test_the_mentee_sees_their_before_and_after_per_topic(client, cast):
    submit_baseline(cast, score=2, text="Start posting")
    membership = reach_follow_up(cast)
    after = full_answers(cast.programme, score=4, text="Post weekly")
    linkedin_confidence = questions(cast.programme)[0]
    after[linkedin_confidence.pk] = 1
    save_assessment(
        membership=membership,
        kind=FOLLOW_UP,
        version=0,
        answers=after,
        submit=True,
        by=cast.mentee,
    )
    client.force_login(cast.mentee)
    page = client.get(url("assessment", cast.programme)).text
    assert "Your before and after" in page
    assert page.count('+2<span class="visually-hidden"> (up)</span>') == 13
    assert '\u22121<span class="visually-hidden"> (down)</span>' in page
    assert "Start posting" in page and "Post weekly" in page
    client.force_login(cast.mentor)
    mentor_page = client.get(url("member_assessment", cast.programme, membership.pk)).text
    assert "Before and after" in mentor_page


def test_submitting_the_follow_up_does_not_need_check_progress_to_move_anyone(cast):
    submit_baseline(cast)
    membership = reach_follow_up(cast)
    save_assessment(
        membership=membership,
        kind=FOLLOW_UP,
        version=0,
        answers=full_answers(cast.programme),
        submit=True,
        by=cast.mentee,
    )
    membership.refresh_from_db()
    assert membership.operationalised_at is not None


# --- The lead's questions ----------------------------------------------------------------------


def test_a_lead_adds_a_scored_question_at_the_end(client, cast):
    client.force_login(cast.lead)
    response = client.post(
        url("assessment_question_add", cast.programme),
        {"kind": "scale", "topic": "TikTok", "dimension": "confidence", "prompt": ""},
    )
    assert response.status_code == 302
    question = questions(cast.programme)[-1]
    assert (question.topic, question.prompt, question.position) == (
        "TikTok",
        "TikTok: your confidence",
        17,
    )
    client.force_login(cast.mentee)
    page = client.get(url("assessment_round", cast.programme, "baseline")).text
    assert '<th scope="row">TikTok</th>' in page and "Not asked" in page


def test_a_scored_question_needs_a_topic_and_may_not_repeat_one(client, cast):
    client.force_login(cast.lead)
    target = url("assessment_question_add", cast.programme)
    response = client.post(target, {"kind": "scale", "topic": "", "dimension": ""})
    assert response.status_code == 400 and "A scored question needs a topic." in response.text
    response = client.post(
        target, {"kind": "scale", "topic": "linkedin", "dimension": "capability"}
    )
    assert response.status_code == 400
    assert "There is a capability question on linkedin already." in response.text
    assert AssessmentQuestion.objects.filter(programme=cast.programme).count() == 16


def test_a_lead_edits_a_question_nobody_has_submitted(client, cast):
    client.force_login(cast.lead)
    question = questions(cast.programme)[-1]
    response = client.post(
        url("assessment_question_edit", cast.programme, question.pk),
        {"kind": "text", "prompt": "What would success look like?", "help_text": ""},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.prompt == "What would success look like?"


def test_a_question_with_submitted_answers_cannot_be_changed_or_removed(client, cast):
    submit_baseline(cast)
    question = questions(cast.programme)[0]
    client.force_login(cast.lead)
    page = client.get(url("assessment_question_edit", cast.programme, question.pk)).text
    assert "can no longer be changed" in page and "Save question" not in page
    response = client.post(
        url("assessment_question_edit", cast.programme, question.pk),
        {"kind": "scale", "topic": "LinkedIn", "dimension": "confidence", "prompt": "Changed"},
    )
    assert response.status_code == 400
    response = client.post(url("assessment_question_remove", cast.programme, question.pk))
    assert "can no longer be removed" in client.get(response["Location"]).text
    question.refresh_from_db()
    assert question.prompt == "LinkedIn: your confidence"
    assert AssessmentAnswer.objects.filter(question=question).exists()
    with pytest.raises(AssessmentError):
        change_question(question=question, by=cast.lead, kind="text", prompt="Changed")
    with pytest.raises(AssessmentError):
        remove_question(question=question, by=cast.lead)


def test_a_question_with_only_draft_answers_can_be_removed(cast):
    question = questions(cast.programme)[0]
    save_assessment(
        membership=cast.mentee_membership,
        kind=BASELINE,
        version=0,
        answers={question.pk: 3},
        by=cast.mentee,
    )
    remove_question(question=question, by=cast.lead)
    remaining = questions(cast.programme)
    assert [q.position for q in remaining] == list(range(1, 16))
    assert not AssessmentAnswer.objects.exists()


def test_a_lead_reorders_questions_even_after_answers_were_submitted(client, cast):
    submit_baseline(cast)
    first, second = questions(cast.programme)[:2]
    client.force_login(cast.lead)
    client.post(url("assessment_question_move", cast.programme, second.pk), {"direction": "up"})
    assert [q.pk for q in questions(cast.programme)[:2]] == [second.pk, first.pk]
    response = client.post(
        url("assessment_question_move", cast.programme, second.pk), {"direction": "up"}
    )
    assert "already first" in client.get(response["Location"]).text


def test_the_questions_page_shows_which_questions_are_locked(client, cast):
    submit_baseline(cast)
    add_question(programme=cast.programme, by=cast.lead, kind="text", prompt="Anything else?")
    client.force_login(cast.lead)
    page = client.get(url("assessment_questions", cast.programme)).text
    assert page.count("1 submitted, locked") == 16
    assert page.count(">Remove<") == 1


# --- Same number of queries whatever the size -------------------------------------------------


def programme_with_questions(count):
    lead = make_user()
    programme = make_programme(lead)
    AssessmentQuestion.objects.filter(programme=programme).delete()
    for n in range(count):
        kind = QuestionKind.TEXT if n % 5 == 4 else QuestionKind.SCALE
        add_question(
            programme=programme,
            by=lead,
            kind=kind,
            topic=f"Topic {n}" if kind == QuestionKind.SCALE else "",
            dimension="confidence" if kind == QuestionKind.SCALE else "",
            prompt=f"Question {n}",
        )
    mentee = make_mentee(programme)
    answers = {q.pk: (3 if q.kind == QuestionKind.SCALE else "Yes") for q in questions(programme)}
    save_assessment(
        membership=mentee, kind=BASELINE, version=0, answers=answers, submit=True, by=mentee.user
    )
    drafting = make_mentee(programme)
    save_assessment(
        membership=drafting, kind=BASELINE, version=0, answers=answers, by=drafting.user
    )
    return programme, lead, mentee, drafting


def count_queries(client, person, target):
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(target).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_question_and_assessment_pages_run_the_same_queries_with_5_and_50_questions(client):
    counts = {}
    for size in (5, 50):
        programme, lead, mentee, drafting = programme_with_questions(size)
        baseline = url("assessment_round", programme, "baseline")
        counts[size] = (
            count_queries(client, lead, url("assessment_questions", programme)),
            count_queries(client, mentee.user, url("assessment", programme)),
            count_queries(client, mentee.user, baseline),  # submitted: read only
            count_queries(client, drafting.user, baseline),  # a draft: the form
            count_queries(client, lead, url("member_assessment", programme, mentee.pk)),
        )
    assert counts[5] == counts[50]
