from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mentoring.blueprints import DEFAULT_GUIDELINES
from mentoring.models import (
    Guideline,
)
from programmes.models import AuditAction, Programme
from programmes.policy import Actor, require_lead
from programmes.services import audit


@transaction.atomic
def create_default_guidelines(*, programme: Programme, by: Actor) -> list[Guideline]:
    """Give a programme the three default guidelines, if it has none yet."""
    require_lead(by, programme)
    if programme.guidelines.exists():
        return list(programme.guidelines.current())
    return Guideline.objects.bulk_create(
        Guideline(programme=programme, position=i, text=text)
        for i, text in enumerate(DEFAULT_GUIDELINES, start=1)
    )


@transaction.atomic
def copy_guidelines(*, source: Programme, programme: Programme, by: Actor) -> list[Guideline]:
    """A duplicated programme keeps its source's current guidelines, in order."""
    require_lead(by, programme)
    return Guideline.objects.bulk_create(
        Guideline(programme=programme, position=g.position, text=g.text)
        for g in source.guidelines.current()
    )


@transaction.atomic
@audit.audited(AuditAction.GUIDELINE_CHANGED, audit.guideline_summary("Added"))
def add_guideline(*, programme: Programme, by: Actor, text: str) -> Guideline:
    """Add a guideline at the end of the programme's list."""
    require_lead(by, programme, "Only a lead of this programme edits its guidelines.")
    last = programme.guidelines.aggregate(last=Max("position"))["last"] or 0
    return Guideline.objects.create(programme=programme, position=last + 1, text=text.strip())


@transaction.atomic
@audit.audited(AuditAction.GUIDELINE_CHANGED, audit.guideline_summary("Changed"))
def edit_guideline(*, guideline: Guideline, by: Actor, text: str) -> Guideline:
    require_lead(by, guideline.programme_id, "Only a lead of this programme edits its guidelines.")
    guideline.text = text.strip()
    guideline.save(update_fields=["text"])
    return guideline


@transaction.atomic
@audit.audited(AuditAction.GUIDELINE_CHANGED, audit.guideline_summary("Removed"))
def remove_guideline(*, guideline: Guideline, by: Actor) -> Guideline:
    """Archive a guideline: it leaves the form; past self-checks keep their wording."""
    require_lead(by, guideline.programme_id, "Only a lead of this programme edits its guidelines.")
    guideline.archived_at = timezone.now()
    guideline.save(update_fields=["archived_at"])
    return guideline
