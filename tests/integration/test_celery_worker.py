"""Tasks reach a real worker through Redis only when the transaction that queued them commits."""

import pytest
from django.core.mail import send_mail
from django.db import transaction

from mentoring.models import OutboundEmail

pytestmark = pytest.mark.integration

TASK = "mentoring.tasks.deliver_email"


class Abandon(Exception):
    pass


def _queue(subject: str) -> OutboundEmail:
    send_mail(subject, f"{subject} body", None, ["partner@example.org"])
    return OutboundEmail.objects.get(subject=subject)


def _mail_text(worker) -> str:
    if not worker.mail_dir.exists():
        return ""
    return "".join(path.read_text() for path in sorted(worker.mail_dir.iterdir()))


def test_a_task_queued_in_a_committed_transaction_runs_on_the_worker(celery_worker):
    with transaction.atomic():
        email = _queue("Committed")
    celery_worker.wait_until(
        lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT
    )
    assert "Subject: Committed" in _mail_text(celery_worker)


def test_a_task_queued_in_a_rolled_back_transaction_never_runs(celery_worker):
    with pytest.raises(Abandon), transaction.atomic():
        _queue("Rolled back")
        raise Abandon
    # A later committed task passes through the same single queue; once it is done, the
    # rolled-back one would have been received before it, had it ever been sent.
    with transaction.atomic():
        sentinel = _queue("Sentinel")
    celery_worker.wait_until(
        lambda: OutboundEmail.objects.get(pk=sentinel.pk).status == OutboundEmail.Status.SENT
    )
    assert celery_worker.received(TASK) == 1
    assert "Rolled back" not in _mail_text(celery_worker)
    assert not OutboundEmail.objects.filter(subject="Rolled back").exists()
