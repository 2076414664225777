"""How often a pair meets: one side proposes, the other answers, and each is told."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentoring.models import CadenceAgreement
from mentoring.services.pairing import PairingError
from programmes.models import NotificationKind, Pairing, Role
from programmes.policy import Actor, side_of
from programmes.services.notification import notify, record_action, settled


def _page_for(side: str, pairing: Pairing) -> str:
    """Where each side of a pair sees the cadence: the mentee on their mentoring page, the
    mentor on their partner's."""
    slug = pairing.programme.slug
    if side == Role.MENTEE:
        return reverse("mentoring:mine", kwargs={"slug": slug})
    return reverse("mentoring:partner", kwargs={"slug": slug, "member": pairing.mentee_id})


def _cadence_words(agreement: CadenceAgreement) -> str:
    words = agreement.get_cadence_display().lower()
    if agreement.channel:
        words += f", by {agreement.get_channel_display().lower()}"
    return words


def _event_key(agreement: CadenceAgreement, status: str | None = None) -> str:
    """What names the news of an agreement at a status (its own by default): one
    notification each, to each person told."""
    return f"{agreement.pk}:{status or agreement.status}"


@transaction.atomic
def propose_cadence(
    *, pairing: Pairing, by: Actor, cadence: str, channel: str = "", at: datetime | None = None
) -> CadenceAgreement:
    """One side of a pair proposes how often (and how) to meet; the other is asked to
    accept. Proposing what the other side proposed and is waiting on accepts it (the
    agreement returned is then accepted). `at` is when, if not now (the demo's history)."""
    pairing = (
        Pairing.objects.select_for_update().select_related("mentor", "mentee").get(pk=pairing.pk)
    )
    side = side_of(by, pairing)
    if pairing.ended_at is not None or side is None:
        raise PairingError("Only the two people in a current pairing agree its cadence.")
    current = pairing.agreements.filter(status=CadenceAgreement.Status.ACCEPTED).first()
    if current is not None and (current.cadence, current.channel) == (cadence, channel):
        raise PairingError(f"You already agree to meet {_cadence_words(current)}.")
    waiting = list(pairing.agreements.filter(status=CadenceAgreement.Status.PROPOSED))
    for earlier in waiting:
        if (earlier.cadence, earlier.channel) != (cadence, channel):
            continue
        if earlier.proposed_by_id == by.pk:
            raise PairingError(
                f"You proposed meeting {_cadence_words(earlier)} already; it waits for an answer."
            )
        # The other side proposed just this: proposing it back is agreeing to it.
        return answer_cadence(agreement=earlier, by=by, accept=True)
    # A new proposal answers any still open: theirs are no longer asked of the other side.
    CadenceAgreement.objects.filter(pk__in=[a.pk for a in waiting]).update(
        status=CadenceAgreement.Status.REPLACED
    )
    for earlier in waiting:
        _settle_asked(earlier, pairing)
    agreement = CadenceAgreement.objects.create(
        pairing=pairing,
        cadence=cadence,
        channel=channel,
        proposed_by=by,
        proposed_at=at or timezone.now(),
    )
    other = pairing.mentor if side == Role.MENTEE else pairing.mentee
    notify(
        [other.user_id],
        kind=NotificationKind.CADENCE_PROPOSED,
        key=_event_key(agreement),
        title=f"{by.display_name} proposes meeting {_cadence_words(agreement)}",
        body="Accept it or suggest another rhythm.",
        reason=f"You and {by.display_name} agree how often you meet.",
        link=_page_for(other.role, pairing),
        programme=pairing.programme,
        about=pairing.mentee,
        exclude=by,
        at=at,
    )
    record_action(user=by, action="cadence", mentee=pairing.mentee, at=at)
    return agreement


def _settle_asked(agreement: CadenceAgreement, pairing: Pairing) -> None:
    """The note asking the other side to answer `agreement` needs nothing more: read, and
    not emailed after."""
    asked = pairing.mentor if agreement.proposed_by_id == pairing.mentee.user_id else pairing.mentee
    key = _event_key(agreement, CadenceAgreement.Status.PROPOSED)
    settled(asked.user_id, kind=NotificationKind.CADENCE_PROPOSED, key=key)


@transaction.atomic
def withdraw_cadence(*, agreement: CadenceAgreement, by: Actor) -> CadenceAgreement:
    """Whoever proposed a cadence takes the proposal back before it is answered; the note
    asking the other side to answer is put to rest."""
    agreement = (
        CadenceAgreement.objects.select_for_update()
        .select_related("pairing__mentor", "pairing__mentee")
        .get(pk=agreement.pk)
    )
    if agreement.proposed_by_id != by.pk:
        raise PairingError("Only whoever proposed a cadence withdraws it.")
    if agreement.status != CadenceAgreement.Status.PROPOSED:
        raise PairingError("That proposal has been answered or replaced already.")
    agreement.status = CadenceAgreement.Status.WITHDRAWN
    agreement.save(update_fields=["status"])
    _settle_asked(agreement, agreement.pairing)
    return agreement


@transaction.atomic
def answer_cadence(*, agreement: CadenceAgreement, by: Actor, accept: bool) -> CadenceAgreement:
    """The other side accepts (it replaces any earlier agreement) or declines a proposal;
    the person who proposed it is told."""
    agreement = (
        CadenceAgreement.objects.select_for_update()
        .select_related("pairing__mentor", "pairing__mentee")
        .get(pk=agreement.pk)
    )
    side = side_of(by, agreement.pairing)
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
    pairing = agreement.pairing
    _settle_asked(agreement, pairing)  # answered: the note that asked them needs nothing more
    proposer_side = Role.MENTOR if side == Role.MENTEE else Role.MENTEE
    notify(
        [agreement.proposed_by_id],
        kind=NotificationKind.CADENCE_PROPOSED,
        key=_event_key(agreement),
        title=(
            f"{by.display_name} {'agreed' if accept else 'declined'} to meet "
            f"{_cadence_words(agreement)}"
        ),
        body="" if accept else "Propose another rhythm that suits you both.",
        reason=f"You proposed how often you and {by.display_name} meet.",
        link=_page_for(proposer_side, pairing),
        programme=pairing.programme,
        about=pairing.mentee,
        exclude=by,
    )
    record_action(user=by, action="cadence", mentee=pairing.mentee)
    return agreement
