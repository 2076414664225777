from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from programmes.models import Membership, Role

from .models import (
    CadenceAgreement,
    EngagementPreference,
    MentorChangeRequest,
    MentorProfile,
    OutboundEmail,
    Pairing,
)

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send. It is longer
# than Celery's hard time limit, so a slow send that is still running is never doubled.
STALE_CLAIM_AFTER = timedelta(seconds=settings.CELERY_HARD_TIME_LIMIT * 2)
MAX_ATTEMPTS = 6
DEFAULT_CAPACITY = 3
# The mailer that really sends (SMTP in production); "default" is the outbox itself.
DELIVERY_MAILER = "delivery"
# A first delivery is enqueued on commit; this long after, the sweeper assumes it was lost.
LOST_TASK_GRACE = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """1, 4, 16, 64 minutes... after each failed attempt, capped at six hours."""
    return min(timedelta(minutes=4 ** (attempts - 1)), timedelta(hours=6))


class PairingError(Exception):
    """A pairing change that cannot be made; the message says why."""


def active_partner_count(mentor: Membership) -> int:
    return Pairing.objects.active().filter(mentor=mentor).count()


def capacity_of(mentor: Membership) -> int:
    profile = MentorProfile.objects.filter(membership=mentor).first()
    return profile.capacity if profile else DEFAULT_CAPACITY


@transaction.atomic
def pair(*, mentor: Membership, mentee: Membership, by, at=None, reason: str = "") -> Pairing:
    """Pair a mentor with a mentee. Changing an existing mentor takes a reason, which is
    kept on the ended pairing; a mentor past their capacity is refused."""
    if mentor.programme_id != mentee.programme_id:
        raise PairingError("A mentor and mentee must be in the same programme.")
    if mentor.role != Role.MENTOR or mentee.role != Role.MENTEE:
        raise PairingError("Pair a mentor with a mentee.")
    at = at or timezone.now()
    current = Pairing.objects.select_for_update().active().filter(mentee=mentee).first()
    if current is not None and current.mentor_id == mentor.pk:
        return current
    # Lock the mentor's row so two leads pairing at once cannot overfill them.
    Membership.objects.select_for_update().filter(pk=mentor.pk).first()
    capacity = capacity_of(mentor)
    if active_partner_count(mentor) >= capacity:
        raise PairingError(
            f"{mentor.user.display_name} already has {capacity} partner"
            f"{'s' if capacity != 1 else ''}, their capacity. Raise it or choose someone else."
        )
    if current is not None:
        if not reason.strip():
            raise PairingError("Say why the mentor changes; both sides can read it later.")
        current.ended_at, current.end_reason = at, reason.strip()
        current.save(update_fields=["ended_at", "end_reason"])
    MentorChangeRequest.objects.filter(mentee=mentee, resolved_at__isnull=True).update(
        resolved_at=at, resolved_by=by
    )
    return Pairing.objects.create(
        mentor=mentor, mentee=mentee, programme_id=mentee.programme_id, started_at=at, created_by=by
    )


@transaction.atomic
def end_pairing(*, pairing: Pairing, by, reason: str) -> Pairing:
    """End a pairing, with a reason. Its history (and its sessions) stay."""
    if not reason.strip():
        raise PairingError("Say why the pairing ends; both sides can read it later.")
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.ended_at is None:
        pairing.ended_at, pairing.end_reason = timezone.now(), reason.strip()
        pairing.save(update_fields=["ended_at", "end_reason"])
    return pairing


@dataclass
class Suggestion:
    mentor: Membership
    free: int
    covers: list[str]


def weakest_topics(mentee: Membership, how_many: int = 3) -> list[str]:
    """The topics of the mentee's submitted baseline with the lowest scores."""
    from programmes.models import AssessmentAnswer, AssessmentKind

    totals: dict[str, int] = defaultdict(int)
    for topic, score in AssessmentAnswer.objects.filter(
        response__membership=mentee,
        response__kind=AssessmentKind.BASELINE,
        response__status="submitted",
        score__isnull=False,
    ).values_list("question__topic", "score"):
        totals[topic] += score
    return sorted(totals, key=lambda topic: (totals[topic], topic))[:how_many]


def suggest_mentors(mentee: Membership) -> list[Suggestion]:
    """Mentors ranked for a mentee: first by how many of the mentee's weakest baseline
    topics are among their strengths, then by free places. Full mentors are left out."""
    weak = weakest_topics(mentee)
    mentors = list(
        Membership.objects.active()
        .filter(programme_id=mentee.programme_id, role=Role.MENTOR)
        .exclude(user_id=mentee.user_id)
        .select_related("user", "mentor_profile")
        .annotate(
            partners=Count("mentor_pairings", filter=Q(mentor_pairings__ended_at__isnull=True))
        )
    )
    suggestions = []
    for mentor in mentors:
        profile = getattr(mentor, "mentor_profile", None)
        capacity = profile.capacity if profile else DEFAULT_CAPACITY
        strengths = set(profile.strengths if profile else [])
        free = capacity - mentor.partners
        if free > 0:
            suggestions.append(Suggestion(mentor, free, [t for t in weak if t in strengths]))
    suggestions.sort(key=lambda s: (-len(s.covers), -s.free, s.mentor.user.display_name))
    return suggestions


@transaction.atomic
def request_mentor_change(*, mentee: Membership, by, reason: str) -> MentorChangeRequest:
    """A mentee asks their lead for a different mentor. Their mentor is not told by us."""
    if mentee.user_id != by.pk:
        raise PairingError("Only the mentee can ask for a different mentor.")
    if not reason.strip():
        raise PairingError("Tell your programme lead why, so they can find a better match.")
    if MentorChangeRequest.objects.filter(mentee=mentee, resolved_at__isnull=True).exists():
        raise PairingError("You have asked already; your programme lead will be in touch.")
    return MentorChangeRequest.objects.create(mentee=mentee, reason=reason.strip())


# --- Engagement preferences and the agreed cadence -----------------------------------------


@transaction.atomic
def save_preferences(*, membership: Membership, by, **fields) -> EngagementPreference:
    """Record how a mentee wants to be mentored. The previous preferences are kept."""
    if membership.user_id != by.pk or membership.role != Role.MENTEE:
        raise PairingError("Only the mentee says how they want to be mentored.")
    now = timezone.now()
    EngagementPreference.objects.filter(membership=membership, superseded_at__isnull=True).update(
        superseded_at=now
    )
    return EngagementPreference.objects.create(membership=membership, created_at=now, **fields)


def _side(pairing: Pairing, user) -> str | None:
    if pairing.mentor.user_id == user.pk:
        return "mentor"
    if pairing.mentee.user_id == user.pk:
        return "mentee"
    return None


@transaction.atomic
def propose_cadence(*, pairing: Pairing, by, cadence: str, channel: str = "") -> CadenceAgreement:
    """One side of a pair proposes how often (and how) to meet; the other accepts."""
    pairing = (
        Pairing.objects.select_for_update().select_related("mentor", "mentee").get(pk=pairing.pk)
    )
    if pairing.ended_at is not None or _side(pairing, by) is None:
        raise PairingError("Only the two people in a current pairing agree its cadence.")
    CadenceAgreement.objects.filter(
        pairing=pairing, status=CadenceAgreement.Status.PROPOSED
    ).update(status=CadenceAgreement.Status.REPLACED)
    return CadenceAgreement.objects.create(
        pairing=pairing, cadence=cadence, channel=channel, proposed_by=by
    )


@transaction.atomic
def answer_cadence(*, agreement: CadenceAgreement, by, accept: bool) -> CadenceAgreement:
    """The other side accepts (it replaces any earlier agreement) or declines a proposal."""
    agreement = (
        CadenceAgreement.objects.select_for_update()
        .select_related("pairing__mentor", "pairing__mentee")
        .get(pk=agreement.pk)
    )
    side = _side(agreement.pairing, by)
    if side is None or agreement.proposed_by_id == by.pk:
        raise PairingError("The other person in the pair answers a proposal.")
    if agreement.status != CadenceAgreement.Status.PROPOSED:
        raise PairingError("That proposal has been answered or replaced already.")
    now = timezone.now()
    if accept:
        CadenceAgreement.objects.filter(
            pairing=agreement.pairing, status=CadenceAgreement.Status.ACCEPTED
        ).update(status=CadenceAgreement.Status.REPLACED)
    agreement.status = (
        CadenceAgreement.Status.ACCEPTED if accept else CadenceAgreement.Status.DECLINED
    )
    agreement.answered_by, agreement.answered_at = by, now
    agreement.save(update_fields=["status", "answered_by", "answered_at"])
    return agreement


def claim_email(email_id: int) -> bool:
    """Claim an email for sending; False if it is sent, given up on, or another worker has it."""
    now = timezone.now()
    claimable = Q(status=OutboundEmail.Status.PENDING) | Q(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER
    )
    return bool(
        OutboundEmail.objects.filter(claimable, pk=email_id).update(
            status=OutboundEmail.Status.SENDING, claimed_at=now
        )
    )


def deliver_outbound_email(*, email_id: int) -> bool:
    """Send one outbox email. Returns whether this call sent it.

    A retried task or a second worker finds the row claimed or sent and does nothing. The
    one window no outbox can close: a worker killed after the mail server accepted the
    message but before the row is marked sent; the sweeper then sends it once more.
    """
    if not claim_email(email_id):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=email.from_email or None,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers=email.headers or None,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    attempts = email.attempts + 1
    try:
        message.send(using=DELIVERY_MAILER)
    except Exception as exc:
        given_up = attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.FAILED if given_up else OutboundEmail.Status.PENDING,
            attempts=attempts,
            last_error=repr(exc)[:2000],
            claimed_at=None,
            next_attempt_at=timezone.now() + retry_delay(attempts),
        )
        logger.warning("Sending email %s failed (attempt %s): %r", email_id, attempts, exc)
        return False
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT, attempts=attempts, sent_at=timezone.now()
    )
    return True


def due_email_ids(limit: int = 500) -> list[int]:
    """Emails to try (again) now: failed ones whose retry is due, first attempts whose task
    seems lost, and claims abandoned by a worker that died."""
    now = timezone.now()
    return list(
        OutboundEmail.objects.filter(
            Q(status=OutboundEmail.Status.PENDING, attempts__gt=0, next_attempt_at__lte=now)
            | Q(
                status=OutboundEmail.Status.PENDING,
                attempts=0,
                next_attempt_at__lte=now - LOST_TASK_GRACE,
            )
            | Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM_AFTER)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
