"""The default email backend: every email any part of the product sends lands in the outbox.

Apps send mail with Django's ordinary API (`EmailMultiAlternatives(...).send()`, allauth's
adapter, `send_mail`). This backend stores each message as an `OutboundEmail` row, in the
same transaction as the change that caused it, and asks a worker to deliver it through the
`delivery` mailer once that transaction commits. A rolled-back change sends nothing; a slow
mail server never holds up a page; a failed send is retried instead of lost.
"""

import functools
import sys

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from mentoring.models import OutboundEmail


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        stored = 0
        for message in email_messages:
            if not message.recipients():
                continue
            html_body = next(
                (
                    content
                    for content, mimetype in getattr(message, "alternatives", [])
                    if mimetype == "text/html"
                ),
                "",
            )
            text_body = message.body
            if message.content_subtype == "html":
                html_body, text_body = message.body, ""
            email = OutboundEmail.objects.create(
                to=list(message.to),
                cc=list(message.cc),
                bcc=list(message.bcc),
                reply_to=list(message.reply_to),
                subject=" ".join(str(message.subject).splitlines()).strip(),
                text_body=text_body,
                html_body=html_body,
                from_email=message.from_email or "",
                headers=dict(message.extra_headers),
            )
            # After commit, and robustly: with the broker down the change is already saved
            # and the person must not see an error; the row stays pending and
            # retry_due_emails sends it once the broker is back.
            transaction.on_commit(functools.partial(_queue, email.pk), robust=True)
            stored += 1
        return stored


def _queue(email_id: int) -> None:
    from mentoring.tasks import deliver_email

    deliver_email.delay(email_id)


class ReadableConsoleBackend(BaseEmailBackend):
    """The trial mode's real mailer: prints each email as plain text, links unbroken, where
    Django's console backend would print the encoded MIME message."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            sys.stdout.write(
                "\n".join(
                    [
                        "-" * 72,
                        f"Email to {', '.join(message.recipients())}",
                        f"Subject: {message.subject}",
                        "",
                        message.body,
                        "-" * 72,
                        "",
                    ]
                )
            )
            sys.stdout.flush()
        return len(email_messages)
