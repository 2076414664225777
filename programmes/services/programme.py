"""Setting a programme up: from the template or blank, its phases, and the next cohort."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from programmes.blueprints import ASSESSMENT_QUESTIONS, SOCIAL_ADOPTION_PHASES
from programmes.errors import Invalid
from programmes.models import AssessmentQuestion, Membership, Phase, Programme, Role
from programmes.signals import programme_created


class SetupError(Invalid):
    """A change to a programme's set-up that cannot be made; the message says why."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "programme"
    slug, n = base, 2
    while Programme.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_programme(
    *,
    name: str,
    by,
    description: str = "",
    from_template: bool = True,
    status: str = Programme.Status.DRAFT,
    starts_on=None,
    ends_on=None,
    mentee_label: str = "partner",
    _copying: bool = False,
) -> Programme:
    """Create a programme led by `by`: the Social Adoption template's five phases and
    baseline assessment, or blank."""
    programme = Programme.objects.create(
        name=name.strip(),
        slug=_unique_slug(name),
        description=description,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        mentee_label=mentee_label.strip() or "partner",
    )
    if from_template:
        Phase.objects.bulk_create(
            Phase(
                programme=programme,
                position=i,
                name=blueprint.name,
                description=blueprint.description,
                exit_criterion=blueprint.exit_criterion,
                exit_count=blueprint.exit_count,
                exit_sections=list(blueprint.exit_sections),
            )
            for i, blueprint in enumerate(SOCIAL_ADOPTION_PHASES, start=1)
        )
        AssessmentQuestion.objects.bulk_create(
            AssessmentQuestion(
                programme=programme,
                position=i,
                kind=kind,
                topic=topic,
                dimension=dimension,
                prompt=prompt,
                help_text=help_text,
            )
            for i, (kind, topic, dimension, prompt, help_text) in enumerate(
                ASSESSMENT_QUESTIONS, start=1
            )
        )
    Membership.objects.create(programme=programme, user=by, role=Role.LEAD)
    if not _copying:
        programme_created.send(
            sender=Programme, programme=programme, from_template=from_template, source=None
        )
    return programme


@transaction.atomic
def duplicate_programme(
    *, source: Programme, by, name: str, starts_on=None, ends_on=None
) -> Programme:
    """A new draft programme for the next cohort: the same phases, criteria, assessment and
    wording, with `by` as its lead and nobody else yet."""
    programme = create_programme(
        name=name,
        by=by,
        description=source.description,
        from_template=False,
        starts_on=starts_on,
        ends_on=ends_on,
        mentee_label=source.mentee_label,
        _copying=True,
    )
    phase_map = {}
    for phase in source.phases.order_by("position"):
        phase_map[phase.pk] = Phase.objects.create(
            programme=programme,
            position=phase.position,
            name=phase.name,
            description=phase.description,
            exit_criterion=phase.exit_criterion,
            exit_count=phase.exit_count,
            exit_sections=list(phase.exit_sections),
        )
    AssessmentQuestion.objects.bulk_create(
        AssessmentQuestion(
            programme=programme,
            position=q.position,
            kind=q.kind,
            topic=q.topic,
            dimension=q.dimension,
            prompt=q.prompt,
            help_text=q.help_text,
        )
        for q in source.assessment_questions.order_by("position")
    )
    if source.follow_up_after_id in phase_map:
        programme.follow_up_after = phase_map[source.follow_up_after_id]
        programme.save(update_fields=["follow_up_after"])
    programme_created.send(
        sender=Programme, programme=programme, from_template=False, source=source
    )
    return programme
