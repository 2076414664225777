"""Session logs, agreed actions, guidelines and the mentee's side of a session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from mentoring.cadence import next_session_on
from mentoring.models import (
    AgreedAction,
    EngagementPreference,
    Guideline,
    GuidelineCheck,
    MentoringSession,
    Owner,
    Reflection,
    SelfCheck,
    SessionFeedback,
    SessionStatus,
)
from mentoring.selectors.cadence import agreed_cadence, next_sessions
from mentoring.services import tally
from programmes.errors import Conflict, Invalid
from programmes.models import NotificationKind, Pairing
from programmes.policy import Actor, is_own, require
from programmes.services.membership import look_again
from programmes.services.notification import notify, record_action
from programmes.services.progress import check_progress


class SessionError(Invalid):
    """A change to a session that cannot be made; the message says why."""


class SessionConflict(SessionError, Conflict):
    """The session was saved somewhere else since this form was opened."""

    def __init__(self, session: MentoringSession) -> None:
        super().__init__(
            "This log was saved somewhere else since you opened it (perhaps in another tab). "
            "Nothing was overwritten."
        )
        self.session = session


def next_date(cadence: str | None, after: date) -> date | None:
    """The next session's date as a new log proposes it: by the one rule, with this
    session as the pair's last."""
    return next_session_on(agreed=None, last_held=after, cadence=cadence, since=after, today=after)


@transaction.atomic
def start_session(*, pairing: Pairing, by: Actor, at: datetime | None = None) -> MentoringSession:
    """Open the mentor's draft log for a pairing, or the draft already open. The channel
    comes from the agreed cadence, the phase from where the mentee is now."""
    pairing = (
        Pairing.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee")
        .get(pk=pairing.pk)
    )
    if pairing.ended_at is not None or not is_own(by, pairing.mentor):
        raise SessionError("Only the mentor of a current pairing logs its sessions.")
    draft = MentoringSession.objects.filter(pairing=pairing, status=SessionStatus.DRAFT).first()
    if draft is not None:
        return draft
    at = (at or timezone.now()).replace(second=0, microsecond=0)
    agreement = agreed_cadence(pairing)
    preference = (
        EngagementPreference.objects.current().filter(membership_id=pairing.mentee_id).first()
    )
    channel = agreement.channel if agreement and agreement.channel else ""
    if not channel and preference and preference.channels:
        channel = preference.channels[0]
    cadence = agreement.cadence if agreement else (preference.cadence if preference else None)
    return MentoringSession.objects.create(
        pairing=pairing,
        programme_id=pairing.programme_id,
        mentee_id=pairing.mentee_id,
        mentor_id=pairing.mentor_id,
        held_at=at,
        minutes=preference.session_minutes if preference else 45,
        channel=channel,
        phase_id=pairing.mentee.current_phase_id,
        next_session_on=next_date(cadence, at.date()),
        created_at=at,
        updated_at=at,
    )


def open_actions_before(session: MentoringSession) -> QuerySet[AgreedAction]:
    """Actions from the pair's earlier logged sessions still to do, and those ticked done
    in this log: the ones it carries forward."""
    return (
        AgreedAction.objects.filter(
            session__pairing_id=session.pairing_id, session__status=SessionStatus.LOGGED
        )
        .exclude(session=session)
        .filter(Q(done_at__isnull=True) | Q(closed_in=session))
        .select_related("session")
    )


def _save_actions(session: MentoringSession, actions: Iterable[dict], *, log: bool) -> None:
    existing: dict[int | None, AgreedAction] = {a.pk: a for a in session.actions.all()}
    kept = set()
    for position, row in enumerate(a for a in actions if a.get("text", "").strip()):
        due = row.get("due_on") or (session.next_session_on if log else None)
        if log and due is None:
            raise SessionError(
                f"Give “{row['text'].strip()}” a due date, or set the next session's date."
            )
        action = existing.get(row.get("id"))
        if action is None:
            action = AgreedAction(session=session, mentee_id=session.mentee_id)
        action.text, action.owner = row["text"].strip(), row.get("owner") or Owner.MENTEE
        action.due_on, action.position = due, position
        action.save()
        kept.add(action.pk)
    session.actions.exclude(pk__in=kept).delete()


def _close_carried_actions(session: MentoringSession, done_ids: Iterable[int], by: Actor) -> None:
    done_ids = set(done_ids)
    carried = open_actions_before(session)
    now = timezone.now()
    carried.filter(pk__in=done_ids, done_at__isnull=True).update(
        done_at=now, done_by=by, closed_in=session
    )
    carried.filter(closed_in=session).exclude(pk__in=done_ids).update(
        done_at=None, done_by=None, closed_in=None
    )


def _save_checks(session: MentoringSession, checks: dict[int, tuple[str, str]]) -> None:
    guidelines = set(
        Guideline.objects.filter(programme_id=session.programme_id).values_list("pk", flat=True)
    )
    for guideline_id, (answer, note) in checks.items():
        if guideline_id not in guidelines:
            continue
        if not answer and not note.strip():
            GuidelineCheck.objects.filter(session=session, guideline_id=guideline_id).delete()
            continue
        GuidelineCheck.objects.update_or_create(
            session=session,
            guideline_id=guideline_id,
            defaults={"answer": answer if answer in SelfCheck.values else "", "note": note},
        )


@transaction.atomic
def save_session(
    *,
    session: MentoringSession,
    by: Actor,
    version: int,
    fields: dict,
    actions: Iterable[dict] = (),
    done_action_ids: Iterable[int] = (),
    checks: dict[int, tuple[str, str]] | None = None,
    log: bool = False,
) -> MentoringSession:
    """Save the mentor's log: a draft (by hand or autosaved) or, with `log`, the record the
    mentee then reads. `version` is the one the form started from; if the log has been
    saved since, nothing is written and `SessionConflict` says so.

    Logging tells the mentee and checks whether they have completed their phase."""
    session = (
        MentoringSession.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee__user", "programme")
        .get(pk=session.pk)
    )
    if not is_own(by, session.mentor):
        raise SessionError("Only the mentor who holds the session writes its log.")
    if version != session.version:
        raise SessionConflict(session)
    first_log = log and session.is_draft
    sections, activities = fields.pop("sections", None), fields.pop("activities", None)
    for name, value in fields.items():
        setattr(session, name, value)
    session.version += 1
    session.updated_at = timezone.now()
    if first_log:
        session.status, session.logged_at = SessionStatus.LOGGED, session.updated_at
    session.save()
    if sections is not None:
        session.sections.set(sections)
    if activities is not None:
        session.activities.set(activities)
    _save_actions(session, actions, log=log or not session.is_draft)
    _close_carried_actions(session, done_action_ids, by)
    _save_checks(session, checks or {})
    if not session.is_draft:
        tally.refresh(session)
    if first_log:
        _tell_the_mentee(session)
        record_action(user=by, action="session", mentee=session.mentee, at=session.logged_at)
    if log:
        check_progress(membership=session.mentee)
    return session


def _tell_the_mentee(session: MentoringSession) -> None:
    """The mentee hears their session is logged, through their notification settings: what
    happened and when, never what was said (they read that on the session's page)."""
    coming = next_sessions([session.pairing]).get(session.pairing_id)
    next_on = coming.on if coming and coming.on and coming.on >= coming.today else None
    mentor = session.mentor.user
    held = timezone.localdate(session.held_at)
    body = "Read it, add your reflection (private unless you share it), and say whether this "
    body += "way and this often suit you."
    if next_on:
        body += f" Your next session: {next_on:%A} {next_on.day} {next_on:%B}."
    notify(
        [session.mentee.user_id],
        kind=NotificationKind.SESSION_LOGGED,
        key=session.pk,
        title=f"{mentor.display_name} logged your session of {held.day} {held:%B}",
        body=body,
        reason=f"{mentor.display_name} mentors you in {session.programme.name}.",
        link=session.get_absolute_url(),
        programme=session.programme,
        about=session.mentee,
        exclude=mentor,
    )


@transaction.atomic
def discard_draft(*, session: MentoringSession, by: Actor) -> None:
    """Throw away an unlogged draft. A logged session is never deleted here."""
    session = MentoringSession.objects.select_related("mentor").get(pk=session.pk)
    if not is_own(by, session.mentor) or not session.is_draft:
        raise SessionError("Only the mentor's own draft can be discarded.")
    AgreedAction.objects.filter(closed_in=session).update(
        done_at=None, done_by=None, closed_in=None
    )
    session.delete()


@transaction.atomic
def mark_action(*, action: AgreedAction, by: Actor, done: bool) -> AgreedAction:
    """Tick an agreed action done (or not done after all). The mentor may tick any of the
    pair's actions; the mentee ticks the ones they own, since they do that work."""
    action = (
        AgreedAction.objects.select_for_update(of=("self",))
        .select_related("session__mentor", "session__mentee")
        .get(pk=action.pk)
    )
    session = action.session
    is_mentor = is_own(by, session.mentor)
    is_owner = is_own(by, session.mentee) and action.owner == Owner.MENTEE
    require(
        is_mentor or is_owner, "Only the mentor, or the mentee for their own actions, ticks this."
    )
    newly_done = done and action.done_at is None
    if newly_done:
        action.done_at, action.done_by = timezone.now(), by
    elif not done:
        action.done_at, action.done_by, action.closed_in = None, None, None
    action.save(update_fields=["done_at", "done_by", "closed_in"])
    if newly_done and is_owner:
        # The mentee doing what they agreed is their activity, as a checklist tick is.
        record_action(user=by, action="action", mentee=session.mentee)
    else:
        look_again([session.mentee_id])  # open and overdue actions are part of their pace
    if done and not session.is_draft:
        check_progress(membership=session.mentee)
    return action


@transaction.atomic
def reflect_on_session(
    *,
    session: MentoringSession,
    by: Actor,
    body: str = "",
    shared: bool = False,
    rating: int | None = None,
    good_way_to_meet: bool | None = None,
    frequency: str = "",
) -> MentoringSession:
    """The mentee's reflection (private unless shared with the mentor), their rating and
    their two short answers. Saving again replaces them; an emptied reflection is gone."""
    session = MentoringSession.objects.select_related("mentee").get(pk=session.pk)
    if not is_own(by, session.mentee) or session.is_draft:
        raise SessionError("Only the mentee reflects on a logged session.")
    now = timezone.now()
    if body.strip():
        Reflection.objects.update_or_create(
            session=session, defaults={"body": body.strip(), "shared": shared, "updated_at": now}
        )
    else:
        Reflection.objects.filter(session=session).delete()
    SessionFeedback.objects.update_or_create(
        session=session,
        defaults={
            "rating": rating,
            "good_way_to_meet": good_way_to_meet,
            "frequency": frequency,
            "answered_at": now,
        },
    )
    tally.refresh(session, checks=False)
    return session


CSV_HEADER = [
    "date",
    "time",
    "mentee",
    "mentor",
    "length_minutes",
    "channel",
    "phase",
    "actions_agreed",
    "actions_done",
    "next_session",
]
