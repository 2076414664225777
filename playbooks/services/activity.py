"""The activity checklist: leads keep the activities, each person logs what they did."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from playbooks import periods
from playbooks.blueprints import DEFAULT_ACTIVITIES
from playbooks.models import Activity, Completion, PersonalTarget, Recurrence
from programmes.errors import Invalid
from programmes.models import Membership, Programme, Role
from programmes.ordering import swap_with_neighbour
from programmes.policy import Actor, is_own, require, require_lead
from programmes.services.notification import record_action

if TYPE_CHECKING:
    # The AUTH_USER_MODEL, as django-stubs resolves it: this app does not import mentoring.
    from django.contrib.auth.models import _User as User


class ActivityError(Invalid):
    """A change to the checklist that cannot be made; the message says why."""


def _require_lead(programme: Programme, by: Actor) -> None:
    require_lead(by, programme, "Only a lead of this programme can change its activities.")


def _clean(fields: dict) -> dict:
    if fields.get("recurrence", Recurrence.ONCE) == Recurrence.ONCE:
        fields["times"] = 1
    return fields


@transaction.atomic
def add_activity(*, programme: Programme, by: Actor, **fields: Any) -> Activity:
    """Add an activity at the end of the programme's checklist."""
    _require_lead(programme, by)
    last = programme.activities.aggregate(last=Max("position"))["last"] or 0
    return Activity.objects.create(programme=programme, position=last + 1, **_clean(fields))


@transaction.atomic
def update_activity(*, activity: Activity, by: Actor, **fields: Any) -> Activity:
    """Change an activity. Completions already logged stay as they were."""
    _require_lead(activity.programme, by)
    for name, value in _clean(fields).items():
        setattr(activity, name, value)
    activity.save()
    return activity


@transaction.atomic
def remove_activity(*, activity: Activity, by: Actor) -> Activity:
    """Take an activity off the checklist. If anyone has done it, it is archived so that
    their record keeps it; otherwise it is deleted."""
    _require_lead(activity.programme, by)
    if activity.completions.exists():
        activity.archived_at = timezone.now()
        activity.save(update_fields=["archived_at"])
    else:
        activity.delete()
    return activity


@transaction.atomic
def move_activity(*, activity: Activity, by: Actor, up: bool) -> Activity:
    """Swap an activity with its neighbour on the checklist."""
    _require_lead(activity.programme, by)
    siblings = Activity.objects.current().filter(programme=activity.programme_id)
    if not swap_with_neighbour(siblings, activity, up=up):
        raise ActivityError("That activity is already at the " + ("top." if up else "bottom."))
    return activity


@transaction.atomic
def add_default_activities(*, programme: Programme, by: Actor) -> list[Activity]:
    """The Social Adoption Programme's checklist, for a programme made from the template."""
    _require_lead(programme, by)
    phases = {phase.name: phase for phase in programme.phases.all()}
    return Activity.objects.bulk_create(
        Activity(
            programme=programme,
            position=position,
            title=blueprint.title,
            description=blueprint.description,
            platform=blueprint.platform,
            evidence=blueprint.evidence,
            recurrence=blueprint.recurrence,
            times=blueprint.times,
            applies_from=phases.get(blueprint.applies_from),
            skill=blueprint.skill,
        )
        for position, blueprint in enumerate(DEFAULT_ACTIVITIES, start=1)
    )


@transaction.atomic
def copy_activities(*, source: Programme, programme: Programme, by: Actor) -> list[Activity]:
    """The source programme's current activities, for its next cohort. Phases are matched by
    position, which a duplicated programme keeps."""
    _require_lead(programme, by)
    phases = {phase.position: phase for phase in programme.phases.all()}
    return Activity.objects.bulk_create(
        Activity(
            programme=programme,
            position=position,
            title=activity.title,
            description=activity.description,
            platform=activity.platform,
            evidence=activity.evidence,
            recurrence=activity.recurrence,
            times=activity.times,
            applies_from=phases.get(activity.applies_from.position)
            if activity.applies_from
            else None,
            skill=activity.skill,
        )
        for position, activity in enumerate(
            source.activities.current().select_related("applies_from").order_by("position"),
            start=1,
        )
    )


def _require_own(membership: Membership, by: Actor) -> None:
    """The mentee does the work: a completion is only ever logged by the person who did it,
    whoever else can see the checklist."""
    require(
        is_own(by, membership) and membership.is_active and membership.role != Role.LEAD,
        "Only the person who did an activity can log it.",
    )


def today_for(user: User, now: datetime | None = None) -> date:
    return periods.today_in(user.time_zone, now or timezone.now())


@transaction.atomic
def log_completion(
    *,
    membership: Membership,
    activity: Activity,
    by: Actor,
    done_on: date | None = None,
    evidence_url: str = "",
    note: str = "",
    what_worked: str = "",
    what_failed: str = "",
) -> Completion:
    """Record that `by` did `activity` (on `done_on`, today where they are if not given)."""
    _require_own(membership, by)
    if activity.programme_id != membership.programme_id or activity.archived_at is not None:
        raise ActivityError("That activity is not on this checklist.")
    today = today_for(by)
    done_on = done_on or today
    if done_on > today:
        raise ActivityError("Log an activity once you have done it, not before.")
    if done_on < today - timedelta(days=366):
        raise ActivityError("That is more than a year ago; log recent activities.")
    if (
        membership.role == Role.MENTEE
        and not Activity.objects.open_to(membership).filter(pk=activity.pk).exists()
    ):
        raise ActivityError(f"“{activity.title}” opens in {activity.applies_from}.")
    completion = Completion.objects.create(
        activity=activity,
        membership=membership,
        done_on=done_on,
        evidence_url=evidence_url,
        note=note,
        what_worked=what_worked if membership.role == Role.MENTOR else "",
        what_failed=what_failed if membership.role == Role.MENTOR else "",
    )
    record_action(
        user=by,
        action="completion",
        mentee=membership if membership.role == Role.MENTEE else None,
    )
    return completion


@transaction.atomic
def undo_completion(*, completion: Completion, by: Actor, now: datetime | None = None) -> None:
    """Take back a completion logged by mistake, within the undo window."""
    _require_own(completion.membership, by)
    if not completion.can_be_undone(now):
        raise ActivityError("That was logged too long ago to undo.")
    completion.delete()


@transaction.atomic
def set_personal_target(*, membership: Membership, by: Actor, per_week: int | None) -> Membership:
    """A mentee sets their own pace (activities a week); None clears it."""
    require(membership.role == Role.MENTEE, "A personal target belongs to a mentee.")
    _require_own(membership, by)
    if per_week is None:
        PersonalTarget.objects.filter(membership=membership).delete()
    else:
        PersonalTarget.objects.update_or_create(
            membership=membership, defaults={"per_week": per_week, "set_at": timezone.now()}
        )
    return membership
