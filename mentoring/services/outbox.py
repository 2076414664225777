from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.utils import timezone

from mentoring.models import (
    OutboundEmail,
)

logger = logging.getLogger(__name__)


# A claim older than this is taken to belong to a worker that died mid-send. It is longer
# than Celery's hard time limit, so a slow send that is still running is never doubled.
STALE_CLAIM_AFTER = timedelta(seconds=settings.CELERY_HARD_TIME_LIMIT * 2)


MAX_ATTEMPTS = 6


# The mailer that really sends (SMTP in production); "default" is the outbox itself.
DELIVERY_MAILER = "delivery"


# A first delivery is enqueued on commit; this long after, the sweeper assumes it was lost.
LOST_TASK_GRACE = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """1, 4, 16, 64 minutes... after each failed attempt, capped at six hours."""
    return min(timedelta(minutes=4 ** (attempts - 1)), timedelta(hours=6))


def claim_email(email_id: int) -> bool:
    """Claim an email for sending; False if it is sent, given up on, or another worker has it."""
    now = timezone.now()
    claimable = Q(status=OutboundEmail.Status.PENDING) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    return bool(
        OutboundEmail.objects.filter(claimable, pk=email_id).update(
            status=OutboundEmail.Status.SENDING, claimed_at=now
        )
    )


def deliver_outbound_email(*, email_id: int) -> bool:
    """Send one outbox email. Returns whether this call sent it.

    A retried task or a second worker finds the row claimed or sent and does nothing. The
    one window no outbox can close: a worker killed after the mail server accepted the
    message but before the row is marked sent; the sweeper then sends it once more.
    """
    if not claim_email(email_id):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email or None,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers or None,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    attempts = email.attempts + 1
    try:
        message.send(using=DELIVERY_MAILER)
    except Exception as exc:
        given_up = attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.FAILED if given_up else OutboundEmail.Status.PENDING,
            attempts=attempts,
            last_error=repr(exc)[:2000],
            claimed_at=None,
            next_attempt_at=timezone.now() + retry_delay(attempts),
        )
        logger.warning("Sending email %s failed (attempt %s): %r", email_id, attempts, exc)
        return False
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT, attempts=attempts, sent_at=timezone.now()
    )
    return True


def due_email_ids(limit: int = 500) -> list[int]:
    """Emails to try (again) now: failed ones whose retry is due, first attempts whose task
    seems lost, and claims abandoned by a worker that died."""
    now = timezone.now()
    return list(
        OutboundEmail.objects.filter(
            Q(status=OutboundEmail.Status.PENDING, attempts__gt=0, next_attempt_at__lte=now)
            | Q(
                status=OutboundEmail.Status.PENDING,
                attempts=0,
                next_attempt_at__lte=now - LOST_TASK_GRACE,
            )
            | Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
