"""The dashboard's monthly tallies of feedback and self-checks (mentoring/services/tally.py):
kept by the services as people log and answer, they always equal a count made afresh from
the sessions, and the dashboard's figures read from them are the figures of the sessions."""

import io
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from mentoring.models import FeedbackMonth, Guideline, SelfCheckMonth
from mentoring.selectors.answers import feedback
from mentoring.services import tally
from mentoring.services.session import reflect_on_session, save_session, start_session
from programmes.models import Pairing
from tests.factories import make_mentee, make_mentor, make_programme, make_user
from tests.mentoring.test_dashboard_answers import log

FEEDBACK_FIELDS = (
    "programme_id",
    "mentee_id",
    "mentor_id",
    "month",
    "ratings",
    "rating_sum",
    "r1",
    "r2",
    "r3",
    "r4",
    "r5",
    "pulses",
    "good_yes",
    "good_no",
    "more",
    "right",
    "less",
)
CHECK_FIELDS = (
    "programme_id",
    "mentee_id",
    "mentor_id",
    "guideline_id",
    "answer",
    "month",
    "checks",
)


def kept():
    return (
        sorted(FeedbackMonth.objects.values_list(*FEEDBACK_FIELDS)),
        sorted(SelfCheckMonth.objects.values_list(*CHECK_FIELDS)),
    )


def counted_afresh(programme):
    tally.rebuild(programme)
    return kept()


def month(days_ago: int) -> date:
    return tally.month_of(timezone.now() - timedelta(days=days_ago))


def move(session, days_ago: int):
    """The mentor edits a logged session's date."""
    session.refresh_from_db()
    return save_session(
        session=session,
        by=session.mentor.user,
        version=session.version,
        fields={"held_at": timezone.now() - timedelta(days=days_ago)},
    )


@pytest.fixture
def programme(db):
    return make_programme(make_user("Lena Lead"))


def test_a_month_is_the_calendar_month_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    # 23:30 on 31 August in UTC is half past midnight on 1 September in London.
    assert tally.month_of(datetime(2026, 8, 31, 23, 30, tzinfo=UTC)) == date(2026, 9, 1)
    assert tally.month_of(datetime(2026, 8, 31, 22, 30, tzinfo=UTC)) == date(2026, 8, 1)


def test_logging_and_answering_keep_the_tallies_equal_to_a_fresh_count(programme):
    one, two = make_mentor(programme), make_mentor(programme)
    a, b = make_mentee(programme, mentor=one), make_mentee(programme, mentor=one)
    c = make_mentee(programme, mentor=two)
    first = log(a, days_ago=75, checks=("yes", "no"), rating=5, frequency="more")
    log(a, days_ago=40, checks=("yes",), rating=4, good_way_to_meet=True)
    later = log(a, days_ago=5, checks=("partly", "yes"))
    log(b, days_ago=40, checks=("no",), rating=2, good_way_to_meet=False, frequency="less")
    log(c, days_ago=5, checks=("yes", "yes"), frequency="right")

    # Worked out by hand: A's two rated sessions are in two months, B's in the later one.
    rows = {(r.mentee_id, r.month): r for r in FeedbackMonth.objects.all()}
    assert (rows[a.pk, month(75)].ratings, rows[a.pk, month(75)].r5) == (1, 1)
    assert rows[a.pk, month(75)].more == 1
    assert (rows[a.pk, month(40)].rating_sum, rows[a.pk, month(40)].good_yes) == (4, 1)
    assert (rows[b.pk, month(40)].r2, rows[b.pk, month(40)].good_no) == (1, 1)
    assert (rows[c.pk, month(5)].ratings, rows[c.pk, month(5)].pulses) == (0, 1)
    assert (a.pk, month(5)) not in rows  # logged, but A has not answered yet
    twos = SelfCheckMonth.objects.filter(mentor=two, answer="yes", month=month(5))
    assert sorted(twos.values_list("checks", flat=True)) == [1, 1]  # one per guideline

    # A answers the latest, changes their mind on the first, and the mentor moves a
    # session to another month and clears one of its self-checks.
    reflect_on_session(session=later, by=a.user, rating=3, frequency="right")
    reflect_on_session(session=first, by=a.user, rating=1)
    moved = move(first, days_ago=110)
    guideline = Guideline.objects.filter(programme=programme).order_by("position", "pk").first()
    save_session(
        session=moved,
        by=moved.mentor.user,
        version=moved.version,
        fields={},
        checks={guideline.pk: ("", "")},
    )

    found = kept()
    assert found == counted_afresh(programme)
    rows = {(r.mentee_id, r.month): r for r in FeedbackMonth.objects.all()}
    assert (a.pk, month(75)) not in rows  # 35 days apart: always another month
    assert rows[a.pk, month(110)].r1 == 1 and rows[a.pk, month(110)].more == 0
    assert rows[a.pk, month(5)].rating_sum == 3


def test_a_draft_is_not_counted_until_it_is_logged(programme):
    mentor = make_mentor(programme)
    mentee = make_mentee(programme, mentor=mentor)
    pairing = Pairing.objects.get(mentee=mentee)
    session = start_session(pairing=pairing, by=mentor.user)
    guideline = Guideline.objects.filter(programme=programme).first()
    draft = save_session(
        session=session,
        by=mentor.user,
        version=session.version,
        fields={},
        checks={guideline.pk: ("yes", "")},
    )
    assert not SelfCheckMonth.objects.exists()
    save_session(session=draft, by=mentor.user, version=draft.version, fields={}, log=True)
    assert SelfCheckMonth.objects.get().checks == 1
    assert kept() == counted_afresh(programme)


def test_the_figures_read_from_the_tallies_are_the_sessions_figures(programme):
    mentor = make_mentor(programme)
    mentees = [make_mentee(programme, mentor=mentor) for _ in range(3)]
    for n, mentee in enumerate(mentees):
        log(mentee, days_ago=5, checks=("yes",), rating=3 + n, frequency="right")
        log(mentee, days_ago=45, checks=("no",), rating=5, good_way_to_meet=n != 0)
    found = feedback(programme, month(150), month(0), checks=True)
    assert found.everyone["ratings"] == 6
    assert found.everyone["rating_sum"] == (3 + 4 + 5) + 3 * 5
    assert found.everyone["rated_partners"] == 3  # each mentee once, over two months
    assert found.everyone["pulse_partners"] == 3
    assert (found.everyone["good_yes"], found.everyone["good_no"]) == (2, 1)
    assert found.everyone["right"] == 3
    [by_mentor] = found.mentors
    assert (by_mentor["mentor"], by_mentor["ratings"], by_mentor["rated_partners"]) == (
        mentor.pk,
        6,
        3,
    )
    assert found.months[month(5)]["ratings"] == 3
    assert found.months[month(45)]["r5"] == 3
    answers = {(answer, when): n for _, answer, when, n in found.checks}
    assert answers[("yes", month(5))] == 3 and answers[("no", month(45))] == 3
    # From a later month on, the earlier month's answers are not counted.
    assert feedback(programme, month(5), month(0)).everyone["ratings"] == 3
    # Up to a month: a session dated in a month still to come (tomorrow, on the last day
    # of one) is counted once it comes, in the month rows and the totals alike.
    assert feedback(programme, month(150), month(45)).everyone["ratings"] == 3


def test_a_mentee_who_left_drops_out_of_the_ratings_and_the_self_checks_alike(programme):
    mentor = make_mentor(programme)
    stays, leaves = make_mentee(programme, mentor=mentor), make_mentee(programme, mentor=mentor)
    log(stays, days_ago=3, checks=("yes",), rating=4)
    log(leaves, days_ago=3, checks=("yes",), rating=1)
    type(leaves).objects.filter(pk=leaves.pk).update(is_active=False)
    found = feedback(programme, month(3), month(0), checks=True)
    assert (found.everyone["ratings"], found.everyone["rating_sum"]) == (1, 4)
    assert sum(n for *_, n in found.checks) == 1  # as the ratings: the mentees in the cohort


def test_the_command_counts_everything_again(programme):
    mentor = make_mentor(programme)
    log(make_mentee(programme, mentor=mentor), days_ago=3, checks=("yes",), rating=4)
    before = kept()
    FeedbackMonth.objects.all().delete()
    SelfCheckMonth.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_tallies", stdout=out)
    assert kept() == before and "1 programme" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_from_one_mentee_are_both_counted():
    """The mentee answers about two sessions in two tabs at the same moment: the second
    save waits for the first to commit before counting the mentee's rows again, so neither
    count is written over by one that missed the other's answer."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the lock is PostgreSQL's")
    programme = make_programme(make_user("Lena Lead"))
    mentor = make_mentor(programme)
    mentee = make_mentee(programme, mentor=mentor)
    # Both in one month: one row holds both answers.
    first, second = (log(mentee, days_ago=2, checks=("yes",)) for _ in range(2))
    counted = threading.Event()
    errors: list[BaseException] = []

    def answer_first() -> None:
        try:
            with transaction.atomic():
                reflect_on_session(session=first, by=mentee.user, rating=2)
                counted.set()  # counted, not yet committed: the other save starts now
                time.sleep(0.5)
        except BaseException as exc:  # reported below, on the test's own thread
            errors.append(exc)
        finally:
            counted.set()
            connection.close()

    def answer_second() -> None:
        try:
            counted.wait(timeout=10)
            reflect_on_session(session=second, by=mentee.user, rating=5)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer_first), threading.Thread(target=answer_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(FeedbackMonth.objects.values_list("rating_sum", flat=True)) == 7
    assert kept() == counted_afresh(programme)
