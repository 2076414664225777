"""Ask them, again (seed 000): when the mentee answers "how often?" the same way twice, the
pair is offered the rhythm that fits, one click to propose it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mentoring.models import CadenceAgreement, SessionFeedback
from mentoring.selectors.pace import gather
from mentoring.services.cadence import answer_cadence, propose_cadence
from programmes.models import Pairing
from tests.mentoring.test_session_pages import log_one


def agree_fortnightly(cast, *, days_ago: int = 30) -> Pairing:
    """The pair agreed to meet fortnightly `days_ago` (a month ago unless told)."""
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    proposal = propose_cadence(pairing=pairing, by=cast.mentor, cadence="fortnightly")
    answer_cadence(agreement=proposal, by=cast.mentee, accept=True)
    CadenceAgreement.objects.filter(pk=proposal.pk).update(
        answered_at=timezone.now() - timedelta(days=days_ago)
    )
    return pairing


def answered(cast, *frequencies: str) -> None:
    for frequency in frequencies:
        SessionFeedback.objects.create(session=log_one(cast), frequency=frequency)


def test_two_answers_of_more_offer_both_sides_a_weekly_rhythm_in_one_click(client, cast):
    pairing = agree_fortnightly(cast)
    answered(cast, "more", "more")
    slug = cast.programme.slug
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:mine", args=[slug])).content.decode()
    assert "the answer to “how often?” was “more often”" in html
    assert "Propose meeting weekly" in html
    client.force_login(cast.mentor)
    partner = reverse("mentoring:partner", args=[slug, cast.mentee_membership.pk])
    assert "Propose meeting weekly" in client.get(partner).content.decode()

    response = client.post(
        reverse("mentoring:cadence_propose", args=[slug, pairing.pk]), {"cadence": "weekly"}
    )
    assert response.status_code == 302
    assert CadenceAgreement.objects.get(pairing=pairing, status="proposed").cadence == "weekly"
    # With a proposal open, the suggestion steps aside for the answer.
    assert "Propose meeting weekly" not in client.get(partner).content.decode()


def test_mixed_answers_offer_nothing(client, cast):
    agree_fortnightly(cast)
    answered(cast, "more", "right")
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:mine", args=[cast.programme.slug])).content.decode()
    assert "Propose meeting" not in html


def test_a_rhythm_just_agreed_is_not_questioned_by_what_came_before_it(client, cast):
    # Weekly for a month, asking for "more" each time: then they agreed fortnightly today.
    for days_ago in (28, 21, 14, 7):
        SessionFeedback.objects.create(session=log_one(cast, days_ago=days_ago), frequency="more")
    agree_fortnightly(cast, days_ago=0)
    client.force_login(cast.mentee)
    html = client.get(reverse("mentoring:mine", args=[cast.programme.slug])).content.decode()
    assert "Propose meeting" not in html
    (subject,) = gather([cast.mentee_membership.pk], now=timezone.now())
    assert subject.facts.frequency_answers == () and subject.facts.recent_gaps == ()
    assert subject.facts.last_session_on is not None  # the history itself is still read

    # A week on, a session under the new rhythm: its answer counts, the old ones still not.
    SessionFeedback.objects.create(session=log_one(cast, days_ago=-7), frequency="more")
    (later,) = gather([cast.mentee_membership.pk], now=timezone.now() + timedelta(days=8))
    assert later.facts.frequency_answers == ("more",)
