"""Each mentee says how and how often; the pair agrees a cadence; changes are kept."""

import re

import pytest
from django.urls import reverse

from mentoring.models import CadenceAgreement, EngagementPreference
from mentoring.services.cadence import answer_cadence, propose_cadence, withdraw_cadence
from mentoring.services.pairing import PairingError
from programmes.models import EmailStatus, Notification, NotificationKind, Pairing

PREFS = {
    "channels": ["video", "chat"],
    "cadence": "weekly",
    "session_minutes": "30",
    "best_days": ["mon"],
    "best_times": "Early",
    "time_zone": "Europe/London",
    "reminders": "email",
    "quiet_from": "",
    "quiet_until": "",
}


def _url(cast, name, **kwargs):
    return reverse(name, kwargs={"slug": cast.programme.slug, **kwargs})


def test_a_mentee_says_how_they_want_to_be_mentored_and_earlier_answers_are_kept(client, cast):
    client.force_login(cast.mentee)
    client.post(_url(cast, "mentoring:mine"), PREFS)
    client.post(_url(cast, "mentoring:mine"), {**PREFS, "cadence": "monthly"})
    rows = EngagementPreference.objects.filter(membership=cast.mentee_membership)
    assert rows.count() == 2
    assert rows.current().get().cadence == "monthly"
    assert "Earlier preferences" in client.get(_url(cast, "mentoring:mine")).content.decode()


def test_bad_preferences_are_explained_and_nothing_is_saved(client, cast):
    client.force_login(cast.mentee)
    response = client.post(
        _url(cast, "mentoring:mine"),
        {**PREFS, "channels": [], "session_minutes": "500"},
    )
    html = response.content.decode()
    assert "This field is required" in html
    assert "between 10 minutes and 4 hours" in html
    assert not EngagementPreference.objects.exists()


def test_the_mentor_and_lead_read_the_preferences_others_get_nothing(client, cast):
    client.force_login(cast.mentee)
    client.post(_url(cast, "mentoring:mine"), PREFS)
    url = _url(cast, "mentoring:partner", member=cast.mentee_membership.pk)
    expected = {"lead": 200, "mentor": 200, "mentee": 302, "other_mentee": 404,
                "other_mentor": 404, "other_lead": 404}  # fmt: skip
    for who, person in cast.people().items():
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == expected[who], who
        if response.status_code == 200:
            assert "Video call, Chat" in response.content.decode()


def test_only_mentees_have_a_mentoring_page(client, cast):
    client.force_login(cast.mentor)
    assert client.get(_url(cast, "mentoring:mine")).status_code == 404


def test_one_side_proposes_a_cadence_and_the_other_accepts_it(cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    proposal = propose_cadence(pairing=pairing, by=cast.mentor, cadence="fortnightly")
    with pytest.raises(PairingError, match="other person"):
        answer_cadence(agreement=proposal, by=cast.mentor, accept=True)
    with pytest.raises(PairingError, match="other person"):
        answer_cadence(agreement=proposal, by=cast.lead, accept=True)
    answer_cadence(agreement=proposal, by=cast.mentee, accept=True)
    later = propose_cadence(pairing=pairing, by=cast.mentee, cadence="weekly")
    answer_cadence(agreement=later, by=cast.mentor, accept=True)
    statuses = dict(CadenceAgreement.objects.values_list("cadence", "status"))
    assert statuses == {"fortnightly": "replaced", "weekly": "accepted"}


def test_a_new_proposal_replaces_an_unanswered_one(cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    first = propose_cadence(pairing=pairing, by=cast.mentor, cadence="weekly")
    propose_cadence(pairing=pairing, by=cast.mentee, cadence="monthly")
    first.refresh_from_db()
    assert first.status == "replaced"
    with pytest.raises(PairingError, match="answered or replaced"):
        answer_cadence(agreement=first, by=cast.mentee, accept=True)


def test_the_pages_let_the_pair_agree_and_nobody_else(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    client.force_login(cast.other_mentor)
    url = _url(cast, "mentoring:cadence_propose", pk=pairing.pk)
    assert client.post(url, {"cadence": "weekly"}).status_code == 404
    client.force_login(cast.lead)
    assert client.post(url, {"cadence": "weekly"}).status_code == 404
    client.force_login(cast.mentor)
    client.post(url, {"cadence": "weekly", "channel": "video"})
    proposal = CadenceAgreement.objects.get()
    client.force_login(cast.mentee)
    html = client.get(_url(cast, "mentoring:mine")).content.decode()
    assert "Mo Mentor</strong> proposed <strong>weekly" in html
    client.post(_url(cast, "mentoring:cadence_answer", pk=proposal.pk), {"accept": "1"})
    assert (
        "Agreed: <strong>Weekly</strong>"
        in client.get(_url(cast, "mentoring:mine")).content.decode()
    )


# --- Answering a proposal in place (htmx) ---------------------------------------------------

HTMX = {"HX-Request": "true"}


def test_an_answer_sent_by_htmx_answers_with_the_cadence_panel_only(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    proposal = propose_cadence(pairing=pairing, by=cast.mentor, cadence="weekly", channel="video")
    client.force_login(cast.mentee)
    answer = _url(cast, "mentoring:cadence_answer", pk=proposal.pk)
    assert f'hx-post="{answer}"' in client.get(_url(cast, "mentoring:mine")).content.decode()
    response = client.post(answer, {"accept": "1"}, headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert 'id="cadence"' in fragment
    assert "Agreed: <strong>Weekly</strong>" in fragment
    assert 'name="accept"' not in fragment  # nothing left to answer
    assert "Propose a different cadence" in fragment
    assert '<div id="cadence-status" hx-swap-oob="innerHTML">' in fragment
    assert "Accepted: you meet weekly from now on." in fragment
    proposal.refresh_from_db()
    assert proposal.status == CadenceAgreement.Status.ACCEPTED


def test_an_answer_without_htmx_still_goes_back_to_the_page(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    proposal = propose_cadence(pairing=pairing, by=cast.mentee, cadence="monthly")
    client.force_login(cast.mentor)
    response = client.post(_url(cast, "mentoring:cadence_answer", pk=proposal.pk), {"accept": "0"})
    assert response.status_code == 302
    assert response.url == _url(cast, "mentoring:partner", member=cast.mentee_membership.pk)
    proposal.refresh_from_db()
    assert proposal.status == CadenceAgreement.Status.DECLINED


def test_a_refused_answer_sent_by_htmx_says_why_in_the_panel(client, cast):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    proposal = propose_cadence(pairing=pairing, by=cast.mentor, cadence="weekly")
    client.force_login(cast.mentor)  # the one who proposed cannot accept it too
    fragment = client.post(
        _url(cast, "mentoring:cadence_answer", pk=proposal.pk), {"accept": "1"}, headers=HTMX
    ).content.decode()
    assert "<html" not in fragment
    assert "message--error" in fragment and "The other person in the pair answers" in fragment
    assert f"Waiting for {cast.mentee.get_short_name()} to answer." in fragment
    assert "You proposed" in fragment


# --- Proposals that say something, and can be taken back --------------------------------------


def _pairing(cast) -> Pairing:
    return Pairing.objects.active().get(mentee=cast.mentee_membership)


def _asked(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.CADENCE_PROPOSED))


def test_proposing_the_cadence_already_agreed_is_refused_and_says_so(client, cast):
    pairing = _pairing(cast)
    agreed = propose_cadence(pairing=pairing, by=cast.mentor, cadence="weekly", channel="video")
    answer_cadence(agreement=agreed, by=cast.mentee, accept=True)
    client.force_login(cast.mentee)
    url = _url(cast, "mentoring:cadence_propose", pk=pairing.pk)
    response = client.post(url, {"cadence": "weekly", "channel": "video"}, follow=True)
    assert "You already agree to meet weekly, by video call." in response.content.decode()
    assert not pairing.agreements.filter(status=CadenceAgreement.Status.PROPOSED).exists()
    # Another channel is another proposal.
    client.post(url, {"cadence": "weekly", "channel": ""})
    assert pairing.agreements.filter(status=CadenceAgreement.Status.PROPOSED).count() == 1


def test_the_same_proposal_twice_is_refused_and_a_new_one_puts_the_old_question_to_rest(cast):
    pairing = _pairing(cast)
    first = propose_cadence(pairing=pairing, by=cast.mentee, cadence="weekly")
    with pytest.raises(PairingError, match="already"):
        propose_cadence(pairing=pairing, by=cast.mentee, cadence="weekly")
    (asked,) = _asked(cast.mentor)
    assert asked.read_at is None
    propose_cadence(pairing=pairing, by=cast.mentee, cadence="fortnightly")
    first.refresh_from_db()
    assert first.status == CadenceAgreement.Status.REPLACED
    old, new = sorted(_asked(cast.mentor), key=lambda n: n.pk)
    assert old.read_at is not None and old.email_status != EmailStatus.PENDING  # needs nothing
    assert new.read_at is None and "fortnightly" in new.title


def test_whoever_proposed_withdraws_it_and_the_question_to_the_other_is_put_to_rest(client, cast):
    pairing = _pairing(cast)
    proposal = propose_cadence(pairing=pairing, by=cast.mentor, cadence="monthly")
    withdraw = _url(cast, "mentoring:cadence_withdraw", pk=proposal.pk)
    client.force_login(cast.mentee)  # not theirs to withdraw
    client.post(withdraw)
    proposal.refresh_from_db()
    assert proposal.status == CadenceAgreement.Status.PROPOSED
    client.force_login(cast.mentor)
    page = client.get(_url(cast, "mentoring:partner", member=cast.mentee_membership.pk))
    assert f'action="{withdraw}"' in page.content.decode()
    response = client.post(withdraw, follow=True)
    assert "Withdrawn. Your agreed cadence stays as it was." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == CadenceAgreement.Status.WITHDRAWN
    (asked,) = _asked(cast.mentee)
    assert asked.read_at is not None and asked.email_status != EmailStatus.PENDING
    client.force_login(cast.mentee)
    assert 'name="accept"' not in client.get(_url(cast, "mentoring:mine")).content.decode()
    with pytest.raises(PairingError, match="answered or replaced"):
        withdraw_cadence(agreement=proposal, by=cast.mentor)


def test_proposing_back_what_the_other_side_proposed_agrees_it(client, cast):
    pairing = _pairing(cast)
    theirs = propose_cadence(pairing=pairing, by=cast.mentee, cadence="monthly", channel="video")
    client.force_login(cast.mentor)
    url = _url(cast, "mentoring:cadence_propose", pk=pairing.pk)
    response = client.post(url, {"cadence": "monthly", "channel": "video"}, follow=True)
    assert "Agreed: they had proposed it too. You meet monthly." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == CadenceAgreement.Status.ACCEPTED
    assert pairing.agreements.count() == 1  # nothing new for the mentee to accept


def test_the_propose_form_opens_on_the_agreed_rhythm_and_channel(client, cast):
    pairing = _pairing(cast)
    agreed = propose_cadence(pairing=pairing, by=cast.mentor, cadence="monthly", channel="video")
    answer_cadence(agreement=agreed, by=cast.mentee, accept=True)
    client.force_login(cast.mentee)
    html = client.get(_url(cast, "mentoring:mine")).content.decode()
    assert re.search(r'<option value="monthly" selected>', html)
    assert re.search(r'<option value="video" selected>', html)
