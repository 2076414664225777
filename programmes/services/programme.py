"""Setting a programme up: from the template or blank, its phases, and the next cohort."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from datetime import date, time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from programmes.blueprints import ASSESSMENT_QUESTIONS, SOCIAL_ADOPTION_PHASES
from programmes.errors import Invalid
from programmes.models import (
    NUDGE_KINDS,
    AssessmentQuestion,
    AuditAction,
    EmailStatus,
    Membership,
    Notification,
    Phase,
    Programme,
    Role,
)
from programmes.policy import Actor, require_lead, require_person
from programmes.services.audit import record
from programmes.signals import programme_created


class SetupError(Invalid):
    """A change to a programme's set-up that cannot be made; the message says why."""


# The site's cap: nobody gets more than one nudge every this many days, across all their
# programmes (the sweep, mentoring/services/pace.py, reads the same setting). A programme's
# own `nudge_every_days` can only be stricter.
SITE_NUDGE_EVERY_DAYS: int = getattr(settings, "NUDGE_EVERY_DAYS", 2)
LONGEST_NUDGE_GAP_DAYS = 90

# The fixed routes beside `/programmes/<slug>/`: a programme with one of these slugs would be
# hidden behind them (a test checks this list against the URLconf).
RESERVED_SLUGS = frozenset({"new", "invitations"})


def _slugs(name: str) -> Iterator[str]:
    base = slugify(name)[:70] or "programme"
    yield from ([] if base in RESERVED_SLUGS else [base])
    yield from (f"{base}-{n}" for n in itertools.count(2))


def _create_with_unique_slug(name: str, **fields: Any) -> Programme:
    """Create the programme under the first free slug for its name. Two people creating
    programmes of the same name at once both succeed: the database's unique constraint
    decides who gets a slug, and the other takes the next one."""
    for slug in _slugs(name):
        if Programme.objects.filter(slug=slug).exists():
            continue
        try:
            with transaction.atomic():
                return Programme.objects.create(name=name, slug=slug, **fields)
        except IntegrityError:
            if not Programme.objects.filter(slug=slug).exists():
                raise  # some other constraint: not a race for the slug
    raise AssertionError("unreachable: _slugs never ends")


@transaction.atomic
def create_programme(
    *,
    name: str,
    by: Actor,
    description: str = "",
    from_template: bool = True,
    status: str = Programme.Status.DRAFT,
    starts_on: date | None = None,
    ends_on: date | None = None,
    mentee_label: str = "partner",
    _copying: bool = False,
) -> Programme:
    """Create a programme led by `by`: the Social Adoption template's five phases and
    baseline assessment, or blank. Anyone signed in may start a programme."""
    require_person(by)
    programme = _create_with_unique_slug(
        name.strip(),
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
                expected_weeks=blueprint.expected_weeks,
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
    *,
    source: Programme,
    by: Actor,
    name: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Programme:
    """A new draft programme for the next cohort: the same phases, criteria, assessment and
    wording, with `by` as its lead and nobody else yet."""
    require_lead(by, source, "Only a lead of this programme can copy it.")
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
    # The next cohort is steered the same way: the same nudges, cap and quiet hours.
    Programme.objects.filter(pk=programme.pk).update(
        nudges_off=list(source.nudges_off or ()),
        nudge_every_days=source.nudge_every_days,
        quiet_from=source.quiet_from,
        quiet_until=source.quiet_until,
        require_two_factor=source.require_two_factor,
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
            expected_weeks=phase.expected_weeks,
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


def _span(starts_on: date | None, ends_on: date | None) -> str:
    def day(d: date | None) -> str:
        return f"{d.day} {d:%b %Y}" if d else "not set"

    return f"from {day(starts_on)} to {day(ends_on)}"


@transaction.atomic
def change_programme(*, programme: Programme, by: Actor, **fields: Any) -> Programme:
    """Change a programme's settings (name, description, status, dates, the word for a
    mentee, whether leads and mentors need two-factor). Its address (slug) stays, so links
    people hold keep working. Switching two-factor on or off goes in the audit trail."""
    require_lead(by, programme, "Only a lead of this programme can change its settings.")
    # As stored: a bound ModelForm has already set the new values on `programme`.
    required_before, starts_before, ends_before = (
        Programme.objects.filter(pk=programme.pk)
        .values_list("require_two_factor", "starts_on", "ends_on")
        .get()
    )
    for name, value in fields.items():
        setattr(programme, name, value)
    programme.save(update_fields=list(fields))
    if (programme.starts_on, programme.ends_on) != (starts_before, ends_before):
        record(
            AuditAction.DATES_CHANGED,
            programme=programme,
            by=by,
            summary=f"Dates: {_span(starts_before, ends_before)} → "
            f"{_span(programme.starts_on, programme.ends_on)}",
        )
    if programme.starts_on != starts_before:
        # Nothing is due before a programme starts: have its mentees judged again at the
        # next sweep, rather than at each one's next check (up to a week away).
        now = timezone.now()
        Membership.objects.filter(
            programme=programme, role=Role.MENTEE, is_active=True, pace_due_at__gt=now
        ).update(pace_due_at=now)
        if programme.not_started:
            # Nudges recorded before the start moved stay in the app, as what was said;
            # their emails, if they have not gone yet, no longer go.
            Notification.objects.filter(
                programme=programme, kind__in=NUDGE_KINDS, email_status=EmailStatus.PENDING
            ).update(email_status=EmailStatus.NONE)
    if programme.require_two_factor != required_before:
        verb = "Required" if programme.require_two_factor else "Stopped requiring"
        record(
            AuditAction.TWO_FACTOR_RULE,
            programme=programme,
            by=by,
            summary=f"{verb} two-factor authentication for leads and mentors",
        )
    return programme


@transaction.atomic
def change_nudge_settings(
    *,
    programme: Programme,
    by: Actor,
    nudges_off: Iterable[str],
    nudge_every_days: int,
    quiet_from: time | None,
    quiet_until: time | None,
) -> Programme:
    """Set which kinds of nudge the programme sends, how often at most, and the quiet
    hours for people who set none. The sweep reads them on its next run."""
    require_lead(by, programme, "Only a lead of this programme can change its nudges.")
    off = set(nudges_off)
    if off - NUDGE_KINDS:
        raise Invalid("Only nudges can be switched off here; events always reach people.")
    if nudge_every_days < SITE_NUDGE_EVERY_DAYS:
        raise Invalid(
            f"The site's cap is one nudge every {SITE_NUDGE_EVERY_DAYS} days: a programme "
            "can only be stricter."
        )
    if nudge_every_days > LONGEST_NUDGE_GAP_DAYS:
        raise Invalid(f"Choose at most {LONGEST_NUDGE_GAP_DAYS} days between nudges.")
    if (quiet_from is None) != (quiet_until is None):
        raise Invalid("Give quiet hours both a start and an end, or neither.")
    if quiet_from is not None and quiet_from == quiet_until:
        raise Invalid("Quiet hours must start and end at different times.")
    programme.nudges_off = sorted(off)
    programme.nudge_every_days = nudge_every_days
    programme.quiet_from, programme.quiet_until = quiet_from, quiet_until
    programme.save(update_fields=["nudges_off", "nudge_every_days", "quiet_from", "quiet_until"])
    return programme
