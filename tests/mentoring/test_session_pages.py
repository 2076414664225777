"""Session logs: who reaches what, logging in one go, drafts that save themselves without
losing anything, actions carried forward until done, and the mentee's side."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    AgreedAction,
    CadenceAgreement,
    Guideline,
    GuidelineCheck,
    MentoringSession,
    OutboundEmail,
    Reflection,
    SessionFeedback,
)
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.session import (
    SessionConflict,
    reflect_on_session,
    save_session,
    start_session,
)
from programmes.models import EmailStatus, Notification, NotificationKind, Pairing
from tests.factories import make_mentee, make_mentor, make_programme, make_user

SECRET = "my-secret-about-the-board"


def _url(cast, name, **kwargs):
    return reverse(name, kwargs={"slug": cast.programme.slug, **kwargs})


def _pairing(cast) -> Pairing:
    return Pairing.objects.active().get(mentee=cast.mentee_membership)


def log_one(cast, *, actions=(), done=(), topics=SECRET, days_ago=0) -> MentoringSession:
    session = start_session(
        pairing=_pairing(cast), by=cast.mentor, at=timezone.now() - timedelta(days=days_ago)
    )
    return save_session(
        session=session,
        by=cast.mentor,
        version=session.version,
        fields={"topics": topics, "resonated": f"resonated {SECRET}"},
        actions=actions,
        done_action_ids=done,
        log=True,
    )


def form_data(session, **fields) -> dict:
    data = {
        "version": session.version,
        "held_at": "2026-03-02T10:00",
        "minutes": "30",
        "channel": "video",
        "phase": "",
        "topics": "",
        "resonated": "",
        "learning_shared": "",
        "learning_kind": "",
        "next_session_on": "",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "1000",
    }
    for i in range(3):
        data |= {f"actions-{i}-id": "", f"actions-{i}-text": "", f"actions-{i}-owner": "mentee"}
        data[f"actions-{i}-due_on"] = ""
    return data | fields


# --- Who reaches what ---------------------------------------------------------------------


def _expect(client, cast, method, url, expected, data=None):
    for who, person in cast.people().items():
        client.force_login(person)
        response = getattr(client, method)(url, data or {})
        assert response.status_code == expected[who], (who, url)
        if response.status_code == 200 and who not in ("mentor", "mentee"):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert SECRET not in body.decode(), who
    client.logout()
    assert getattr(client, method)(url).status_code == 302  # to sign in


def test_the_whole_cast_against_the_session_pages(client, cast):
    session = log_one(cast, actions=[{"text": "Post twice", "due_on": date(2026, 3, 9)}])
    action = session.actions.get()
    pk = {"pk": session.pk}
    _expect(client, cast, "get", _url(cast, "mentoring:sessions"),
            {"lead": 302, "mentor": 200, "mentee": 200, "other_mentee": 200,
             "other_mentor": 200, "other_lead": 404})  # fmt: skip
    _expect(client, cast, "get", _url(cast, "mentoring:session", **pk),
            {"lead": 404, "mentor": 200, "mentee": 200, "other_mentee": 404,
             "other_mentor": 404, "other_lead": 404})  # fmt: skip
    _expect(client, cast, "get", _url(cast, "mentoring:session_edit", **pk),
            {"lead": 404, "mentor": 200, "mentee": 403, "other_mentee": 404,
             "other_mentor": 404, "other_lead": 404})  # fmt: skip
    _expect(client, cast, "post", _url(cast, "mentoring:session_autosave", **pk),
            {"lead": 404, "mentor": 400, "mentee": 403, "other_mentee": 404,
             "other_mentor": 404, "other_lead": 404})  # fmt: skip
    _expect(client, cast, "post", _url(cast, "mentoring:session_reflect", **pk),
            {"lead": 404, "mentor": 403, "mentee": 302, "other_mentee": 404,
             "other_mentor": 404, "other_lead": 404})  # fmt: skip
    _expect(client, cast, "post", _url(cast, "mentoring:action_done", pk=action.pk),
            {"lead": 404, "mentor": 302, "mentee": 302, "other_mentee": 404,
             "other_mentor": 404, "other_lead": 404}, data={"done": "1"})  # fmt: skip
    _expect(client, cast, "post", _url(cast, "mentoring:session_discard", **pk),
            {"lead": 404, "mentor": 302, "mentee": 403, "other_mentee": 404,
             "other_mentor": 404, "other_lead": 404})  # fmt: skip
    assert MentoringSession.objects.filter(pk=session.pk).exists()  # logged: never discarded


def test_only_the_pairs_mentor_starts_a_log(client, cast):
    url = _url(cast, "mentoring:session_start", member=cast.mentee_membership.pk)
    _expect(client, cast, "post", url,
            {"lead": 403, "mentor": 302, "mentee": 403, "other_mentee": 404,
             "other_mentor": 404, "other_lead": 404})  # fmt: skip
    assert MentoringSession.objects.get().is_draft  # the mentor's one draft


def test_the_whole_cast_against_the_lead_figures_and_csv(client, cast):
    log_one(cast)
    for name in ("mentoring:session_figures", "mentoring:session_figures_csv"):
        _expect(client, cast, "get", _url(cast, name),
                {"lead": 200, "mentor": 404, "mentee": 404, "other_mentee": 404,
                 "other_mentor": 404, "other_lead": 404})  # fmt: skip


# --- Trust: notes stay with the pair ------------------------------------------------------


def _everything_private(cast) -> MentoringSession:
    guideline = Guideline.objects.filter(programme=cast.programme).first()
    assert guideline is not None
    session = start_session(pairing=_pairing(cast), by=cast.mentor)
    session = save_session(
        session=session,
        by=cast.mentor,
        version=session.version,
        fields={
            "topics": f"topic {SECRET}",
            "resonated": f"resonated {SECRET}",
            "learning_shared": f"learning {SECRET}",
        },
        actions=[{"text": f"action {SECRET}", "due_on": date(2026, 3, 9), "owner": "mentee"}],
        checks={guideline.pk: ("partly", f"note {SECRET}")},
        log=True,
    )
    reflect_on_session(
        session=session, by=cast.mentee, body=f"private {SECRET}", shared=False, rating=4,
        good_way_to_meet=True, frequency="more",
    )  # fmt: skip
    return session


def test_a_lead_and_another_mentor_never_see_a_pairs_notes(client, cast):
    session = _everything_private(cast)
    client.force_login(cast.lead)
    figures = client.get(_url(cast, "mentoring:session_figures")).content.decode()
    assert "30 minutes" in figures or "45 minutes" in figures  # the figures are there
    assert "4.0</strong> out of 5" in figures
    csv = b"".join(client.get(_url(cast, "mentoring:session_figures_csv")).streaming_content)
    assert b"Mia Mentee" in csv and b"Mo Mentor" in csv
    for page in (figures, csv.decode()):
        assert SECRET not in page
    assert client.get(session.get_absolute_url()).status_code == 404
    client.force_login(cast.other_mentor)
    assert SECRET not in client.get(_url(cast, "mentoring:sessions")).content.decode()
    assert client.get(session.get_absolute_url()).status_code == 404
    assert not MentoringSession.objects.visible_to(cast.lead).exists()
    assert not AgreedAction.objects.visible_to(cast.other_mentor).exists()


def test_a_private_reflection_is_the_mentees_alone_until_shared(client, cast):
    session = _everything_private(cast)
    client.force_login(cast.mentor)
    page = client.get(session.get_absolute_url()).content.decode()
    assert f"topic {SECRET}" in page and f"private {SECRET}" not in page
    assert "4 out of 5" in page  # the mentor reads the rating and answers
    assert not Reflection.objects.visible_to(cast.mentor).exists()
    client.force_login(cast.mentee)
    client.post(
        _url(cast, "mentoring:session_reflect", pk=session.pk),
        {"body": f"shared {SECRET}", "shared": "on", "rating": "5", "frequency": "right"},
    )
    client.force_login(cast.mentor)
    assert f"shared {SECRET}" in client.get(session.get_absolute_url()).content.decode()


# --- Logging ------------------------------------------------------------------------------


def test_a_new_log_is_filled_in_from_the_agreement_and_the_mentees_phase(cast):
    agreement = propose_cadence(
        pairing=_pairing(cast), by=cast.mentor, cadence="fortnightly", channel="phone"
    )
    answer_cadence(agreement=agreement, by=cast.mentee, accept=True)
    assert CadenceAgreement.objects.get().status == "accepted"
    at = timezone.now()
    session = start_session(pairing=_pairing(cast), by=cast.mentor, at=at)
    assert session.channel == "phone"
    assert session.phase == cast.mentee_membership.current_phase
    assert session.next_session_on == at.date() + timedelta(days=14)
    assert start_session(pairing=_pairing(cast), by=cast.mentor) == session  # one draft


@pytest.mark.parametrize(
    ("minutes", "said"),
    [("600", "480 minutes (8 hours) at most"), ("2", "5 minutes at least")],
)
def test_a_session_length_out_of_range_is_explained_and_nothing_is_saved(
    client, cast, minutes, said
):
    client.force_login(cast.mentor)
    client.post(_url(cast, "mentoring:session_start", member=cast.mentee_membership.pk))
    session = MentoringSession.objects.get()
    data = form_data(session, minutes=minutes, topics="Headlines", log="1")
    response = client.post(_url(cast, "mentoring:session_edit", pk=session.pk), data)
    assert response.status_code == 400
    assert f"A session lasts {said}." in response.content.decode()
    session.refresh_from_db()
    assert (session.status, session.minutes, session.topics) == ("draft", 45, "")


def test_a_mentor_logs_a_session_and_the_mentee_is_told(client, cast):
    client.force_login(cast.mentor)
    response = client.post(_url(cast, "mentoring:session_start", member=cast.mentee_membership.pk))
    session = MentoringSession.objects.get()
    assert response.url == _url(cast, "mentoring:session_edit", pk=session.pk)
    guideline = Guideline.objects.filter(programme=cast.programme).first()
    data = form_data(
        session,
        topics="LinkedIn headline",
        **{"actions-0-text": "Rewrite the headline", "actions-0-due_on": "2026-03-09"},
        **{f"check_{guideline.pk}": "yes"},
        log="1",
    )
    response = client.post(_url(cast, "mentoring:session_edit", pk=session.pk), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.minutes, session.channel) == ("logged", 30, "video")
    assert session.actions.get().text == "Rewrite the headline"
    assert GuidelineCheck.objects.get(session=session).answer == "yes"
    # The mentee is told through their notification settings (the worker emails it).
    told = Notification.objects.get(kind=NotificationKind.SESSION_LOGGED)
    assert told.recipient == cast.mentee and "logged your session of" in told.title
    assert told.link == session.get_absolute_url()
    assert "LinkedIn headline" not in told.title + told.body  # what was said stays on the page
    assert not OutboundEmail.objects.exists()  # nothing emailed around the settings


def test_a_mentee_who_wants_the_app_only_is_told_of_a_logged_session_in_the_app(client, cast):
    from programmes.services.notification import update_settings

    update_settings(by=cast.mentee, delivery="app", quiet_from=None, quiet_until=None,
                    muted_kinds=[])  # fmt: skip
    session = log_one(cast)
    told = Notification.objects.get(kind=NotificationKind.SESSION_LOGGED)
    assert told.recipient == cast.mentee and told.email_status == EmailStatus.NONE
    assert told.link == session.get_absolute_url()


def test_logging_needs_a_due_date_for_each_action_or_a_next_session(client, cast):
    client.force_login(cast.mentor)
    client.post(_url(cast, "mentoring:session_start", member=cast.mentee_membership.pk))
    session = MentoringSession.objects.get()
    url = _url(cast, "mentoring:session_edit", pk=session.pk)
    data = form_data(session, **{"actions-0-text": "Post weekly"}, log="1")
    assert "a due date" in client.post(url, data).content.decode()
    assert MentoringSession.objects.get().is_draft
    client.post(url, {**data, "next_session_on": "2026-03-16"})
    assert AgreedAction.objects.get().due_on == date(2026, 3, 16)


def test_the_draft_saves_itself_and_a_stale_save_never_overwrites(client, cast):
    client.force_login(cast.mentor)
    client.post(_url(cast, "mentoring:session_start", member=cast.mentee_membership.pk))
    session = MentoringSession.objects.get()
    autosave = _url(cast, "mentoring:session_autosave", pk=session.pk)
    first = client.post(
        autosave, form_data(session, topics="First", **{"actions-1-text": "Draft action"})
    )
    assert first.status_code == 200
    assert first.json()["version"] == 1
    assert first.json()["actions"] == {"actions-1-id": AgreedAction.objects.get().pk}
    stale = client.post(autosave, form_data(session, topics="From another tab"))  # version 0
    assert stale.status_code == 409 and stale.json()["version"] == 1
    assert MentoringSession.objects.get().topics == "First"
    # Without JavaScript: "Save draft" says so, keeps their text on the page, changes nothing.
    edit = _url(cast, "mentoring:session_edit", pk=session.pk)
    page = client.post(edit, form_data(session, topics="Typed offline", save="1"))
    assert page.status_code == 409
    assert "saved somewhere else" in page.content.decode()
    assert "Typed offline" in page.content.decode()
    # Keeping theirs over the newer log is a choice made by hand: until then nothing on the
    # page saves by itself, and its status line does not claim that anything was saved.
    assert "data-autosave-url" not in page.content.decode()
    assert ">Not saved</p>" in page.content.decode()
    assert MentoringSession.objects.get().topics == "First"
    # Saving again, knowingly, keeps theirs; the action saved earlier is not doubled.
    again = client.post(
        edit,
        form_data(
            session, version=1, topics="Typed offline", save="1",
            **{"actions-1-text": "Draft action", "actions-1-id": AgreedAction.objects.get().pk},
        ),
    )  # fmt: skip
    assert again.status_code == 302
    assert MentoringSession.objects.get().topics == "Typed offline"
    assert AgreedAction.objects.count() == 1


def test_a_stale_version_is_refused_by_the_service(cast):
    session = start_session(pairing=_pairing(cast), by=cast.mentor)
    save_session(session=session, by=cast.mentor, version=0, fields={"topics": "a"})
    with pytest.raises(SessionConflict):
        save_session(session=session, by=cast.mentor, version=0, fields={"topics": "b"})


# --- Agreed actions carry forward and close -------------------------------------------------


def test_agreed_actions_carry_forward_until_done_and_close_on_a_later_log(client, cast):
    first = log_one(
        cast,
        days_ago=14,
        actions=[
            {"text": "Publish an article", "due_on": date(2026, 3, 9), "owner": "mentee"},
            {"text": "Send a reading list", "due_on": date(2026, 3, 9), "owner": "mentor"},
        ],
    )
    article, reading = first.actions.order_by("position")
    client.force_login(cast.mentor)
    client.post(_url(cast, "mentoring:session_start", member=cast.mentee_membership.pk))
    draft = MentoringSession.objects.get(status="draft")
    edit = _url(cast, "mentoring:session_edit", pk=draft.pk)
    page = client.get(edit).content.decode()
    assert "Open actions from earlier sessions" in page
    assert "Publish an article" in page and "Send a reading list" in page
    client.post(edit, form_data(draft, done_actions=[reading.pk], log="1"))
    reading.refresh_from_db()
    article.refresh_from_db()
    assert reading.is_done and reading.closed_in_id == draft.pk
    assert not article.is_done
    client.post(_url(cast, "mentoring:session_start", member=cast.mentee_membership.pk))
    third = MentoringSession.objects.get(status="draft")
    page = client.get(_url(cast, "mentoring:session_edit", pk=third.pk)).content.decode()
    assert "Publish an article" in page and "Send a reading list" not in page
    # The mentee ticks off their own action; it no longer carries forward.
    client.force_login(cast.mentee)
    client.post(_url(cast, "mentoring:action_done", pk=article.pk), {"done": "1"})
    article.refresh_from_db()
    assert article.is_done
    assert "Nothing open" in client.get(_url(cast, "mentoring:sessions")).content.decode()


def test_a_mentee_cannot_tick_an_action_the_mentor_owns(client, cast):
    session = log_one(cast, actions=[{"text": "Intro", "due_on": date.today(), "owner": "mentor"}])
    client.force_login(cast.mentee)
    response = client.post(
        _url(cast, "mentoring:action_done", pk=session.actions.get().pk), {"done": "1"}
    )
    assert response.status_code == 403
    assert not AgreedAction.objects.get().is_done


# --- The mentee's side ------------------------------------------------------------------------


def test_the_mentee_reflects_rates_and_says_what_suits_them(client, cast):
    session = log_one(cast)
    client.force_login(cast.mentee)
    page = client.get(session.get_absolute_url()).content.decode()
    assert SECRET in page and "Was this a good way to meet?" in page
    client.post(
        _url(cast, "mentoring:session_reflect", pk=session.pk),
        {"body": "Felt heard", "rating": "4", "good_way_to_meet": "no", "frequency": "less"},
    )
    feedback = SessionFeedback.objects.get()
    assert (feedback.rating, feedback.good_way_to_meet, feedback.frequency) == (4, False, "less")
    reflection = Reflection.objects.get()
    assert (reflection.body, reflection.shared) == ("Felt heard", False)
    response = client.post(_url(cast, "mentoring:session_reflect", pk=session.pk), {"rating": "9"})
    assert response.status_code == 302
    assert SessionFeedback.objects.get().rating == 4


def test_a_mentee_never_sees_the_mentors_draft(client, cast):
    session = start_session(pairing=_pairing(cast), by=cast.mentor)
    client.force_login(cast.mentee)
    assert client.get(session.get_absolute_url()).status_code == 404


# --- Query counts ---------------------------------------------------------------------------


def _count(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_sessions_page_and_figures_run_the_same_queries_with_3_and_30_partners(client):
    counts = []
    for size in (3, 30):
        lead = make_user()
        programme = make_programme(lead, name=f"P{size}")
        mentor = make_mentor(programme)
        for _ in range(size):
            mentee = make_mentee(programme, mentor=mentor)
            pairing = Pairing.objects.active().get(mentee=mentee)
            session = start_session(pairing=pairing, by=mentor.user)
            save_session(
                session=session,
                by=mentor.user,
                version=0,
                fields={"topics": "x"},
                actions=[{"text": "Do it", "due_on": date.today()}],
                log=True,
            )
        counts.append(
            (
                _count(client, mentor.user, reverse("mentoring:sessions", args=[programme.slug])),
                _count(client, lead, reverse("mentoring:session_figures", args=[programme.slug])),
            )
        )
    assert counts[0] == counts[1]


def test_a_logged_session_changes_only_when_its_button_is_pressed(client, cast):
    session = log_one(cast, topics="As logged")
    client.force_login(cast.mentor)
    page = client.get(_url(cast, "mentoring:session_edit", pk=session.pk)).content.decode()
    # The partner reads it: no autosave, and leaving with changes asks first.
    assert "data-autosave-url" not in page and "data-warn-unsaved" in page
    assert "your changes reach it when you press “Save the log”" in page
    session.refresh_from_db()
    half_typed = form_data(session, topics="As logg")
    refused = client.post(_url(cast, "mentoring:session_autosave", pk=session.pk), half_typed)
    assert refused.status_code == 400 and "Save the log" in refused.json()["error"]
    session.refresh_from_db()
    assert session.topics == "As logged"


def test_an_action_added_after_the_page_loaded_survives_the_next_saves(client, cast):
    session = start_session(pairing=_pairing(cast), by=cast.mentor)
    client.force_login(cast.mentor)
    autosave = _url(cast, "mentoring:session_autosave", pk=session.pk)
    first = form_data(session, **{"actions-0-text": "Post twice", "actions-0-due_on": "2026-03-09"})
    assert client.post(autosave, first).status_code == 200
    action = AgreedAction.objects.get(session=session)
    session.refresh_from_db()
    # The page, loaded before the action existed, now carries its id and the same text.
    again = form_data(
        session,
        topics="Themes",
        **{
            "actions-0-id": str(action.pk),
            "actions-0-text": "Post twice",
            "actions-0-due_on": "2026-03-09",
        },
    )
    assert client.post(autosave, again).status_code == 200
    session.refresh_from_db()
    logged = form_data(
        session,
        log="1",
        **{
            "actions-0-id": str(action.pk),
            "actions-0-text": "Post twice",
            "actions-0-due_on": "2026-03-09",
        },
    )
    client.post(_url(cast, "mentoring:session_edit", pk=session.pk), logged)
    assert list(AgreedAction.objects.filter(session=session).values_list("pk", "text")) == [
        (action.pk, "Post twice")
    ]


def test_session_dates_out_of_any_sensible_range_are_refused(client, cast):
    session = start_session(pairing=_pairing(cast), by=cast.mentor)
    client.force_login(cast.mentor)
    data = form_data(session, held_at="9999-12-31T23:59", next_session_on="9999-12-31")
    response = client.post(_url(cast, "mentoring:session_edit", pk=session.pk), data)
    html = response.content.decode()
    assert "Log a session once it has happened." in html
    assert "Choose a date within a year." in html
    client.get(reverse("mentoring:home"))  # the mentor's home still renders
    session.refresh_from_db()
    assert session.held_at.year < 9999


# --- Ticking an action in place (htmx) ------------------------------------------------------

HTMX = {"HX-Request": "true"}


def test_an_action_ticked_by_htmx_answers_with_its_row_only(client, cast):
    session = log_one(cast, actions=[{"text": "Post twice", "due_on": date(2026, 3, 9)}])
    action = session.actions.get()
    client.force_login(cast.mentor)
    response = client.post(
        _url(cast, "mentoring:action_done", pk=action.pk), {"done": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert f'id="action-{action.pk}-row"' in fragment
    assert '<span class="status status--ok">Done</span>' in fragment
    assert "Not done after all" in fragment and "Mark done" not in fragment
    assert f'id="action-{action.pk}-status" hx-swap-oob="innerHTML"' in fragment
    assert "“Post twice”: done." in fragment
    assert SECRET not in fragment  # the row, not the session's notes
    action.refresh_from_db()
    assert action.is_done
    assert "“Post twice”: done." not in client.get(session.get_absolute_url()).content.decode()


def test_an_action_ticked_without_htmx_still_goes_back_to_the_session(client, cast):
    session = log_one(cast, actions=[{"text": "Post twice", "due_on": date(2026, 3, 9)}])
    action = session.actions.get()
    client.force_login(cast.mentor)
    response = client.post(_url(cast, "mentoring:action_done", pk=action.pk), {"done": "1"})
    assert response.status_code == 302
    assert response.url == session.get_absolute_url()
    assert "“Post twice”: done." in client.get(response.url).content.decode()


def test_a_mentee_ticks_an_open_action_on_the_sessions_page_in_place_and_can_take_it_back(
    client, cast
):
    session = log_one(cast, actions=[{"text": "Post twice", "due_on": date(2026, 3, 9)}])
    action = session.actions.get()
    client.force_login(cast.mentee)
    done = _url(cast, "mentoring:action_done", pk=action.pk)
    assert f'hx-post="{done}"' in client.get(_url(cast, "mentoring:sessions")).content.decode()
    fragment = client.post(done, {"done": "1", "next": "sessions"}, headers=HTMX).content.decode()
    assert "<html" not in fragment
    assert "“Post twice”: done." in fragment
    assert 'name="next" value="sessions"' in fragment and "Not done after all" in fragment
    fragment = client.post(done, {"done": "0", "next": "sessions"}, headers=HTMX).content.decode()
    assert "“Post twice”: open again." in fragment and "Mark done" in fragment
    action.refresh_from_db()
    assert not action.is_done
    response = client.post(done, {"done": "1", "next": "sessions"})
    assert response.status_code == 302
    assert response.url == _url(cast, "mentoring:sessions")


def test_a_mentee_cannot_tick_the_mentors_action_by_htmx_either(client, cast):
    session = log_one(cast, actions=[{"text": "Intro", "due_on": date.today(), "owner": "mentor"}])
    client.force_login(cast.mentee)
    response = client.post(
        _url(cast, "mentoring:action_done", pk=session.actions.get().pk),
        {"done": "1"},
        headers=HTMX,
    )
    assert response.status_code == 403
    assert not AgreedAction.objects.get().is_done


def test_an_actions_due_date_is_shown_in_the_form_as_the_browser_reads_it(client, cast):
    due = timezone.localdate() + timedelta(days=9)
    session = log_one(cast, actions=[{"text": "Post once", "due_on": due}])
    client.force_login(cast.mentor)
    page = client.get(_url(cast, "mentoring:session_edit", pk=session.pk)).content.decode()
    assert f'value="{due:%Y-%m-%d}"' in page


def test_editing_a_logged_session_says_the_change_is_saved_not_that_it_is_logged(client, cast):
    session = log_one(cast)
    client.force_login(cast.mentor)
    url = _url(cast, "mentoring:session_edit", pk=session.pk)
    data = form_data(session, topics="A clearer headline", next_session_on="2026-03-20", log="1")
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert "Saved. Your partner reads the change." in page
    assert "Logged. Your partner can read it now." not in page
