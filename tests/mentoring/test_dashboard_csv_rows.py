"""The timelines and cadence downloads, cell by cell, against figures worked out by hand.

Both read plain rows rather than model instances (issue 10's 20,000 rows a second), so
each cell is checked here against what the page's own objects say."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import CadenceAgreement, MentoringSession, SessionStatus
from programmes.models import Membership, PaceStatus, Pairing, Role


def _csv(client, programme, table: str) -> list[list[str]]:
    url = reverse("mentoring:dashboard_csv", kwargs={"slug": programme.slug, "table": table})
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_timelines_csv_gives_each_persons_phase_days_plan_and_pace(client, cast):
    now = timezone.now()
    mia = cast.mentee_membership
    phase = mia.current_phase
    phase.expected_weeks = 3
    phase.save(update_fields=["expected_weeks"])
    Membership.objects.filter(pk=mia.pk).update(
        phase_started_at=now - timedelta(days=10, hours=1),
        pace_status=PaceStatus.SLIPPING,
        pace_behind=1.5,
    )
    otto = Membership.objects.get(user=cast.other_mentee, role=Role.MENTEE)
    Membership.objects.filter(pk=otto.pk).update(
        operationalised_at=now - timedelta(days=2), pace_status="", pace_behind=0
    )
    client.force_login(cast.lead)
    header, *rows = _csv(client, cast.programme, "timelines")
    assert header == ["name", "phase", "in phase since", "days in phase", "planned days", "pace"]
    since = timezone.localdate(now - timedelta(days=10, hours=1)).isoformat()
    otto_since = timezone.localdate(Membership.objects.get(pk=otto.pk).phase_started_at)
    assert rows == [  # furthest behind first
        ["Mia Mentee", phase.name, since, "10", "21", "Slipping"],
        ["Otto Othermentee", "Operationalised", otto_since.isoformat(), "0", "", "Not checked yet"],
    ]


def test_the_cadence_csv_gives_agreed_against_held_and_days_overdue(client, cast):
    now = timezone.now()
    today = timezone.localdate()
    pairing = Pairing.objects.get(mentee=cast.mentee_membership)
    CadenceAgreement.objects.create(
        pairing=pairing,
        cadence="weekly",
        status=CadenceAgreement.Status.ACCEPTED,
        answered_at=now - timedelta(days=30),
    )
    for days in (40, 20, 100):  # the last one is outside the 90 days counted
        MentoringSession.objects.create(
            pairing=pairing,
            programme=cast.programme,
            mentee=cast.mentee_membership,
            mentor=cast.mentor_membership,
            status=SessionStatus.LOGGED,
            held_at=now - timedelta(days=days),
        )
    MentoringSession.objects.create(  # a draft counts for nothing
        pairing=pairing,
        programme=cast.programme,
        mentee=cast.mentee_membership,
        mentor=cast.mentor_membership,
        held_at=now - timedelta(days=1),
    )
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(pace_behind=3)
    client.force_login(cast.lead)
    header, mia, otto = _csv(client, cast.programme, "cadence")
    assert header[2:] == [
        "agreed",
        "sessions in last 90 days",
        "last session",
        "next due",
        "days overdue",
    ]
    last = timezone.localdate(now - timedelta(days=20))
    assert mia == [
        "Mia Mentee",
        "Mo Mentor",
        "Weekly",
        "2",
        last.isoformat(),
        (last + timedelta(days=7)).isoformat(),
        str((today - last - timedelta(days=7)).days),
    ]
    assert otto == ["Otto Othermentee", "Olu Othermentor", "Not agreed", "0", "", "", "0"]


@pytest.mark.parametrize(
    ("paired_days_ago", "starts_in", "held", "label"),
    [
        (200, None, 0, "None in 90 days"),
        (200, None, 9, "9 in 90 days (every 10 days)"),
        (2, None, 0, "None yet since 3 Mar"),  # paired this week: not "none in 90 days"
        (40, None, 2, "2 since 24 Jan (every 20 days)"),
        (20, None, 1, "1 since 13 Feb"),  # too soon for "every"
        # The programme began ten days ago: sessions held before it still count.
        (200, -10, 1, "1 in 90 days (every 90 days)"),
    ],
)
def test_a_pairs_kept_rhythm_counts_the_days_they_have_had(paired_days_ago, starts_in, held, label):
    from mentoring.selectors.dashboard import Rhythm

    today = date(2026, 3, 5)
    pairing = SimpleNamespace(
        started_at=datetime(2026, 3, 5, 12, tzinfo=UTC) - timedelta(days=paired_days_ago)
    )
    r = Rhythm(
        pairing=pairing,
        agreed="weekly",
        held_recently=held,
        last_held=None,
        today=today,
        starts_on=today + timedelta(days=starts_in) if starts_in is not None else None,
    )
    assert r.actual_label == label
