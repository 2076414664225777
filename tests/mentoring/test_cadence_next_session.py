"""One rule for a pair's next session, the same on every page that shows it: a date the pair
agreed wins while it is ahead; otherwise their last session plus the agreed cadence."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.cadence import days_late, next_session_on
from mentoring.models import MentoringSession
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.calendar import issue_feed
from programmes.models import Pairing, Programme
from tests.calendars import instants
from tests.mentoring.test_session_pages import log_one

TODAY = date(2026, 12, 2)
SINCE = date(2026, 9, 1)


@pytest.mark.parametrize(
    ("agreed", "last_held", "cadence", "expected"),
    [
        # A date the pair agreed, still ahead (or today), wins over the cadence.
        (TODAY + timedelta(days=5), TODAY, "monthly", TODAY + timedelta(days=5)),
        (TODAY, TODAY - timedelta(days=3), "weekly", TODAY),
        # Once it has passed, the cadence counts from the last session...
        (TODAY - timedelta(days=6), TODAY - timedelta(days=20), "monthly", TODAY + timedelta(10)),
        # ...even if that makes the session overdue.
        (TODAY - timedelta(days=1), TODAY - timedelta(days=10), "weekly", TODAY - timedelta(3)),
        # No date agreed: the cadence from the last session, or from pairing before the first.
        (None, TODAY - timedelta(days=2), "fortnightly", TODAY + timedelta(days=12)),
        (None, None, "weekly", SINCE + timedelta(days=7)),
        # "When needed", or no cadence: only an agreed date ahead.
        (None, TODAY, "when_needed", None),
        (TODAY - timedelta(days=1), TODAY - timedelta(days=8), None, None),
        (TODAY + timedelta(days=9), TODAY, None, TODAY + timedelta(days=9)),
    ],
)
def test_the_next_session_rule(agreed, last_held, cadence, expected):
    got = next_session_on(
        agreed=agreed, last_held=last_held, cadence=cadence, since=SINCE, today=TODAY
    )
    assert got == expected


@pytest.mark.parametrize(
    ("last_held", "starts_on", "expected"),
    [
        # Paired (or met) before the programme starts: first due one interval after it.
        (None, TODAY + timedelta(days=21), TODAY + timedelta(days=35)),
        (TODAY - timedelta(days=3), TODAY + timedelta(days=21), TODAY + timedelta(days=35)),
        # Once they meet after the start, it counts from that session as ever.
        (TODAY - timedelta(days=3), TODAY - timedelta(days=10), TODAY + timedelta(days=11)),
        # A start long past changes nothing.
        (None, SINCE - timedelta(days=30), SINCE + timedelta(days=14)),
    ],
)
def test_the_interval_never_runs_before_the_programme_starts(last_held, starts_on, expected):
    got = next_session_on(
        agreed=None,
        last_held=last_held,
        cadence="fortnightly",
        since=SINCE,
        today=TODAY,
        starts_on=starts_on,
    )
    assert got == expected


@pytest.mark.django_db
def test_a_pair_matched_before_the_start_is_not_due_until_after_it_on_every_page(client, cast):
    _agree(cast, "weekly")
    starts_on = timezone.localdate() + timedelta(days=20)
    Programme.objects.filter(pk=cast.programme.pk).update(starts_on=starts_on)
    due = starts_on + timedelta(days=7)
    client.force_login(cast.mentor)
    assert f"Next due {due:%-d %b}" in client.get(reverse("mentoring:home")).content.decode()
    client.force_login(cast.mentee)
    assert f"{due:%A %-d %B}" in client.get(reverse("mentoring:home")).content.decode()
    client.force_login(cast.lead)
    rows = (
        client.get(reverse("mentoring:dashboard_csv", args=[cast.programme.slug, "cadence"]))
        .getvalue()
        .decode()
    )
    assert due.isoformat() in rows


@pytest.mark.parametrize(
    ("due", "days"),
    [(None, 0), (TODAY, 0), (TODAY + timedelta(days=2), 0), (TODAY - timedelta(days=3), 3)],
)
def test_a_session_is_late_by_whole_days_past_its_date(due, days):
    assert days_late(due, TODAY) == days


def _agree(cast, cadence):
    pairing = Pairing.objects.active().get(mentee=cast.mentee_membership)
    answer_cadence(
        agreement=propose_cadence(pairing=pairing, by=cast.mentor, cadence=cadence),
        by=cast.mentee,
        accept=True,
    )


def _everywhere(client, cast, session) -> dict[str, str]:
    client.force_login(cast.mentor)
    mentor_home = client.get(reverse("mentoring:home")).content.decode()
    client.force_login(cast.mentee)
    mentee_home = client.get(reverse("mentoring:home")).content.decode()
    record = client.get(session.get_absolute_url()).content.decode()
    feed = client.get(issue_feed(by=cast.mentee).get_absolute_url()).content.decode()
    return {"mentor": mentor_home, "mentee": mentee_home, "record": record, "feed": feed}


def _shown(pages: dict[str, str], on: date) -> dict[str, bool]:
    return {
        "mentor": f"Next due {on:%-d %b}" in pages["mentor"],
        "mentee": f"{on:%A %-d %B}" in pages["mentee"],
        "record": f"{on:%A %-d %B}" in pages["record"],
        # The feed's times are in UTC; the date is the mentee's, here the site's zone.
        "feed": on
        in {timezone.localdate(e.start) for e in instants(pages["feed"].encode()).values()},
    }


@pytest.mark.django_db
def test_an_agreed_date_ahead_is_the_next_session_on_every_page(client, cast):
    _agree(cast, "monthly")
    session = log_one(cast)
    agreed = timezone.localdate() + timedelta(days=5)
    MentoringSession.objects.filter(pk=session.pk).update(next_session_on=agreed)
    assert _shown(_everywhere(client, cast, session), agreed) == dict.fromkeys(
        ["mentor", "mentee", "record", "feed"], True
    )


@pytest.mark.django_db
def test_after_an_agreed_date_passes_every_page_counts_the_cadence_from_the_last_session(
    client, cast
):
    _agree(cast, "monthly")
    session = log_one(cast, days_ago=20)
    MentoringSession.objects.filter(pk=session.pk).update(
        next_session_on=timezone.localdate() - timedelta(days=6)
    )
    expected = timezone.localdate(session.held_at) + timedelta(days=30)
    assert _shown(_everywhere(client, cast, session), expected) == dict.fromkeys(
        ["mentor", "mentee", "record", "feed"], True
    )
