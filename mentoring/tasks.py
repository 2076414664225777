from celery import shared_task

from . import services


@shared_task(autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=1800, max_retries=4)
def deliver_email(email_id: int) -> bool:
    return services.deliver_outbound_email(email_id=email_id)


@shared_task
def retry_stalled_emails() -> int:
    ids = services.stalled_email_ids()
    for email_id in ids:
        deliver_email.delay_on_commit(email_id)
    return len(ids)
