"""A mentee's membership: pausing them for a holiday or leave, and resuming.

While paused, the pace sweep (`mentoring/services/pace.py`) judges them "paused": no nudges
and no "slipping" until the day after the pause ends.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from programmes.errors import Invalid
from programmes.models import Membership, NotificationKind, PaceStatus, Role
from programmes.policy import Actor, actor, can_pause, is_system, leads, mentors_of, require
from programmes.signals import pace_facts_changed

# The sweep looks at people early in the morning of the day it named (see its `_store`).
CHECK_AT = time(6)


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def paused_reason(until: date) -> str:
    """The words the sweep gives a paused mentee (`judge` in mentoring/pace.py): written
    here too so the People list says it the moment the pause is made."""
    return f"Paused until {until.day} {until:%B}."


def look_again(membership_ids: list[int]) -> None:
    """What the pace rules read about these mentees changed: have them judged again as
    soon as this transaction commits, so that their pages, their mentor's and the lead's
    show a verdict that matches at once, rather than at the next sweep."""
    if membership_ids:
        pace_facts_changed.send(sender=Membership, membership_ids=list(membership_ids))


def _require_lead_or_own(by: Actor, membership: Membership, doing: str) -> None:
    require(can_pause(by, membership), f"Only a programme lead or the person themself can {doing}.")


def _locked_mentee(membership: Membership) -> Membership:
    found = Membership.objects.select_for_update().get(pk=membership.pk)
    if found.role != Role.MENTEE or not found.is_active:
        raise Invalid("Only someone taking part in the programme as a mentee can be paused.")
    return found


@transaction.atomic
def pause(*, membership: Membership, until: date, by: Actor) -> Membership:
    """Pause a mentee until the end of `until` (a holiday, leave): no nudges and no pace
    worries until then. A lead of the programme or the mentee themself may do it; pausing
    someone already paused moves the end date."""
    _require_lead_or_own(by, membership, "pause them")
    today = timezone.localdate()
    if until < today:
        raise Invalid("Choose a day from today onwards.")
    latest = one_year_after(today)
    if until > latest:
        raise Invalid(f"Pause for a year at most: until {latest.day} {latest:%B %Y} at the latest.")
    found = _locked_mentee(membership)
    found.paused_until = until
    found.pace_status = PaceStatus.PAUSED
    found.pace_reason = paused_reason(until)
    found.pace_behind = 0
    found.pace_due_at = timezone.make_aware(datetime.combine(until + timedelta(days=1), CHECK_AT))
    found.save(
        update_fields=["paused_until", "pace_status", "pace_reason", "pace_behind", "pace_due_at"]
    )
    _tell_paused(found, by, until)
    return found


def _tell_paused(found: Membership, by: Actor, until: date | None) -> None:
    """The mentee (when someone else did it) and their mentor hear of a pause or its end,
    and who did it: no one is left wondering why the nudges stopped or started."""
    # notification imports this module (look_again): imported here, when first told.
    from programmes.services.notification import notify

    who = actor(by)
    by_whom = f"{who.display_name} " if who is not None else "The programme "
    name = found.user.display_name
    slug = found.programme.slug
    when = f"{until.day} {until:%B}" if until else ""
    key = f"{found.pk}:{until.isoformat() if until else 'resumed'}:{timezone.localdate()}"
    notify(
        [found.user_id],
        kind=NotificationKind.PAUSED,
        key=key,
        title=f"You are paused until {when}" if until else "Your pause has ended",
        body=(
            f"{by_whom}paused you: nothing is expected of you, and no nudges come, until then."
            if until
            else f"{by_whom}ended your pause: your pace counts again from today."
        ),
        reason=f"You take part in {found.programme.name}.",
        link=reverse("programmes:my_journey", kwargs={"slug": slug}),
        programme=found.programme,
        about=found,
        exclude=by,
    )
    notify(
        mentors_of(found).values_list("user_id", flat=True),
        kind=NotificationKind.PAUSED,
        key=key,
        title=f"{name} is paused until {when}" if until else f"{name}'s pause has ended",
        body=(
            f"Paused by {who.display_name if who is not None else 'the programme'}: no "
            "nudges about them until then."
            if until
            else f"{by_whom}ended the pause: their pace counts again from today."
        ),
        reason=f"You mentor {name} in {found.programme.name}.",
        link=reverse("mentoring:partner", kwargs={"slug": slug, "member": found.pk}),
        programme=found.programme,
        about=found,
        exclude=by,
    )


@transaction.atomic
def resume(*, membership: Membership, by: Actor) -> Membership:
    """End a pause now: the mentee is judged afresh as soon as this commits."""
    _require_lead_or_own(by, membership, "resume them")
    found = _locked_mentee(membership)
    if not found.is_paused():
        raise Invalid("Not paused at the moment: nothing to resume.")
    found.paused_until = None
    found.pace_status = ""
    found.pace_reason = ""
    found.pace_behind = 0
    found.pace_due_at = timezone.now()
    found.save(
        update_fields=["paused_until", "pace_status", "pace_reason", "pace_behind", "pace_due_at"]
    )
    _tell_paused(found, by, None)
    look_again([found.pk])
    return found


SET_ASIDE_DAYS = 14


@transaction.atomic
def set_aside(*, membership: Membership, by: Actor, days: int = SET_ASIDE_DAYS) -> Membership:
    """A lead has dealt with someone at risk (a call, a word with their mentor): keep them
    off the dashboard's at-risk list for `days`, unless they are still at risk then. Their
    pace, nudges and the People page are unchanged."""
    require(
        is_system(by) or leads(by, membership.programme_id),
        "Only a lead of the programme can set someone aside.",
    )
    if not 1 <= days <= 90:
        raise Invalid("Set someone aside for between 1 and 90 days.")
    found = _locked_mentee(membership)
    found.risk_snoozed_until = timezone.localdate() + timedelta(days=days)
    found.save(update_fields=["risk_snoozed_until"])
    return found


@transaction.atomic
def bring_back(*, membership: Membership, by: Actor) -> Membership:
    """Undo `set_aside`: back on the dashboard's at-risk list now, while still at risk."""
    require(
        is_system(by) or leads(by, membership.programme_id),
        "Only a lead of the programme can bring someone back to the at-risk list.",
    )
    found = _locked_mentee(membership)
    found.risk_snoozed_until = None
    found.save(update_fields=["risk_snoozed_until"])
    return found
