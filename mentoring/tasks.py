from celery import shared_task

from mentoring.services import outbox, pace
from programmes.services import notification


@shared_task
def deliver_email(email_id: int) -> bool:
    # Failures are recorded on the row and retried by retry_due_emails, one retry path.
    return outbox.deliver_outbound_email(email_id=email_id)


@shared_task
def retry_due_emails() -> int:
    ids = outbox.due_email_ids()
    for email_id in ids:
        # The app's tasks are DjangoTasks; celery-types types shared_task as a plain Task.
        deliver_email.delay_on_commit(email_id)  # type: ignore[attr-defined]
    return len(ids)


# Each task sends this many notifications: enough to make a batch worth a message, few
# enough that a worker killed half way leaves little for the next run.
NOTIFICATION_BATCH = 200


@shared_task
def sweep_pace() -> int:
    """Judge everyone whose pace check is due and record their nudges; then each lead's
    weekly digest. Sends nothing itself: `deliver_notifications` does."""
    result = pace.sweep()
    pace.lead_digests()
    return result.judged


@shared_task
def deliver_notifications() -> int:
    """Queue the notifications whose email is due, in batches of ids."""
    ids = notification.due_email_ids()
    for start in range(0, len(ids), NOTIFICATION_BATCH):
        # The app's tasks are DjangoTasks; celery-types types shared_task as a plain Task.
        send_notifications.delay_on_commit(  # type: ignore[attr-defined]
            ids[start : start + NOTIFICATION_BATCH]
        )
    return len(ids)


@shared_task
def send_notifications(ids: list[int]) -> int:
    """Email each notification in the batch that is still waiting. Each is claimed first,
    so a retried or duplicated task sends nothing twice."""
    return sum(notification.email_notification(pk) for pk in ids)
