"""Email goes through an outbox: sent once from a worker, retried, never doubled."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentoring.models import OutboundEmail
from mentoring.services.outbox import MAX_ATTEMPTS, deliver_outbound_email, due_email_ids


def _queue(html_body: str = "") -> OutboundEmail:
    message = EmailMultiAlternatives("Hello", "Body", to=["a@example.org"], cc=["c@example.org"])
    if html_body:
        message.attach_alternative(html_body, "text/html")
    assert message.send() == 1
    return OutboundEmail.objects.latest("pk")


@pytest.mark.django_db
def test_a_queued_email_is_delivered_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(html_body="<p>Body</p>")
        assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives[0].content == "<p>Body</p>"
    assert mail.outbox[0].cc == ["c@example.org"]


@pytest.mark.django_db
def test_mail_sent_in_a_change_that_rolls_back_is_never_delivered(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _queue()
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_delivering_the_same_email_twice_sends_it_once(django_capture_on_commit_callbacks):
    email = _queue()
    assert deliver_outbound_email(email_id=email.pk) is True
    assert deliver_outbound_email(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def _failing_mail_server():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("mail server down"),
    )


@pytest.mark.django_db
def test_a_failed_send_is_kept_and_retried_when_due_not_before():
    email = _queue()
    with _failing_mail_server():
        assert deliver_outbound_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 1
    assert "mail server down" in email.last_error
    assert email.pk not in due_email_ids()  # its retry is a minute away
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert due_email_ids() == [email.pk]
    assert deliver_outbound_email(email_id=email.pk) is True
    assert len(mail.outbox) == 1
    assert due_email_ids() == []


@pytest.mark.django_db
def test_after_the_last_attempt_an_email_is_marked_failed_and_left_alone():
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS - 1)
    with _failing_mail_server():
        deliver_outbound_email(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert due_email_ids() == []


@pytest.mark.django_db
def test_a_first_delivery_whose_task_was_lost_is_picked_up_after_a_grace_period():
    email = _queue()
    assert email.pk not in due_email_ids()  # its task is presumably on its way
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=10)
    )
    assert due_email_ids() == [email.pk]


@pytest.mark.django_db
def test_an_email_claimed_by_a_worker_that_died_is_picked_up_again_later():
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now()
    )
    assert deliver_outbound_email(email_id=email.pk) is False  # still someone else's
    assert email.pk not in due_email_ids()
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert email.pk in due_email_ids()
    assert deliver_outbound_email(email_id=email.pk) is True


@pytest.mark.django_db
def test_password_reset_mail_from_allauth_goes_through_the_outbox(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": cast.mentee.email})
    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.to == [cast.mentee.email]
    assert email.status == OutboundEmail.Status.SENT
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
