"""Nudges through a real Redis broker and a real Celery worker process: the sweep judges,
the worker emails, and nothing is sent twice or lost when the worker dies or the broker
goes away.

(That a task queued in a transaction that rolls back never reaches the worker is tested
once, for every task, in test_celery_worker.py: nudges add nothing to it, since the
worker only ever emails notifications whose rows were committed.)
"""

import re
import time
from collections import Counter

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentoring.models import OutboundEmail
from mentoring.services.pace import sweep
from mentoring.tasks import deliver_notifications, retry_due_emails, sweep_pace
from programmes.models import (
    NUDGE_KINDS,
    EmailStatus,
    Membership,
    Notification,
    NotificationKind,
    Programme,
)
from tests.factories import make_user
from tests.integration.conftest import Worker, text_of
from tests.mentoring.test_pace_sweep import calm_programme, paired_mentee

pytestmark = pytest.mark.integration

SLOW = 0.6  # seconds each email takes in the worker that is killed


def _programme() -> Programme:
    return calm_programme(make_user("Lena Lead", "lead@example.org"))


def _outbox_empty() -> bool:
    return not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()


def _all_delivered() -> bool:
    """Every notification meant for email claimed, and every email the worker was given sent."""
    return (
        not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()
        and _outbox_empty()
    )


def _times_each_was_sent(worker: Worker) -> Counter[tuple[str, str]]:
    return Counter((str(m["To"]), str(m["Subject"])) for m in worker.mails())


def _assert_every_email_sent_exactly_once(worker: Worker) -> None:
    """Each notification meant for email was emailed, once; and so was everything else the
    outbox holds."""
    sent = _times_each_was_sent(worker)
    notifications = list(
        Notification.objects.filter(~Q(email_status=EmailStatus.NONE)).select_related("recipient")
    )
    assert notifications
    for n in notifications:
        assert n.email_status == EmailStatus.SENT, n
        assert sent[(n.recipient.email, n.title)] == 1, (n.kind, n.title)
    outbox = Counter((", ".join(e.to), e.subject) for e in OutboundEmail.objects.all())
    assert sent == outbox


def _wait_for_success(worker: Worker, task: str) -> None:
    done = re.compile(rf"Task {re.escape(task)}\[[^\]]+\] succeeded")
    worker.wait_until(lambda: bool(done.search(worker.log.read_text())))


def _nudges_by_email() -> set[tuple[str, str]]:
    return {
        (n.recipient.email, n.title)
        for n in Notification.objects.nudges().select_related("recipient")
    }


def test_two_mentees_at_different_paces_get_different_nudges_by_email_once_each(celery_worker):
    now = timezone.now()
    programme = _programme()
    weekly = paired_mentee(programme, cadence="weekly", silent_days=10, now=now)
    monthly = paired_mentee(programme, cadence="monthly", silent_days=40, now=now)

    sweep_pace.delay()
    _wait_for_success(celery_worker, "mentoring.tasks.sweep_pace")
    deliver_notifications.delay()
    _wait_for_success(celery_worker, "mentoring.tasks.deliver_notifications")
    celery_worker.wait_until(_all_delivered)

    to_weekly = Notification.objects.get(recipient=weekly.user, kind__in=NUDGE_KINDS)
    to_monthly = Notification.objects.get(recipient=monthly.user, kind__in=NUDGE_KINDS)
    assert to_weekly.kind == to_monthly.kind == NotificationKind.SESSION_DUE
    assert "weekly" in to_weekly.body and "monthly" in to_monthly.body
    # The weekly pair's planned date has just passed: their mentor is asked to log it; the
    # monthly pair is only a third of an interval past theirs, so their mentor hears nothing.
    weekly_mentor = weekly.mentee_pairings.get().mentor.user
    monthly_mentor = monthly.mentee_pairings.get().mentor.user
    assert [n.kind for n in Notification.objects.filter(recipient=weekly_mentor).nudges()] == [
        NotificationKind.LOG_SESSION
    ]
    assert not Notification.objects.filter(recipient=monthly_mentor).nudges().exists()

    _assert_every_email_sent_exactly_once(celery_worker)
    nudges = _nudges_by_email()
    mails = {
        str(m["To"]): m
        for m in celery_worker.mails()
        if (str(m["To"]), str(m["Subject"])) in nudges
    }
    for nudge, mentee in ((to_weekly, weekly), (to_monthly, monthly)):
        text = text_of(mails[mentee.user.email])
        assert nudge.body in text
        assert f"Why you got this: {nudge.reason}" in text


def test_a_worker_killed_mid_batch_and_restarted_sends_every_pending_nudge_once(start_worker):
    now = timezone.now()
    programme = _programme()
    for _ in range(5):
        paired_mentee(programme, cadence="weekly", silent_days=16, now=now)
    assert sweep().nudges == 10  # each mentee, and each of their mentors
    # Only the nudges are emailed here: the pairings' and cadences' events are not the point.
    Notification.objects.exclude(kind__in=NUDGE_KINDS).update(email_status=EmailStatus.NONE)
    nudges = _nudges_by_email()
    worker = start_worker(
        EMAIL_BACKEND="tests.integration.conftest.SlowFileBackend",
        SLOW_EMAIL_SECONDS=str(SLOW),
        # Redis hands an unacknowledged task to a worker again after this long; the hard
        # time limit must be shorter (settings refuse otherwise).
        CELERY_VISIBILITY_TIMEOUT="10",
        CELERY_HARD_TIME_LIMIT="5",
    )
    # The emails the setup itself sent (each logged session) go first: let them.
    worker.wait_until(_outbox_empty, 60)

    def nudges_mailed() -> int:
        return sum(1 for m in worker.mails() if (str(m["To"]), str(m["Subject"])) in nudges)

    deliver_notifications.delay()
    worker.wait_until(lambda: nudges_mailed() >= 3, 60)
    # Half-way through the next email's wait: killed while a message is on its way, not in
    # the one window no outbox can close (the mail server has the message and its row is
    # not yet marked sent), which lasts a millisecond after each file is written.
    time.sleep(SLOW / 2)
    worker.kill()

    assert 3 <= nudges_mailed() < len(nudges)
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING).count() == 1
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING).exists()

    worker.start()
    # Beat asks every minute for the emails a dead worker held; here, every few seconds.
    deadline = time.monotonic() + 120
    while not _all_delivered():
        assert time.monotonic() < deadline, worker.log.read_text()
        retry_due_emails.delay()
        time.sleep(3)

    assert nudges_mailed() == len(nudges) == 10
    _assert_every_email_sent_exactly_once(worker)


def test_with_the_broker_down_pages_answer_and_nudges_go_out_once_it_is_back(
    own_broker, start_worker, client
):
    worker = start_worker(CELERY_BROKER_URL=own_broker.url)
    now = timezone.now()
    programme = _programme()
    mentee = paired_mentee(programme, cadence="weekly", silent_days=16, now=now)
    worker.wait_until(_outbox_empty)

    own_broker.stop()
    client.force_login(mentee.user)
    assert client.get(reverse("mentoring:home")).status_code == 200
    assert client.get(reverse("mentoring:notifications")).status_code == 200
    client.force_login(programme.memberships.get(role="lead").user)
    assert client.get(reverse("programmes:people", args=[programme.slug])).status_code == 200
    # The sweep records its nudges in the database; no broker is needed to remember them.
    assert sweep().nudges == 2
    assert Notification.objects.nudges().filter(email_status=EmailStatus.PENDING).count() == 2

    own_broker.start()
    deliver_notifications.delay()
    worker.wait_until(_all_delivered, 90)

    _assert_every_email_sent_exactly_once(worker)
    assert Membership.objects.get(pk=mentee.pk).pace_checked_at is not None


def test_with_the_broker_down_a_change_that_sends_email_still_answers(
    own_broker, start_worker, client
):
    start_worker(CELERY_BROKER_URL=own_broker.url)
    programme = _programme()
    own_broker.stop()
    client.force_login(programme.memberships.get(role="lead").user)

    response = client.post(
        reverse("programmes:invite", args=[programme.slug]),
        {"name": "Nia Newcomer", "email": "nia@example.org", "role": "mentee"},
    )

    assert response.status_code == 302
    assert OutboundEmail.objects.filter(to=["nia@example.org"], status="pending").exists()
