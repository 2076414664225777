"""Closing a person's account, in the spirit of pretix's shredder: what is theirs is deleted;
what others keep about working with them stays, with the person shown as "a former member".

The rule, which the delete page says in plain words:

- **Deleted: what they wrote or recorded themselves.** Their profile and sign-in (email
  addresses, linked accounts, two-factor), notification settings and notifications, their
  playbooks with every revision and the comments on them, activity completions, assessment
  answers, reflections, engagement preferences and targets, requests for another mentor,
  themes mapped to the strategy; as a mentor, their offer, unlogged drafts and the notes of
  their guideline self-checks; invitations to their address; email waiting to be sent to
  them.
- **Kept, anonymous: what others recorded, and the programme's figures.** Their place in
  each programme (role, dates, phase progress and moves), ended pairings, the session logs
  their mentor wrote (or, as a mentor, wrote for their partners), the ratings and pulse
  answers that leads only ever see in aggregate, the yes / partly / no of guideline
  self-checks, workshop attendance, sign-offs, comments they left in someone else's
  playbook. The account itself becomes a nameless row ("A former member", an address that
  cannot receive mail, no password), because those records point at it; every name and
  address of theirs in the audit trail and in other people's notifications is replaced.
- A person who never joined a programme leaves nothing shared: their account is deleted
  outright.

Their pairings end and each programme's figures are recomputed. A programme's only lead
can't close their account while others are in it: someone must lead it first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import parseaddr

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import escape

from mentoring.models import (
    CalendarFeed,
    EngagementPreference,
    GuidelineCheck,
    MentorChangeRequest,
    MentoringSession,
    MentorProfile,
    OutboundEmail,
    Reflection,
    SessionStatus,
    User,
)
from mentoring.services.membership import leave_programme, role_word, sole_lead_of
from playbooks.models import Completion, PersonalTarget, Playbook, ThemeMapping
from programmes import figures
from programmes.errors import Invalid
from programmes.models import (
    AssessmentResponse,
    AuditAction,
    AuditEntry,
    Invitation,
    Membership,
    Notification,
    NotificationSettings,
)
from programmes.policy import SYSTEM, Actor, require
from programmes.services import audit

FORMER_MEMBER = "A former member"
# The address a closed account keeps: unique, and one no mail can ever reach (RFC 2606).
FORMER_ADDRESS = "former-member-{pk}@deleted.invalid"


class AccountError(Invalid):
    """An account that can't be closed yet; the message says what to do first."""


def handover_message(sole: Iterable[Membership]) -> str:
    names = ", ".join(m.programme.name for m in sole)
    return (
        f"You are the only lead of {names}, and others are in it. Invite someone as a lead "
        "there first; once they have joined, you can delete your account."
    )


@transaction.atomic
def delete_account(*, user: User, by: Actor) -> User | None:
    """Close `user`'s account as the module says, in one transaction. Only the person
    themself may (the page asks them to sign in again first). Returns the anonymous row
    that stays, or None when the account was deleted outright."""
    require(
        getattr(by, "is_authenticated", False) and by.pk == user.pk,
        "Only you can delete your own account.",
    )
    user = User.objects.select_for_update().get(pk=user.pk)
    sole = sole_lead_of(user)
    if sole:
        raise AccountError(handover_message(sole))
    memberships = list(Membership.objects.filter(user=user).select_related("programme"))
    invitations = Invitation.objects.filter(email__iexact=user.email)
    names = _names_of(user, invited_as=invitations.values_list("name", flat=True))
    leaving = [m for m in memberships if m.is_active]
    for membership in leaving:
        leave_programme(membership=membership, by=user, reason="One of you closed their account.")
    _delete_their_own(user, memberships)
    programme_ids = {m.programme_id for m in memberships} | set(
        invitations.values_list("programme_id", flat=True)
    )
    _forget_names(user, names, programme_ids, memberships)
    invitations.delete()
    Invitation.objects.filter(mentor_email__iexact=user.email).update(mentor_email="")
    if not memberships:
        user.delete()
        return None
    for membership in leaving:
        audit.record(
            AuditAction.REMOVED_FROM_PROGRAMME,
            programme=membership.programme_id,
            by=SYSTEM,
            summary=f"A former member closed their account and left as {role_word(membership)}",
        )
    figures.changed(*(m.programme.slug for m in memberships))
    _anonymise(user)
    return user


def _delete_their_own(user: User, memberships: list[Membership]) -> None:
    ids = [m.pk for m in memberships]
    Reflection.objects.filter(session__mentee_id__in=ids).delete()
    Playbook.objects.filter(membership_id__in=ids).delete()  # sections, revisions, comments
    Completion.objects.filter(membership_id__in=ids).delete()
    AssessmentResponse.objects.filter(membership_id__in=ids).delete()  # and the answers
    EngagementPreference.objects.filter(membership_id__in=ids).delete()
    PersonalTarget.objects.filter(membership_id__in=ids).delete()
    ThemeMapping.objects.filter(membership_id__in=ids).delete()
    MentorChangeRequest.objects.filter(mentee_id__in=ids).delete()
    MentorProfile.objects.filter(membership_id__in=ids).delete()
    MentoringSession.objects.filter(mentor_id__in=ids, status=SessionStatus.DRAFT).delete()
    GuidelineCheck.objects.filter(session__mentor_id__in=ids).update(note="")
    Notification.objects.filter(recipient=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    # Revoked, not deleted: an old calendar address keeps answering 404 (see CalendarFeed).
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _mail_to(user.email).delete()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()


def _mail_to(address: str) -> QuerySet[OutboundEmail]:
    """Mail in the outbox, sent or not, to `address` (alone or with others). Recipients are
    a JSON list: read as text to find candidates, then matched address by address."""
    candidates = OutboundEmail.objects.annotate(recipients=Cast("to", models.TextField())).filter(
        recipients__icontains=address
    )
    wanted = address.lower()
    ids = [
        mail.pk
        for mail in candidates.only("pk", "to")
        if any(parseaddr(to)[1].lower() == wanted for to in mail.to)
    ]
    return OutboundEmail.objects.filter(pk__in=ids)


def _names_of(user: User, *, invited_as: Iterable[str] = ()) -> list[str]:
    """Every way the product may have written the person down, longest first: their
    address, their name, and the names leads typed when inviting them."""
    found = {user.email, user.name.strip(), user.display_name, *(n.strip() for n in invited_as)}
    return sorted((n for n in found if n), key=len, reverse=True)


def _replacer(names: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _scrub(pattern: re.Pattern[str], text: str) -> str:
    def instead(found: re.Match[str]) -> str:
        before = text[: found.start()].rstrip()
        starts_sentence = not before or before[-1] in ".!?>\n"
        return FORMER_MEMBER if starts_sentence else FORMER_MEMBER.lower()

    return pattern.sub(instead, text)


def _forget_names(
    user: User, names: list[str], programme_ids: set[int], memberships: list[Membership]
) -> None:
    """Replace the person's name and address in what others keep: the audit trail of
    their programmes, other people's notifications there, and mail in the outbox. All were
    written as sentences at the time, so the words themselves are changed (audit entries
    through a bulk update: the model refuses a second save, which this erasure is not)."""
    pattern = _replacer(names)
    mentions = Q()
    for name in names:
        mentions |= Q(summary__contains=name)
    entries = list(
        AuditEntry.objects.filter(Q(actor=user) | mentions, programme_id__in=programme_ids)
    )
    for entry in entries:
        entry.summary = _scrub(pattern, entry.summary)
        if entry.actor_id == user.pk:
            entry.actor_name = FORMER_MEMBER
    AuditEntry.objects.bulk_update(entries, ["summary", "actor_name"], batch_size=500)

    mentions = Q()
    for name in names:
        mentions |= Q(title__contains=name) | Q(body__contains=name) | Q(reason__contains=name)
    notes = list(
        Notification.objects.filter(
            Q(programme_id__in=programme_ids) | Q(about__in=memberships), mentions
        ).exclude(recipient=user)
    )
    for note in notes:
        note.title = _scrub(pattern, note.title)
        note.body = _scrub(pattern, note.body)
        note.reason = _scrub(pattern, note.reason)
    Notification.objects.bulk_update(notes, ["title", "body", "reason"], batch_size=500)
    # Sent mail stays in the outbox as a record; what it says about the person goes.
    escaped = sorted({*names, *(escape(n) for n in names)}, key=len, reverse=True)
    in_html = _replacer(escaped)
    mentions = Q()
    for name in escaped:
        mentions |= Q(subject__contains=name) | Q(text_body__contains=name)
        mentions |= Q(html_body__contains=name)
    mail = list(OutboundEmail.objects.filter(mentions))
    for sent in mail:
        sent.subject = _scrub(pattern, sent.subject)
        sent.text_body = _scrub(pattern, sent.text_body)
        sent.html_body = _scrub(in_html, sent.html_body)
    OutboundEmail.objects.bulk_update(mail, ["subject", "text_body", "html_body"], batch_size=500)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=FORMER_MEMBER)


def _anonymise(user: User) -> None:
    user.email = FORMER_ADDRESS.format(pk=user.pk)
    user.name = FORMER_MEMBER
    user.time_zone = settings.TIME_ZONE
    user.set_unusable_password()  # and every signed-in session of theirs ends with it
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
