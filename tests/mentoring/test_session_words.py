"""What the session pages say: the mentee's side says exactly who sees each part (and that is
what each person really sees), action owners and the mentor's shared learning in the
programme's own words."""

import re
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from mentoring.services.session import reflect_on_session, save_session, start_session
from programmes.models import Pairing

RIGHT = "\N{RIGHT SINGLE QUOTATION MARK}"


def _url(cast, name, **kwargs):
    return reverse(name, kwargs={"slug": cast.programme.slug, **kwargs})


def _logged(cast, **fields):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    session = start_session(pairing=pairing, by=cast.mentor)
    return save_session(
        session=session,
        by=cast.mentor,
        version=session.version,
        fields={"topics": "Posting plan", **fields},
        actions=[
            {"text": "Draft a post", "due_on": date(2026, 3, 9), "owner": "mentee"},
            {"text": "Send an example", "due_on": date(2026, 3, 9), "owner": "mentor"},
        ],
        log=True,
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The reflection form says who sees what ----------------------------------------------------


def test_the_mentees_side_says_who_sees_the_reflection_and_who_sees_the_rating(client, cast):
    session = _logged(cast)
    client.force_login(cast.mentee)
    html = client.get(session.get_absolute_url()).content.decode()
    assert "<strong>Private:</strong> only you can read your reflection" in html
    assert "share it with Mo." in html
    assert "Your programme lead never sees it." in html
    assert (
        "<strong>Not private:</strong> Mo sees your rating and both answers as soon as you save"
        in html
    )
    assert "never yours by name" in html
    # The wording before the rating, not after it: it is read before answering.
    assert html.index("Not private") < html.index("How was the session?")
    assert "Private: only you can read it until you share it." not in html


def test_once_shared_the_form_says_the_mentor_reads_the_reflection(client, cast):
    session = _logged(cast)
    reflect_on_session(session=session, by=cast.mentee, body="Felt heard", shared=True)
    client.force_login(cast.mentee)
    html = client.get(session.get_absolute_url()).content.decode()
    assert "<strong>Shared:</strong> you and Mo can read your reflection." in html


def test_the_words_are_true_the_mentor_reads_rating_and_answers_at_once_not_the_reflection(
    client, cast
):
    session = _logged(cast)
    client.force_login(cast.mentee)
    response = client.post(
        _url(cast, "mentoring:session_reflect", pk=session.pk),
        {"body": "Only for me", "rating": "4", "good_way_to_meet": "no", "frequency": "more"},
    )
    assert _messages(response) == [
        "Saved. Your reflection is private to you. Mo sees your rating and answers."
    ]
    client.force_login(cast.mentor)
    html = client.get(session.get_absolute_url()).content.decode()
    assert "<dd>4 out of 5</dd>" in html and "<dd>More often</dd>" in html
    assert "A good way to meet?</dt><dd>No</dd>" in html
    assert "Only for me" not in html
    assert "Mia is told that you see their rating and answers" in html


def test_the_words_are_true_the_lead_sees_ratings_only_added_up(client, cast):
    session = _logged(cast)
    reflect_on_session(
        session=session, by=cast.mentee, body="Only for me", rating=2, good_way_to_meet=False
    )
    client.force_login(cast.lead)
    assert client.get(session.get_absolute_url()).status_code == 404
    figures = client.get(_url(cast, "mentoring:session_figures")).content.decode()
    assert "2.0</strong> out of 5" in figures  # the programme's average
    assert figures.count("out of 5") == 1  # and nowhere beside a name
    pairs = figures[figures.index('id="pairs-title"') :]
    assert "Mia Mentee" in pairs  # each pair is listed, with counts
    assert "out of 5" not in pairs and "ating" not in pairs and "meet" not in pairs
    csv = b"".join(client.get(_url(cast, "mentoring:session_figures_csv")).streaming_content)
    header = csv.decode().splitlines()[0].lower()
    assert "rating" not in header and "meet" not in header and "often" not in header
    assert "Only for me" not in figures and b"Only for me" not in csv


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"body": "Mine", "shared": "on"}, "Saved. Mo can read your reflection."),
        (
            {"body": "Mine", "shared": "on", "rating": "5"},
            "Saved. Mo can read your reflection. Mo sees your rating and answers.",
        ),
        ({"frequency": "right"}, "Saved. Mo sees your rating and answers."),
        ({"body": "Mine"}, "Saved. Your reflection is private to you."),
        ({}, "Saved."),
    ],
)
def test_the_saved_message_says_who_now_sees_what(client, cast, posted, message):
    session = _logged(cast)
    client.force_login(cast.mentee)
    response = client.post(_url(cast, "mentoring:session_reflect", pk=session.pk), posted)
    assert response.status_code == 302
    assert _messages(response) == [message]


def test_a_mentor_who_posts_a_reflection_is_refused_with_a_reason(client, cast):
    session = _logged(cast)
    client.force_login(cast.mentor)
    response = client.post(_url(cast, "mentoring:session_reflect", pk=session.pk), {"rating": "5"})
    assert response.status_code == 403
    assert "Only Mia reflects on this session" in response.content.decode()


# --- The programme's own words ---------------------------------------------------------------


def test_action_owners_are_named_in_the_programmes_word_on_every_session_page(client, cast):
    session = _logged(cast)
    cast.programme.mentee_label = "coachee"
    cast.programme.save(update_fields=["mentee_label"])
    client.force_login(cast.mentee)
    html = client.get(session.get_absolute_url()).content.decode()
    assert re.search(r"Draft a post\s*<span class=\"muted\">· Coachee", html)
    assert "· Mentee" not in html
    # Their own list of open actions speaks to them: theirs, or their mentor's.
    html = client.get(_url(cast, "mentoring:sessions")).content.decode()
    assert re.search(r"Draft a post\s*<span class=\"muted\">· Yours", html)
    assert "· Coachee" not in html and "· Mentee" not in html
    assert (
        'Send an example <span class="muted">· Mentor'
        in client.get(session.get_absolute_url()).content.decode()
    )


def test_the_log_forms_who_choice_offers_the_programmes_word_and_keeps_its_value(client, cast):
    session = _logged(cast)
    client.force_login(cast.mentor)
    html = client.get(_url(cast, "mentoring:session_edit", pk=session.pk)).content.decode()
    assert '<option value="mentee" selected>Partner</option>' in html
    assert '<option value="mentor" selected>Mentor</option>' in html
    assert '<label for="id_actions-0-owner">Who</label>' in html
    assert ">Mentee</option>" not in html


@pytest.mark.parametrize(
    ("kind", "badge"),
    [("both", "A success and a failure"), ("failure", "A failure"), ("success", "A success")],
)
def test_the_mentors_shared_learning_is_headed_in_plain_words(client, cast, kind, badge):
    session = _logged(cast, learning_shared="My first post flopped", learning_kind=kind)
    client.force_login(cast.mentee)
    html = client.get(session.get_absolute_url()).content.decode()
    assert f'From Mo{RIGHT}s own practice <span class="badge">{badge}</span>' in html
    assert "Learning Mo shared" not in html and ">Both<" not in html
