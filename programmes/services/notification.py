"""Telling people things: recording notifications, emailing each one once, and each
person's settings (channel, quiet hours, snooze, kinds muted).

- `notify` records an event for the people it concerns, in the caller's transaction. Web
  requests only ever insert rows; the worker's `deliver_notifications` task (every minute)
  emails whatever is due, so a broker outage delays an email and loses nothing.
- The pace sweep (`mentoring/services/pace.py`) records nudges through `record`, the same
  bulk insert that ignores conflicts on (recipient, kind, period).
- `email_notification` claims a row (pending → sent) and hands the message to the outbox in
  one transaction: a retry, a second worker or a killed worker never sends it twice.
- `record_action` notes that someone did something: it keeps the mentee's `last_active_at`,
  asks the sweep to look at them again soon, and marks the nudges it answers as acted on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from programmes.email import build_email, send_emails
from programmes.errors import Invalid
from programmes.lookups import among
from programmes.models import (
    EVENT_KINDS,
    NUDGE_KINDS,
    Delivery,
    EmailStatus,
    Membership,
    Notification,
    NotificationKind,
    NotificationSettings,
    Programme,
)
from programmes.policy import Actor, require_person
from programmes.quiet_hours import next_allowed
from programmes.services.membership import look_again

# A nudge counts as having helped if its recipient did what it asked within this long.
ACTED_WINDOW = timedelta(days=7)
# What each kind of nudge asks for; a general nudge is answered by anything at all.
ANSWERED_BY: dict[str, set[str]] = {
    NotificationKind.NEXT_STEP: {"completion", "action", "section", "session", "cadence", "review"},
    NotificationKind.CHECK_IN: {"completion", "action", "section", "session", "cadence", "review"},
    # Asked to tick off what they agreed: answered by ticking one off, nothing else.
    NotificationKind.ACTIONS_DUE: {"action"},
    NotificationKind.SESSION_DUE: {"session", "cadence"},
    NotificationKind.PARTNER_SLIPPING: {"session", "cadence", "review"},
    NotificationKind.LOG_SESSION: {"session"},
    NotificationKind.REVIEW_WAITING: {"review"},
    NotificationKind.CADENCE_CHECK: {"cadence"},
    NotificationKind.CADENCE_PROPOSED: {"cadence"},
}
# Activity within this long of the last kept is the same sitting: not written again.
ACTIVE_AGAIN_AFTER = timedelta(minutes=5)
ACTIONS = frozenset({"completion", "action", "section", "session", "cadence", "review"})

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# An event recorded this long after it happened is shown in the app but not emailed.
STALE_EVENT = timedelta(days=1)


@dataclass(frozen=True)
class Person:
    """What delivery needs to know about a recipient."""

    user_id: int
    zone: str
    delivery: str
    quiet_from: time | None
    quiet_until: time | None
    snoozed_until: date | None
    muted: frozenset[str]

    def wants(self, kind: str) -> bool:
        return kind not in self.muted

    def snoozed(self, on: date) -> bool:
        return self.snoozed_until is not None and self.snoozed_until >= on


def people(user_ids: Iterable[int], programme: Programme | None = None) -> dict[int, Person]:
    """Each recipient's delivery settings, in one query whatever their number. A person
    who set no quiet hours gets their programme's default quiet hours."""
    from django.contrib.auth import get_user_model

    # Plain rows, unordered (the user model sorts by name): the sweep asks for thousands
    # of people a batch, and building a settings instance for each cost more than the query.
    rows = (
        get_user_model()
        .objects.filter(among("pk", set(user_ids)))
        .order_by()
        .values_list(
            "pk",
            "time_zone",
            "notification_settings__delivery",
            "notification_settings__quiet_from",
            "notification_settings__quiet_until",
            "notification_settings__snoozed_until",
            "notification_settings__muted_kinds",
        )
    )
    default_zone = settings.TIME_ZONE
    found = {}
    for user_id, zone, delivery, quiet_from, quiet_until, snoozed_until, muted in rows:
        if not quiet_from:
            quiet_from = quiet_until = None
        if quiet_from is None and programme is not None:
            quiet_from, quiet_until = programme.quiet_from, programme.quiet_until
        found[user_id] = Person(
            user_id=user_id,
            zone=zone or default_zone,
            delivery=delivery or Delivery.BOTH,
            quiet_from=quiet_from,
            quiet_until=quiet_until or None,
            snoozed_until=snoozed_until,
            muted=frozenset(muted or ()),
        )
    return found


def prepare(
    person: Person,
    *,
    kind: str,
    period: str,
    title: str,
    body: str = "",
    reason: str = "",
    link: str = "",
    programme_id: int | None = None,
    about_id: int | None = None,
    now: datetime,
) -> Notification:
    """An unsaved notification for `person`, with its times set by their quiet hours: a
    nudge waits for the end of them in the app and by email; an event shows in the app at
    once and waits only by email."""
    allowed = next_allowed(
        now, zone=person.zone, quiet_from=person.quiet_from, quiet_until=person.quiet_until
    )
    return Notification(
        recipient_id=person.user_id,
        kind=kind,
        period=period[:80],
        title=title[:200],
        body=body,
        reason=reason[:300],
        link=link[:500],
        programme_id=programme_id,
        about_id=about_id,
        created_at=now,
        visible_from=allowed if kind in NUDGE_KINDS else now,
        email_status=EmailStatus.PENDING if person.delivery == Delivery.BOTH else EmailStatus.NONE,
        email_after=allowed,
    )


def record(notifications: list[Notification]) -> None:
    """Insert notifications in one statement; one already there for the same (recipient,
    kind, period) wins and the new one is dropped."""
    Notification.objects.bulk_create(notifications, batch_size=1000, ignore_conflicts=True)


def event_period(kind: str, key: str | int) -> str:
    """What makes event `kind` named `key` one notification per recipient (their unique
    (recipient, kind, period)): recording it again tells nobody twice."""
    return f"{kind}:{key}"


def notify(
    recipients: Iterable[Any],
    *,
    kind: str,
    key: str | int,
    title: str,
    body: str = "",
    reason: str = "",
    link: str = "",
    programme: Programme | None = None,
    about: Membership | None = None,
    exclude: Any = None,
    at: datetime | None = None,
) -> None:
    """Record event `kind` for each recipient (users or user ids), except `exclude` (the
    person who caused it). `key` names the event (the row that records it), so recording
    the same event twice tells nobody twice. Events are never capped; a muted kind is not
    recorded for that person.

    `at` is when it happened, if not now: an event recorded late (a backdated change, an
    import, the demo's history) is listed at its own time and is not emailed once it is
    older than a day, since news that old is no longer news."""
    assert kind in EVENT_KINDS, f"{kind} is a nudge; the sweep records those"
    excluded = getattr(exclude, "pk", exclude)
    ids = {getattr(r, "pk", r) for r in recipients if r is not None} - {excluded, None}
    if not ids:
        return
    now = timezone.now()
    happened = min(at, now) if at is not None else now
    found = people(ids, programme)
    made = [
        prepare(
            person,
            kind=kind,
            period=event_period(kind, key),
            title=title,
            body=body,
            reason=reason,
            link=link,
            programme_id=programme.pk if programme else None,
            about_id=about.pk if about else None,
            now=happened,
        )
        for person in found.values()
        if person.wants(kind)
    ]
    if happened < now - STALE_EVENT:
        for n in made:
            n.email_status = EmailStatus.NONE
    record(made)


# --- Reading and settings --------------------------------------------------------------


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.visible_to(user).shown().unread().count()


def settings_for(user) -> NotificationSettings:
    """The person's settings row, or an unsaved one holding the defaults."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


@transaction.atomic
def update_settings(
    *,
    by: Actor,
    delivery: str,
    quiet_from: time | None,
    quiet_until: time | None,
    muted_kinds: Iterable[str],
) -> NotificationSettings:
    require_person(by)
    if (quiet_from is None) != (quiet_until is None):
        raise Invalid("Give quiet hours both a start and an end, or neither.")
    if quiet_from is not None and quiet_from == quiet_until:
        raise Invalid("Quiet hours must start and end at different times.")
    muted = sorted(set(muted_kinds) & set(NotificationKind.values))
    found, _ = NotificationSettings.objects.select_for_update().get_or_create(user=by)
    found.delivery = delivery
    found.quiet_from, found.quiet_until = quiet_from, quiet_until
    found.muted_kinds = muted
    found.updated_at = timezone.now()
    found.save()
    if delivery == Delivery.APP or muted:
        # What is waiting to be emailed follows the new choice.
        waiting = Notification.objects.filter(recipient=by, email_status=EmailStatus.PENDING)
        if delivery != Delivery.APP:
            waiting = waiting.filter(kind__in=muted)
        waiting.update(email_status=EmailStatus.NONE)
    _follow_quiet_hours(by.pk)
    return found


def _follow_quiet_hours(user_id: int) -> None:
    """What still waits for the end of quiet hours waits for the new ones: an email held
    till 08:00 goes at 01:30 once the quiet hours end then (and the other way round). Only
    what is still waiting moves; nothing already shown or sent."""
    now = timezone.now()
    person = people([user_id])[user_id]
    allowed = next_allowed(
        now, zone=person.zone, quiet_from=person.quiet_from, quiet_until=person.quiet_until
    )
    Notification.objects.filter(
        recipient_id=user_id, email_status=EmailStatus.PENDING, email_after__gt=now
    ).update(email_after=allowed)
    # Nudges wait in the app too; events show at once, so theirs never wait.
    Notification.objects.filter(
        recipient_id=user_id, kind__in=NUDGE_KINDS, visible_from__gt=now
    ).update(visible_from=allowed)


@transaction.atomic
def snooze(*, by: Actor, until: date | None) -> NotificationSettings:
    """No nudges to `by` until the end of `until` (None wakes them). Events still come."""
    require_person(by)
    today = timezone.localdate()
    if until is not None and until < today:
        raise Invalid("Choose a day from today onwards.")
    if until is not None and until > today + timedelta(days=366):
        raise Invalid("Snooze for a year at most.")
    found, _ = NotificationSettings.objects.select_for_update().get_or_create(user=by)
    found.snoozed_until = until
    found.updated_at = timezone.now()
    found.save(update_fields=["snoozed_until", "updated_at"])
    return found


def settled(user_id: int, *, kind: str, key: str | int) -> int:
    """Event `kind` named `key` asked this person to act, and they have: it is marked read,
    and its email, if it has not gone yet, no longer goes. Returns how many were settled."""
    return put_to_rest(
        Notification.objects.filter(recipient_id=user_id, kind=kind, period=event_period(kind, key))
    )


def put_to_rest(found: QuerySet[Notification], at: datetime | None = None) -> int:
    """These notifications need nothing more of their recipient: marked read (as of `at`,
    or now) and, if their email has not gone yet, it no longer goes. They stay in the list
    as what was said. Returns how many were unread."""
    found.filter(email_status=EmailStatus.PENDING).update(email_status=EmailStatus.NONE)
    return found.filter(read_at__isnull=True).update(read_at=at or timezone.now())


def outdated(user_id: int, *, about: Membership, kind: str, before: datetime) -> int:
    """Nudges of `kind` to this person about `about`, made before `before`, no longer apply
    (the step they named belonged to a phase since left): marked read, and their emails,
    if not gone yet, no longer go. They stay in the list as what was said."""
    return put_to_rest(
        Notification.objects.filter(
            recipient_id=user_id, about=about, kind=kind, created_at__lt=before
        )
    )


def mark_read(*, by: Actor, notification: Notification | None = None) -> int:
    """Mark one notification, or all of `by`'s shown ones, as read."""
    require_person(by)
    found = Notification.objects.visible_to(by).shown().unread()
    if notification is not None:
        found = found.filter(pk=notification.pk)
    return found.update(read_at=timezone.now())


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The (user id, kind) a signed unsubscribe link names; Invalid if it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise Invalid("This unsubscribe link is not valid. Change your settings instead.") from exc
    if kind not in NotificationKind.values:
        raise Invalid("This unsubscribe link is not valid. Change your settings instead.")
    return user_id, kind


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[Any, str]:
    """Mute the kind a signed link names for the person it names (one click, no sign-in:
    the signature is the proof). Returns (user, kind)."""
    from django.contrib.auth import get_user_model

    user_id, kind = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Invalid("This unsubscribe link is not valid. Change your settings instead.")
    found, _ = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if kind not in found.muted_kinds:
        found.muted_kinds = sorted({*found.muted_kinds, kind})
        found.updated_at = timezone.now()
        found.save(update_fields=["muted_kinds", "updated_at"])
    Notification.objects.filter(recipient=user, kind=kind, email_status=EmailStatus.PENDING).update(
        email_status=EmailStatus.NONE
    )
    return user, kind


# --- Acting on them ----------------------------------------------------------------------


def record_action(
    *, user: Any, action: str, mentee: Membership | None = None, at: datetime | None = None
) -> None:
    """`user` did `action` (a completion, an agreed action ticked off, a session logged, a
    section saved, a review, a cadence answered), about `mentee` if it concerns one. Keeps
    the mentee's last activity, asks the sweep to look at them again, and marks as acted on
    the nudges it answers: the user's own, and, for a session, the other side's too (the
    pair met)."""
    assert action in ACTIONS, action
    at = at or timezone.now()
    user_id = getattr(user, "pk", None)
    by_the_pair = action == "session"  # a session logged means both of them met
    kept = 0
    if mentee is not None and (by_the_pair or mentee.user_id == user_id):
        # Autosave calls this every few seconds: write only when it tells the sweep
        # something new (no activity kept yet, the last is minutes old, or no look is due).
        kept = Membership.objects.filter(
            Q(last_active_at__isnull=True)
            | Q(last_active_at__lt=at - ACTIVE_AGAIN_AFTER)
            | Q(pace_due_at__gt=at),
            pk=mentee.pk,
        ).update(last_active_at=at, pace_due_at=at)
    if mentee is not None and (kept or action != "section"):
        # Their pace, judged again once this commits: someone who just ticked off what was
        # overdue does not see "overdue" until the next sweep. A draft saved every few
        # seconds asks at most once in those minutes.
        look_again([mentee.pk])
    kinds = [k for k, answered in ANSWERED_BY.items() if action in answered]
    answered = Notification.objects.filter(
        kind__in=kinds, acted_at__isnull=True, created_at__gte=at - ACTED_WINDOW, created_at__lte=at
    )
    if mentee is not None:
        answered = answered.filter(about=mentee)
    if not (by_the_pair and mentee is not None):
        answered = answered.filter(recipient_id=user_id)
    answered.update(acted_at=at)


# --- Email -------------------------------------------------------------------------------


def absolute(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def due_email_ids(limit: int = 5000, now: datetime | None = None) -> list[int]:
    return list(
        Notification.objects.filter(
            email_status=EmailStatus.PENDING, email_after__lte=now or timezone.now()
        )
        .order_by("email_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def email_notification(notification_id: int) -> bool:
    """Email one notification if it is still waiting. Returns whether this call sent it.

    The claim and the outbox row commit together: a worker killed before the commit leaves
    the row pending for the next run; after it, the outbox owns delivery and its retries."""
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk=notification_id, email_status=EmailStatus.PENDING
        ).update(email_status=EmailStatus.SENT, emailed_at=timezone.now())
        if not claimed:
            return False
        n = Notification.objects.select_related("recipient", "programme", "about__user").get(
            pk=notification_id
        )
        if not n.recipient.is_active or not n.recipient.email:
            return False
        unsubscribe_url = absolute(unsubscribe_path(n.recipient_id, n.kind))
        message = build_email(
            "notification",
            to=n.recipient.email,
            context={
                "recipient": n.recipient,
                "notification": n,
                "link": absolute(n.link),
                "settings_url": absolute(notification_settings_path()),
                "unsubscribe_url": unsubscribe_url,
                "kind_label": NotificationKind(n.kind).label,
            },
        )
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        send_emails([message])
    return True


def unsubscribe_path(user_id: int, kind: str) -> str:
    from django.urls import reverse

    return reverse("mentoring:unsubscribe", kwargs={"token": unsubscribe_token(user_id, kind)})


def notification_settings_path() -> str:
    from django.urls import reverse

    return reverse("mentoring:notification_settings")
