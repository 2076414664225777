from __future__ import annotations

from mentoring.models import CadenceAgreement
from programmes.models import Pairing


def agreed_cadence(pairing: Pairing) -> CadenceAgreement | None:
    return CadenceAgreement.objects.filter(
        pairing=pairing, status=CadenceAgreement.Status.ACCEPTED
    ).first()
