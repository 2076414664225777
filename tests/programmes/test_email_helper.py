"""The email helper: every email under templates/emails/ renders through it, on one base."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils.html import escape

from mentoring.models import OutboundEmail
from playbooks.models import Section
from programmes.email import build_email, send_email, send_emails
from programmes.models import Invitation, Notification, NotificationKind, Role

pytestmark = pytest.mark.django_db

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
NAMES = sorted(path.name.removesuffix("_subject.txt") for path in EMAILS.glob("*_subject.txt"))
# Characters HTML escapes and plain text must keep: a text email that shows "&amp;" is broken.
NAME = 'Ann & "Bo" O\'Neil'
LINK = "http://testserver/somewhere/?a=1&b=2"


def _section(cast) -> Section:
    section = (
        Section.objects.filter(playbook__membership=cast.mentee_membership)
        .select_related("template_section")
        .first()
    )
    assert section is not None
    return section


def _invitation(cast) -> dict:
    invitation = Invitation.objects.create(
        programme=cast.programme,
        email="ann@example.org",
        name=NAME,
        role=Role.MENTEE,
        invited_by=cast.lead,
    )
    return {"invitation": invitation, "link": LINK, "role_word": "partner"}


def _notification(cast) -> dict:
    notification = Notification(
        recipient=cast.mentee,
        kind=NotificationKind.SESSION_DUE,
        title="Time to meet your mentor again",
        body="No session since 3 March & counting; the agreed rhythm is fortnightly.",
        reason="You were marked slipping: no session since 3 March.",
        link="/somewhere/",
    )
    return {
        "notification": notification,
        "link": LINK,
        "settings_url": "http://testserver/accounts/notifications/settings/",
        "unsubscribe_url": "http://testserver/notifications/unsubscribe/abc/",
        "kind_label": NotificationKind.SESSION_DUE.label,
    }


def _membership_removed(cast) -> dict:
    membership = cast.mentee_membership
    return {"membership": membership, "role_word": "partner", "by": cast.lead, "link": LINK}


# What each email's sender puts in its context; a new email needs a line here to be tested.
CONTEXTS = {
    "invitation": _invitation,
    "membership_removed": _membership_removed,
    "notification": _notification,
}


def _build(name, cast):
    assert name in CONTEXTS, f"emails/{name}_*: add its context to CONTEXTS in this test"
    cast.mentee.name = cast.mentor.name = cast.lead.name = NAME
    context = {"recipient": cast.mentee, **CONTEXTS[name](cast)}
    return build_email(name, to="someone@example.org", context=context)


def test_every_email_has_all_three_templates():
    assert NAMES, "no emails found"
    for name in NAMES:
        for part in ("subject.txt", "body.txt", "body.html"):
            assert (EMAILS / f"{name}_{part}").is_file(), f"emails/{name}_{part} is missing"


@pytest.mark.parametrize("name", NAMES)
def test_each_email_renders_with_a_text_and_an_html_part(name, cast):
    message = _build(name, cast)
    assert message.to == ["someone@example.org"]
    assert message.body.strip()
    assert [mimetype for _, mimetype in message.alternatives] == ["text/html"]


@pytest.mark.parametrize("name", NAMES)
def test_each_html_body_extends_the_one_base(name, cast):
    source = (EMAILS / f"{name}_body.html").read_text()
    assert source.startswith('{% extends "emails/base.html" %}')
    html = message_html(_build(name, cast))
    assert html.startswith("<!doctype html>")
    assert '<table role="presentation" width="560"' in html
    assert f"<p>Hello {escape(NAME)},</p>" in html
    assert escape(LINK) in html and LINK not in html


@pytest.mark.parametrize("name", NAMES)
def test_each_text_body_greets_signs_off_and_is_not_html_escaped(name, cast):
    source = (EMAILS / f"{name}_body.txt").read_text()
    assert source.startswith('{% extends "emails/base.txt" %}')
    body = _build(name, cast).body
    assert body.startswith(f"Hello {NAME},\n\n")
    assert body.rstrip().endswith("\n\nMentoring")
    assert LINK in body
    assert "&amp;" not in body and "&quot;" not in body and "&#x27;" not in body


@pytest.mark.parametrize("name", NAMES)
def test_each_subject_is_one_line_and_not_html_escaped(name, cast):
    subject = _build(name, cast).subject
    assert subject and "\n" not in subject and subject == subject.strip()
    assert "&amp;" not in subject and "&quot;" not in subject and "&#x27;" not in subject


def test_the_invitation_greets_the_invited_person_by_the_name_on_the_invitation(cast):
    cast.mentee.name = "Not This One"
    context = _invitation(cast)
    body = build_email("invitation", to="ann@example.org", context=context).body
    assert body.startswith(f"Hello {NAME},")


def test_sent_email_is_stored_in_the_outbox_and_delivered_once_the_change_commits(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            "membership_removed",
            to=cast.mentee.email,
            context={"recipient": cast.mentee, **_membership_removed(cast)},
        )
        assert OutboundEmail.objects.get().to == [cast.mentee.email]
        assert mail.outbox == []
    [delivered] = mail.outbox
    assert cast.programme.name in delivered.subject
    assert LINK in delivered.body and escape(LINK) in message_html(delivered)


def test_a_batch_is_sent_as_one_email_per_message(cast, django_capture_on_commit_callbacks):
    context = _membership_removed(cast)
    people = [cast.mentor, cast.other_mentor]
    with django_capture_on_commit_callbacks(execute=True):
        send_emails(
            build_email("membership_removed", to=p.email, context={**context, "recipient": p})
            for p in people
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)


def message_html(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")
