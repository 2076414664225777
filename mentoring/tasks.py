from celery import shared_task

from mentoring.services import outbox


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
