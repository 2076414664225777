"""How allauth fits this product: who may sign up, and how its emails are sent."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives

from .services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_SIGNUP_OPEN

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the request, deliver from a worker: a slow mail server never holds up a
        page, and a failed send is retried instead of lost."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html_body = ""
        text_body = message.body
        if isinstance(message, EmailMultiAlternatives):
            html_body = next(
                (content for content, mimetype in message.alternatives if mimetype == "text/html"),
                "",
            )
        elif message.content_subtype == "html":
            html_body = message.body
            text_body = ""
        queue_email(
            to=list(message.to),
            subject=message.subject,
            text_body=text_body,
            html_body=html_body,
            from_email=message.from_email,
            headers=dict(message.extra_headers),
        )
