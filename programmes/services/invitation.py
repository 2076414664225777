"""Inviting people into a programme: one at a time or from a CSV, resending, revoking and
accepting."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from programmes import figures
from programmes.email import build_email, send_emails
from programmes.errors import Invalid
from programmes.models import (
    INVITATION_LIFETIME,
    AuditAction,
    Invitation,
    Membership,
    NotificationKind,
    Programme,
    Role,
)
from programmes.models.invitation import new_nonce
from programmes.policy import SYSTEM, Actor, require_lead
from programmes.services import audit
from programmes.services.notification import notify
from programmes.services.progress import enrol
from programmes.signals import invitation_accepted

if TYPE_CHECKING:
    # The AUTH_USER_MODEL, as django-stubs resolves it: this app does not import mentoring.
    from django.contrib.auth.models import _User as User

TOKEN_SALT = "programmes.invitation"
MAX_IMPORT_ROWS = 2000


class InvitationError(Invalid):
    """An invitation that cannot be made, sent or accepted; the message says why."""


# --- Links ----------------------------------------------------------------------------


def make_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=TOKEN_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, or None if the link was altered, is too old or has been
    replaced by a newer one. Whether it is still open is the invitation's `state`."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=INVITATION_LIFETIME)
    except signing.BadSignature:
        return None
    invitation = (
        Invitation.objects.select_related("programme", "invited_by")
        .filter(pk=data.get("i"), nonce=data.get("n"))
        .first()
    )
    return invitation


def _message(invitation: Invitation, base_url: str) -> EmailMultiAlternatives:
    link = base_url.rstrip("/") + reverse(
        "programmes:invitation", kwargs={"token": make_token(invitation)}
    )
    role_word = (
        invitation.programme.mentee_label
        if invitation.role == Role.MENTEE
        else invitation.get_role_display().lower()
    )
    context = {"invitation": invitation, "link": link, "role_word": role_word}
    return build_email("invitation", to=invitation.email, context=context)


def _send(invitations: list[Invitation], base_url: str) -> None:
    now = timezone.now()
    send_emails(_message(inv, base_url) for inv in invitations)
    for invitation in invitations:
        invitation.sent_at = now
        invitation.send_count += 1
    Invitation.objects.bulk_update(invitations, ["sent_at", "send_count"])


# --- Checks shared by one invitation and an import ----------------------------------------


@dataclass
class _Existing:
    members: set[tuple[str, str]]  # (email, role) of active members
    open_invites: set[tuple[str, str]]  # (email, role) of open invitations
    mentors: set[str]  # emails of active mentors, and of mentors invited and not joined yet


def _existing(programme: Programme) -> _Existing:
    members = set(
        Membership.objects.active().filter(programme=programme).values_list("user__email", "role")
    )
    members = {(email.lower(), role) for email, role in members}
    open_invites = {
        (email.lower(), role)
        for email, role in Invitation.objects.open()
        .filter(programme=programme)
        .values_list("email", "role")
    }
    # A mentee may be given a mentor who is invited but has not joined yet: whichever of the
    # two accepts second completes the pairing (mentoring/receivers.py).
    return _Existing(
        members=members,
        open_invites=open_invites,
        mentors={email for email, role in members | open_invites if role == Role.MENTOR},
    )


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in ("", *"aeiou"):
        return word[:-1] + "ies"
    return word + "s"


def role_words(mentee_label: str) -> dict[str, str]:
    """Every word a lead may write for a role, lower case, singular and plural: the role's
    own name, "programme lead", and the programme's word for a mentee (its `mentee_label`,
    "partner" by default), the word the invite form offers."""
    names = {
        Role.LEAD: ["lead", "programme lead", "program lead"],
        Role.MENTOR: ["mentor"],
        Role.MENTEE: ["mentee", " ".join(mentee_label.lower().split())],
    }
    words: dict[str, str] = {}
    for role, singulars in names.items():
        for word in singulars:
            if word:
                words.setdefault(word, role)
                words.setdefault(_plural(word), role)
    return words


def role_word(role: str, mentee_label: str) -> str:
    """A role as the programme names it in a sentence."""
    return mentee_label.lower() if role == Role.MENTEE else role


# The invitation's columns: a longer value would fail in the database, not here.
NAME_MAX = Invitation._meta.get_field("name").max_length or 150
EMAIL_MAX = Invitation._meta.get_field("email").max_length or 254


def _problems(
    *, name: str, email: str, role: str, mentor_email: str, existing: _Existing,
    mentee_label: str, mentors_in_file: Collection[str] = frozenset(),
) -> list[str]:  # fmt: skip
    problems = []
    word = role_word(role, mentee_label)
    if not name:
        problems.append("the name is missing")
    elif len(name) > NAME_MAX:
        problems.append(f"the name is longer than {NAME_MAX} characters")
    if not email:
        problems.append("the email is missing")
    elif len(email) > EMAIL_MAX:
        problems.append(f"the email is longer than {EMAIL_MAX} characters")
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"“{email}” is not an email address")
    if not role:
        problems.append("the role is missing")
    elif role not in Role.values:
        problems.append(f"“{role}” is not a role (use lead, mentor or {mentee_label.lower()})")
    if email and role in Role.values:
        if (email, role) in existing.members:
            problems.append(f"{email} is already a {word} in this programme")
        elif (email, role) in existing.open_invites:
            problems.append(f"{email} already has an open invitation as {word}")
    if mentor_email:
        if role and role != Role.MENTEE:
            problems.append(f"only a {mentee_label.lower()} can be given a mentor")
        elif mentor_email not in existing.mentors and mentor_email not in mentors_in_file:
            in_file = " nor is in this file" if mentors_in_file else ""
            problems.append(
                f"the mentor {mentor_email} has not joined this programme or been invited "
                f"to it as a mentor{in_file}"
            )
    return problems


def _close_expired(programme: Programme, people: list[tuple[str, str]]) -> None:
    """An expired invitation is replaced by the new one: close it, keeping it as history."""
    emails = {email for email, _ in people}
    wanted = set(people)
    expired = Invitation.objects.filter(
        programme=programme,
        email__in=emails,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__lte=timezone.now(),
    )
    ids = [
        pk
        for pk, email, role in expired.values_list("pk", "email", "role")
        if (email, role) in wanted
    ]
    Invitation.objects.filter(pk__in=ids).update(revoked_at=timezone.now())


# --- One at a time ----------------------------------------------------------------------


@transaction.atomic
def invite(
    *,
    programme: Programme,
    by: Actor,
    name: str,
    email: str,
    role: str,
    mentor_email: str = "",
    base_url: str,
) -> Invitation:
    """Invite one person and email them their link."""
    require_lead(by, programme, "Only a lead of this programme can invite people.")
    email, mentor_email = email.strip().lower(), mentor_email.strip().lower()
    problems = _problems(
        name=name.strip(),
        email=email,
        role=role,
        mentor_email=mentor_email,
        existing=_existing(programme),
        mentee_label=programme.mentee_label,
    )
    if problems:
        message = "; ".join(problems)
        if not (email and message.startswith(email)):  # an address keeps its own case
            message = message[0].upper() + message[1:]
        raise InvitationError(message + ".")
    _close_expired(programme, [(email, role)])
    invitation = Invitation.objects.create(
        programme=programme,
        email=email,
        name=name.strip(),
        role=role,
        mentor_email=mentor_email,
        invited_by=by,
    )
    _send([invitation], base_url)
    audit.record(
        AuditAction.INVITED,
        programme=programme,
        by=by,
        summary=f"Invited {invitation.name or invitation.email} <{invitation.email}> as {role}",
    )
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, by: Actor, base_url: str) -> Invitation:
    """Send a fresh link (the old one stops working) with a new expiry date."""
    require_lead(by, invitation.programme_id, "Only a lead of this programme can resend it.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationError(f"This invitation was {invitation.get_state_display().lower()}.")
    invitation.nonce = new_nonce()
    invitation.expires_at = timezone.now() + INVITATION_LIFETIME
    invitation.save(update_fields=["nonce", "expires_at"])
    _send([invitation], base_url)
    audit.record(
        AuditAction.INVITATION_RESENT,
        programme=invitation.programme_id,
        by=by,
        summary=f"Sent {invitation.email} a fresh invitation link",
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: Actor) -> Invitation:
    """Close an invitation: its link stops working. Accepted ones cannot be revoked."""
    require_lead(by, invitation.programme_id, "Only a lead of this programme can revoke it.")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError("This invitation was accepted; remove the person instead.")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(
            AuditAction.INVITATION_REVOKED,
            programme=invitation.programme_id,
            by=by,
            summary=f"Withdrew the invitation to {invitation.email}",
        )
    return invitation


# --- From a CSV ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    created: list[Invitation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_rows(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [(column or "").strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in ("name", "email", "role") if column not in header]
    if missing:
        report.errors.append(
            (1, "the first row must name the columns; missing: " + ", ".join(missing))
        )
        return []
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(values.values()):
            continue  # blank lines are not mistakes
        rows.append((reader.line_num, values))
    if len(rows) > MAX_IMPORT_ROWS:
        report.errors.append((1, f"at most {MAX_IMPORT_ROWS} people per file; split it"))
        return []
    if not rows and not report.errors:
        report.errors.append((1, "the file has no people in it"))
    return rows


@transaction.atomic
def import_invitations(
    *, programme: Programme, by: Actor, text: str, base_url: str
) -> ImportReport:
    """Check a whole CSV, and invite everyone in it only if every row is right.

    One bad row imports nothing: the report lists every bad row with its line and reason.
    """
    require_lead(by, programme, "Only a lead of this programme can invite people.")
    report = ImportReport()
    rows = _read_rows(text, report)
    report.rows = len(rows)
    existing = _existing(programme)
    words = role_words(programme.mentee_label)

    def role_of(values: dict[str, str]) -> str:
        written = values.get("role", "")
        return words.get(" ".join(written.lower().split()), written)

    mentors_in_file = {
        values.get("email", "").lower() for _, values in rows if role_of(values) == Role.MENTOR
    }
    seen: dict[tuple[str, str], int] = {}
    clean: list[dict[str, str]] = []
    for line, values in rows:
        email = values.get("email", "").lower()
        role = role_of(values)
        mentor_email = values.get("mentor_email", "").lower()
        problems = _problems(
            name=values.get("name", ""),
            email=email,
            role=role,
            mentor_email=mentor_email,
            existing=existing,
            mentee_label=programme.mentee_label,
            mentors_in_file=mentors_in_file,
        )
        if email and role and (email, role) in seen:
            word = role_word(role, programme.mentee_label)
            problems.append(f"{email} is in the file twice as {word} (line {seen[(email, role)]})")
        seen.setdefault((email, role), line)
        if problems:
            report.errors.append((line, "; ".join(problems)))
        else:
            clean.append(
                {"name": values["name"], "email": email, "role": role, "mentor_email": mentor_email}
            )
    if report.errors:
        return report
    _close_expired(programme, [(values["email"], values["role"]) for values in clean])
    report.created = Invitation.objects.bulk_create(
        Invitation(programme=programme, invited_by=by, **values) for values in clean
    )
    _send(report.created, base_url)
    if report.created:
        audit.record(
            AuditAction.INVITATIONS_IMPORTED,
            programme=programme,
            by=by,
            summary=f"Imported {len(report.created)} invitation"
            f"{'s' if len(report.created) != 1 else ''} from a CSV",
        )
    return report


# --- Accepting ------------------------------------------------------------------------------


def emails_of(user: User) -> set[str]:
    addresses = {user.email.lower()}
    addresses.update(
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    )
    return addresses


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """Join the programme in the invited role. The link works once, for its own address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    state = invitation.state
    if state != Invitation.State.PENDING:
        raise InvitationError(f"This invitation was {invitation.get_state_display().lower()}.")
    if invitation.email.lower() not in emails_of(user):
        raise InvitationError(
            f"This invitation is for {invitation.email}, and you are signed in as {user.email}."
        )
    # The invitation is the lead's say-so; the joining itself is recorded as the system's.
    membership = enrol(programme=invitation.programme, user=user, role=invitation.role, by=SYSTEM)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if not user.name and invitation.name:
        user.name = invitation.name
        user.save(update_fields=["name"])
    invitation_accepted.send(sender=Invitation, invitation=invitation, membership=membership)
    _tell_who_invited(invitation, membership, user)
    # Joining happens at the invitation's link, outside the programme's pages: its cached
    # figures (the dashboard) would not otherwise know someone joined.
    figures.changed(invitation.programme.slug)
    return membership


def _tell_who_invited(invitation: Invitation, membership: Membership, user: User) -> None:
    """The lead who sent the invitation is told it was accepted (or, if they lead the
    programme no longer, its leads): they learn who is in without watching the list."""
    programme = invitation.programme
    leads = Membership.objects.filter(programme=programme, role=Role.LEAD, is_active=True)
    inviter = leads.filter(user_id=invitation.invited_by_id or 0)  # 0: nobody (an account gone)
    told = inviter if inviter.exists() else leads
    word = programme.mentee_label if membership.role == Role.MENTEE else membership.role
    notify(
        told.values_list("user_id", flat=True),
        kind=NotificationKind.PERSON_JOINED,
        key=invitation.pk,
        title=f"{user.display_name} accepted the invitation and joined as {word}",
        body="They are on the People page.",
        reason=f"You lead {programme.name}.",
        link=reverse("programmes:people", kwargs={"slug": programme.slug}) + "#members",
        programme=programme,
        about=membership if membership.role == Role.MENTEE else None,
        exclude=user,
    )
