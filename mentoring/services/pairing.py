from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentorChangeRequest, MentorProfile
from programmes.errors import Invalid
from programmes.models import (
    AuditAction,
    Membership,
    Notification,
    NotificationKind,
    Pairing,
    Role,
)
from programmes.policy import Actor, actor, is_own, require_lead
from programmes.services import audit
from programmes.services.notification import notify, put_to_rest

DEFAULT_CAPACITY = 3


class PairingError(Invalid):
    """A pairing change that cannot be made; the message says why."""


def active_partner_count(mentor: Membership) -> int:
    return Pairing.objects.active().filter(mentor=mentor).count()


def capacity_of(mentor: Membership) -> int:
    profile = MentorProfile.objects.filter(membership=mentor).first()
    return profile.capacity if profile else DEFAULT_CAPACITY


@transaction.atomic
def pair(
    *,
    mentor: Membership,
    mentee: Membership,
    by: Actor,
    at: datetime | None = None,
    reason: str = "",
) -> Pairing:
    """Pair a mentor with a mentee. Changing an existing mentor takes a reason, which is
    kept on the ended pairing; a mentor past their capacity is refused."""
    require_lead(by, mentee.programme_id, "Only a lead of this programme pairs people.")
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
            raise PairingError("Say why the mentor changes; the mentee can read it later.")
        current.ended_at, current.end_reason = at, reason.strip()
        current.save(update_fields=["ended_at", "end_reason"])
        _retire_links(current)
    MentorChangeRequest.objects.filter(mentee=mentee, resolved_at__isnull=True).update(
        resolved_at=at, resolved_by=actor(by)
    )
    pairing = Pairing.objects.create(
        mentor=mentor,
        mentee=mentee,
        programme_id=mentee.programme_id,
        started_at=at,
        created_by=actor(by),
    )
    _tell_paired(pairing, ended=current, by=by)
    audit.record(
        AuditAction.PAIRED,
        programme=pairing.programme_id,
        by=by,
        summary=f"{mentor.user.display_name} now mentors {mentee.user.display_name}"
        + (f" (instead of {current.mentor.user.display_name})" if current else ""),
        at=at,
    )
    return pairing


def _tell(
    user_id: int,
    pairing: Pairing,
    *,
    by: Actor,
    key: str,
    title: str,
    link: str,
    at: datetime | None = None,
    body: str = "",
) -> None:
    """`at`: when it happened, if not now. A pairing recorded late (an import, the demo's
    history) is listed at its own time and, once older than a day, not emailed."""
    notify(
        [user_id],
        kind=NotificationKind.PAIRING_CHANGED,
        key=f"{pairing.pk}:{key}",
        title=title,
        body=body,
        reason=f"You are part of this pairing in {pairing.programme.name}.",
        link=link,
        programme=pairing.programme,
        about=pairing.mentee,
        exclude=by,
        at=at,
    )


def _tell_paired(pairing: Pairing, *, ended: Pairing | None, by: Actor) -> None:
    """Tell the mentee and their new mentor, and on a change the mentor whose pairing ended.
    The reason for a change stays on the pairing, where both sides read it."""
    slug = pairing.programme.slug
    mentee, mentor = pairing.mentee.user, pairing.mentor.user
    _tell(
        mentee.pk,
        pairing,
        by=by,
        at=pairing.started_at,
        key="made",
        title=(
            f"Your mentor is now {mentor.display_name}"
            if ended
            else f"{mentor.display_name} is your mentor"
        ),
        link=reverse("mentoring:mine", kwargs={"slug": slug}),
        # The lead's reason is read in the app, never carried in a notification.
        body="Your Mentoring page says why." if ended else "",
    )
    _tell(
        mentor.pk,
        pairing,
        by=by,
        at=pairing.started_at,
        key="made",
        title=f"You are now mentoring {mentee.display_name}",
        link=reverse("mentoring:partner", kwargs={"slug": slug, "member": pairing.mentee_id}),
    )
    if ended is not None:
        _tell(
            ended.mentor.user_id,
            ended,
            by=by,
            at=pairing.started_at,
            key="ended",
            title=f"{mentee.display_name} has a new mentor",
            # They no longer see the mentee's pages; their programme page lists who they mentor.
            link=reverse("programmes:detail", kwargs={"slug": slug}),
            body="Their journey goes on with their new mentor; what you logged together stays "
            "in their record.",
        )


def _retire_links(ended: Pairing) -> None:
    """The mentor's notifications about a partner they no longer mentor point at pages they
    may no longer open (a 404): they stay in their list as what was said, without the
    link, read, and no longer emailed. (A mentor who also leads the programme may still
    open them.)"""
    mentor = Membership.objects.only("user_id").get(pk=ended.mentor_id)
    leads = Membership.objects.active().filter(
        programme_id=ended.programme_id, user_id=mentor.user_id, role=Role.LEAD
    )
    if leads.exists():
        return
    name = Membership.objects.select_related("user").get(pk=ended.mentee_id).user.display_name
    about_them = Notification.objects.filter(
        recipient_id=mentor.user_id, about_id=ended.mentee_id
    ).exclude(link="")
    retired = list(about_them.values_list("pk", flat=True))
    # What they asked of them is no longer theirs to do.
    about_them.update(
        link="", body="", reason=f"You mentored {name} then; they have another mentor now, or none."
    )
    put_to_rest(Notification.objects.filter(pk__in=retired), at=ended.ended_at)


@transaction.atomic
def end_pairing(*, pairing: Pairing, by: Actor, reason: str) -> Pairing:
    """End a pairing, with a reason. Its history (and its sessions) stay. Both sides are
    told; the reason stays on the pairing, where they read it."""
    require_lead(by, pairing.programme_id, "Only a lead of this programme ends pairings.")
    if not reason.strip():
        raise PairingError("Say why the pairing ends; the mentee can read it later.")
    pairing = Pairing.objects.select_for_update().get(pk=pairing.pk)
    if pairing.ended_at is None:
        pairing.ended_at, pairing.end_reason = timezone.now(), reason.strip()
        pairing.save(update_fields=["ended_at", "end_reason"])
        _retire_links(pairing)
        slug = pairing.programme.slug
        mentee, mentor = pairing.mentee.user, pairing.mentor.user
        _tell(
            mentee.pk,
            pairing,
            by=by,
            key="ended",
            title=f"Your pairing with {mentor.display_name} has ended",
            link=reverse("mentoring:mine", kwargs={"slug": slug}),
        )
        _tell(
            mentor.pk,
            pairing,
            by=by,
            key="ended",
            title=f"Your pairing with {mentee.display_name} has ended",
            link=reverse("programmes:detail", kwargs={"slug": slug}),
        )
        audit.record(
            AuditAction.PAIRING_ENDED,
            programme=pairing.programme_id,
            by=by,
            summary=f"{mentor.display_name} no longer mentors {mentee.display_name}",
        )
    return pairing


@transaction.atomic
def request_mentor_change(*, mentee: Membership, by: Actor, reason: str) -> MentorChangeRequest:
    """A mentee asks their lead for a different mentor. Their mentor is not told by us."""
    if not is_own(by, mentee):
        raise PairingError("Only the mentee can ask for a different mentor.")
    if not reason.strip():
        raise PairingError("Tell your programme lead why, so they can find a better match.")
    if MentorChangeRequest.objects.filter(mentee=mentee, resolved_at__isnull=True).exists():
        raise PairingError("You have asked already; your programme lead will be in touch.")
    return MentorChangeRequest.objects.create(mentee=mentee, reason=reason.strip())
