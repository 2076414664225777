"""The mentor's home: each partner's last session, the next one due by the agreed cadence,
overdue actions and sections to review, and one click to log a session."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.cadence import days_overdue, next_due
from mentoring.models import CadenceAgreement
from mentoring.services.cadence import answer_cadence, propose_cadence
from playbooks.models import Section
from programmes.models import Pairing
from tests.mentoring.test_session_pages import log_one

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cadence", "last", "expected"),
    [
        ("weekly", None, T0 + timedelta(days=7)),
        ("weekly", T0 + timedelta(days=10), T0 + timedelta(days=17)),
        ("fortnightly", T0, T0 + timedelta(days=14)),
        ("monthly", T0, T0 + timedelta(days=30)),
        ("when_needed", T0, None),
        (None, T0, None),
    ],
)
def test_the_next_session_is_due_one_agreed_interval_after_the_last(cadence, last, expected):
    assert next_due(cadence=cadence, last_session=last, since=T0) == expected


@pytest.mark.parametrize(
    ("due", "now", "days"),
    [(None, T0, 0), (T0, T0, 0), (T0, T0 + timedelta(hours=30), 1), (T0, T0 - timedelta(1), 0)],
)
def test_days_overdue_counts_whole_days_past_due_only(due, now, days):
    assert days_overdue(due, now) == days


def _agree(cast, cadence: str) -> None:
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    proposal = propose_cadence(pairing=pairing, by=cast.mentor, cadence=cadence)
    answer_cadence(agreement=proposal, by=cast.mentee, accept=True)


def _home(client, cast) -> str:
    client.force_login(cast.mentor)
    return client.get(reverse("mentoring:home")).content.decode()


def test_a_weekly_pair_last_seen_ten_days_ago_shows_the_session_overdue(client, cast):
    _agree(cast, "weekly")
    log_one(cast, days_ago=10)
    html = _home(client, cast)
    assert "Last session" in html
    assert "Session overdue 3 days" in html


def test_a_monthly_pair_with_the_same_silence_is_not_overdue(client, cast):
    _agree(cast, "monthly")
    log_one(cast, days_ago=10)
    html = _home(client, cast)
    due = timezone.localtime(timezone.now() + timedelta(days=20)).strftime("%-d %b")
    assert f"Next due {due}" in html
    assert "Session overdue" not in html


def test_a_pair_without_an_agreed_cadence_is_asked_to_agree_one(client, cast):
    html = _home(client, cast)
    assert "No cadence agreed" in html
    assert not CadenceAgreement.objects.exists()


def test_overdue_actions_and_sections_waiting_for_review_are_counted(client, cast):
    _agree(cast, "fortnightly")
    past = date.today() - timedelta(days=3)
    log_one(cast, actions=[{"text": "Post twice", "owner": "mentee", "due_on": past}])
    section = Section.objects.filter(playbook__membership=cast.mentee_membership).first()
    section.status = "ready"
    section.save()
    html = _home(client, cast)
    assert "1 overdue action" in html
    assert "1 section to review" in html


def test_logging_a_session_is_one_click_from_home(client, cast):
    html = _home(client, cast)
    url = reverse(
        "mentoring:session_start",
        kwargs={"slug": cast.programme.slug, "member": cast.mentee_membership.pk},
    )
    assert f'action="{url}"' in html
    response = client.post(url)
    assert response.status_code == 302 and "/edit/" in response.url


def test_a_mentee_sees_their_next_session_and_open_actions_on_their_home(client, cast):
    past = date.today() - timedelta(days=2)
    soon = date.today() + timedelta(days=5)
    session = log_one(cast, actions=[{"text": "Post twice", "owner": "mentee", "due_on": past}])
    session.next_session_on = soon
    session.save(update_fields=["next_session_on"])
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert f"Next session with Mo: <strong>{soon:%A} {soon.day} {soon:%B}</strong>, as set" in html
    assert "1 open action" in html and "1 overdue" in html


def test_a_next_session_only_due_by_the_rhythm_is_not_shown_as_arranged(client, cast):
    _agree(cast, "monthly")
    session = log_one(cast, days_ago=3)
    session.next_session_on = None  # the log left "next session on" empty
    session.save(update_fields=["next_session_on"])
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "Next session with Mo due by <strong>" in html
    assert "by your agreed rhythm: not arranged yet." in html
    assert "as set in your last session" not in html


def test_a_rhythm_the_mentor_proposed_asks_the_mentee_to_answer_on_their_home(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    propose_cadence(pairing=pairing, by=cast.mentor, cadence="fortnightly")
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    mine = reverse("mentoring:mine", kwargs={"slug": cast.programme.slug})
    assert "<strong>Mo</strong> proposes meeting <strong>fortnightly</strong>." in html
    assert f'href="{mine}#cadence">Accept or decline</a>' in html
    assert "haven't agreed how often" not in html


def test_a_rhythm_the_mentee_proposed_waits_for_the_mentor_and_then_is_gone(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    proposal = propose_cadence(pairing=pairing, by=cast.mentee, cadence="monthly")
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "You proposed meeting <strong>monthly</strong>; waiting for Mo's answer." in html
    answer_cadence(agreement=proposal, by=cast.mentor, accept=True)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "proposed meeting" not in html and "haven't agreed how often" not in html


def test_a_pair_with_no_rhythm_and_no_proposal_is_asked_to_propose_one(client, cast):
    CadenceAgreement.objects.filter(pairing__mentee=cast.mentee_membership).delete()
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:home")).content.decode()
    assert "You and Mo haven't agreed how often to meet yet." in html
    assert '#cadence">Propose a rhythm</a>' in html


def test_a_rhythm_the_mentor_proposed_waits_on_their_home_for_the_partners_answer(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    propose_cadence(pairing=pairing, by=cast.mentor, cadence="monthly")
    html = _home(client, cast)
    assert "You proposed meeting monthly: waiting for their answer" in html
    assert "Proposes meeting" not in html
