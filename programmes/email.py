"""Every email the product sends, built and sent one way.

An email named `name` is three templates under templates/emails/: `<name>_subject.txt`,
`<name>_body.txt` and `<name>_body.html`. The bodies extend `emails/base.txt` and
`emails/base.html`, which hold the greeting, the sign-off and the mail-client-safe layout.

Mail leaves through Django's default mailer, which here is the outbox
(`mentoring.outbox.OutboxBackend`): the message is stored in the caller's transaction and
delivered once it commits, so a rolled-back change sends nothing.

This module sits at the bottom of the import graph so that every app can use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.template.loader import render_to_string


def build_email(
    name: str, *, to: str | Sequence[str], context: Mapping[str, Any]
) -> EmailMultiAlternatives:
    """The email `name` rendered with `context` for `to`: a one-line subject, a text body
    and the HTML body as its alternative. Nothing is sent."""
    context = dict(context)
    subject = render_to_string(f"emails/{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        # A header cannot hold a line break; templates may wrap for readability.
        subject=" ".join(subject.split()),
        body=render_to_string(f"emails/{name}_body.txt", context),
        to=[to] if isinstance(to, str) else list(to),
    )
    message.attach_alternative(render_to_string(f"emails/{name}_body.html", context), "text/html")
    return message


def send_emails(messages: Iterable[EmailMessage]) -> None:
    """Send built emails together, through the default mailer (the outbox)."""
    mailers.default.send_messages(list(messages))


def send_email(name: str, *, to: str | Sequence[str], context: Mapping[str, Any]) -> None:
    """Build the email `name` (see `build_email`) and send it through the outbox."""
    send_emails([build_email(name, to=to, context=context)])
