from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mentoring.models import CadenceAgreement
from mentoring.services.pairing import PairingError
from programmes.models import Pairing
from programmes.policy import Actor, side_of


@transaction.atomic
def propose_cadence(
    *, pairing: Pairing, by: Actor, cadence: str, channel: str = ""
) -> CadenceAgreement:
    """One side of a pair proposes how often (and how) to meet; the other accepts."""
    pairing = (
        Pairing.objects.select_for_update().select_related("mentor", "mentee").get(pk=pairing.pk)
    )
    if pairing.ended_at is not None or side_of(by, pairing) is None:
        raise PairingError("Only the two people in a current pairing agree its cadence.")
    CadenceAgreement.objects.filter(
        pairing=pairing, status=CadenceAgreement.Status.PROPOSED
    ).update(status=CadenceAgreement.Status.REPLACED)
    return CadenceAgreement.objects.create(
        pairing=pairing, cadence=cadence, channel=channel, proposed_by=by
    )


@transaction.atomic
def answer_cadence(*, agreement: CadenceAgreement, by: Actor, accept: bool) -> CadenceAgreement:
    """The other side accepts (it replaces any earlier agreement) or declines a proposal."""
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
    return agreement
