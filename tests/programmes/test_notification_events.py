"""Events reach the people they concern: each is told once, with a link they may open; the
person who caused it is not told; a repeat tells nobody twice; a change rolled back tells
nobody; and no notification carries anything a pair or a mentee wrote. Doing things marks
the nudges that asked for them as acted on."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from mentoring.models import CadenceAgreement
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.pairing import end_pairing, pair
from mentoring.services.session import (
    mark_action,
    reflect_on_session,
    save_session,
    start_session,
)
from playbooks.models import Section
from playbooks.services.activity import add_activity, log_completion
from playbooks.services.integration import sign_off
from playbooks.services.playbook import (
    complete_section,
    save_section,
    send_section_back,
    submit_section_for_review,
)
from programmes.models import (
    EmailStatus,
    ExitCriterion,
    Membership,
    Notification,
    NotificationKind,
    Pairing,
    Role,
)
from programmes.services.progress import advance_phase, move_back
from programmes.services.workshop import (
    book_place,
    cancel_place,
    cancel_workshop,
    record_attendance,
    schedule_workshop,
    update_workshop,
)
from tests.factories import make_mentee, make_user

pytestmark = pytest.mark.django_db

# Planted in everything people write; it must never reach a notification.
PRIVATE = "zq-private-7731"


@pytest.fixture
def cast(cast):
    """The cast, without the notifications that setting it up recorded (its pairings)."""
    Notification.objects.all().delete()
    return cast


@dataclass
class Event:
    """Something that happens: `act` does it (once the setup is done), `actor` did it,
    `told` should hear of it (as `kind`), `again` tries the same event a second time."""

    kind: str
    act: Callable[[], object]
    actor: object
    told: list
    again: Callable[[], object] | None = None
    also: dict[str, list] = field(default_factory=dict)  # other kinds the same act records


def _refused(call: Callable[[], object]) -> Callable[[], None]:
    """A repeat the service refuses (a second click, a stale form) or quietly ignores."""

    def attempt() -> None:
        try:
            with transaction.atomic():
                call()
        except Exception:
            pass  # whichever refusal: nothing may be recorded

    return attempt


def _fresh(membership: Membership) -> Membership:
    return Membership.objects.select_related("programme", "current_phase", "user").get(
        pk=membership.pk
    )


def _in(criterion: str) -> Callable[[Membership], bool]:
    return lambda m: m.current_phase is not None and m.current_phase.exit_criterion == criterion


def _advance_until(cast, done: Callable[[Membership], bool]) -> Membership:
    membership = _fresh(cast.mentee_membership)
    for _ in range(10):
        if done(membership):
            return membership
        advance_phase(membership=membership, by=cast.lead)
        membership = _fresh(membership)
    raise AssertionError("the template has no such phase")


def _section(cast) -> Section:
    section = (
        Section.objects.filter(playbook__membership=cast.mentee_membership)
        .select_related("template_section", "playbook__membership__programme")
        .order_by("template_section__position")
        .first()
    )
    assert section is not None
    return section


def _write(cast) -> Section:
    section = _section(cast)
    body = f"My purpose. {PRIVATE}"
    if section.body != body:
        save_section(section=section, by=cast.mentee, body=body, version=section.version)
    return _section(cast)


def _workshop(cast, *, starts_in=timedelta(days=7)):
    starts_at = timezone.now().replace(microsecond=0) + starts_in
    return schedule_workshop(
        programme=cast.programme,
        by=cast.lead,
        title="LinkedIn for beginners",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        time_zone="Europe/London",
        location="Room 4",
        description=f"Bring a phone. {PRIVATE}",
    )


def _workshop_fields(workshop, **changes) -> dict:
    fields = {
        "title": workshop.title,
        "starts_at": workshop.starts_at,
        "ends_at": workshop.ends_at,
        "time_zone": workshop.time_zone,
        "description": workshop.description,
        "location": workshop.location,
    }
    return fields | changes


# --- The events ----------------------------------------------------------------------------


def advanced_by_the_mentor(cast) -> Event:
    membership = _fresh(cast.mentee_membership)

    def act():
        return advance_phase(
            membership=membership,
            by=cast.mentor,
            note=PRIVATE,
            from_phase_id=membership.current_phase_id,
        )

    return Event(NotificationKind.PHASE_CHANGED, act, cast.mentor, [cast.mentee, cast.lead], act)


def advanced_by_the_lead(cast) -> Event:
    membership = _fresh(cast.mentee_membership)

    def act():
        return advance_phase(
            membership=membership, by=cast.lead, from_phase_id=membership.current_phase_id
        )

    return Event(NotificationKind.PHASE_CHANGED, act, cast.lead, [cast.mentee, cast.mentor], act)


def moved_back(cast) -> Event:
    membership = _advance_until(
        cast, lambda m: m.current_phase is not None and m.current_phase.position > 1
    )

    def act():
        return move_back(
            membership=membership,
            by=cast.lead,
            note=f"Not yet. {PRIVATE}",
            from_phase_id=membership.current_phase_id,
        )

    return Event(NotificationKind.PHASE_CHANGED, act, cast.lead, [cast.mentee, cast.mentor], act)


def moved_automatically(cast) -> Event:
    membership = _advance_until(cast, _in(ExitCriterion.WORKSHOPS_ATTENDED))
    phase = membership.current_phase
    assert phase is not None
    phase.exit_count = 1
    phase.save()
    workshop = _workshop(cast, starts_in=-timedelta(hours=1))

    def act():
        return record_attendance(workshop=workshop, by=cast.lead, attendance={membership: True})

    # The lead recorded attendance; the system moved the mentee on, so the lead is told too.
    return Event(
        NotificationKind.PHASE_CHANGED,
        act,
        None,
        [cast.mentee, cast.mentor, cast.lead],
        act,
    )


def operationalised(cast) -> Event:
    last = cast.programme.phases.order_by("position").last()
    membership = _advance_until(cast, lambda m: m.current_phase_id == last.pk)

    def act():
        return advance_phase(
            membership=membership, by=cast.lead, from_phase_id=membership.current_phase_id
        )

    return Event(NotificationKind.PHASE_CHANGED, act, cast.lead, [cast.mentee, cast.mentor], act)


def signed_off(cast) -> Event:
    membership = _advance_until(cast, _in(ExitCriterion.LEAD_SIGN_OFF))
    co_lead = make_user("Cai Colead", "co-lead@example.org")
    Membership.objects.create(programme=cast.programme, user=co_lead, role=Role.LEAD)

    def act():
        return sign_off(membership=membership, by=cast.lead, note=f"Well done. {PRIVATE}")

    # The pair hear of the sign-off once; the other leads hear of the move.
    return Event(
        NotificationKind.SIGNED_OFF,
        act,
        cast.lead,
        [cast.mentee, cast.mentor],
        act,
        also={NotificationKind.PHASE_CHANGED: [co_lead]},
    )


def _pairing(cast) -> Pairing:
    return Pairing.objects.active().get(mentee=cast.mentee_membership)


def cadence_proposed(cast) -> Event:
    def act():
        return propose_cadence(pairing=_pairing(cast), by=cast.mentor, cadence="fortnightly")

    return Event(NotificationKind.CADENCE_PROPOSED, act, cast.mentor, [cast.mentee])


def cadence_accepted(cast) -> Event:
    agreement = propose_cadence(
        pairing=_pairing(cast), by=cast.mentor, cadence="weekly", channel="video"
    )

    def act():
        return answer_cadence(agreement=agreement, by=cast.mentee, accept=True)

    return Event(NotificationKind.CADENCE_PROPOSED, act, cast.mentee, [cast.mentor], act)


def cadence_declined(cast) -> Event:
    agreement = propose_cadence(pairing=_pairing(cast), by=cast.mentee, cadence="monthly")

    def act():
        return answer_cadence(agreement=agreement, by=cast.mentor, accept=False)

    return Event(NotificationKind.CADENCE_PROPOSED, act, cast.mentor, [cast.mentee], act)


def paired(cast) -> Event:
    newcomer = make_user("Nia Newcomer", "nia@example.org")
    mentee = make_mentee(cast.programme, user=newcomer)

    def act():
        return pair(mentor=cast.mentor_membership, mentee=mentee, by=cast.lead)

    return Event(NotificationKind.PAIRING_CHANGED, act, cast.lead, [newcomer, cast.mentor], act)


def mentor_changed(cast) -> Event:
    other_mentor = Membership.objects.get(user=cast.other_mentor, role=Role.MENTOR)

    def act():
        return pair(
            mentor=other_mentor,
            mentee=cast.mentee_membership,
            by=cast.lead,
            reason=f"A better match. {PRIVATE}",
        )

    told = [cast.mentee, cast.other_mentor, cast.mentor]
    return Event(NotificationKind.PAIRING_CHANGED, act, cast.lead, told, act)


def pairing_ended(cast) -> Event:
    pairing = _pairing(cast)

    def act():
        return end_pairing(pairing=pairing, by=cast.lead, reason=f"Moving on. {PRIVATE}")

    return Event(NotificationKind.PAIRING_CHANGED, act, cast.lead, [cast.mentee, cast.mentor], act)


def section_completed(cast) -> Event:
    section = _write(cast)

    def act():
        return complete_section(section=section, by=cast.mentor)

    return Event(NotificationKind.SECTION_REVIEWED, act, cast.mentor, [cast.mentee], act)


def section_sent_back(cast) -> Event:
    section = _write(cast)
    submit_section_for_review(section=section, by=cast.mentee)

    def act():
        return send_section_back(section=section, by=cast.mentor, comment=f"Bolder. {PRIVATE}")

    return Event(NotificationKind.SECTION_REVIEWED, act, cast.mentor, [cast.mentee], act)


def workshop_moved(cast) -> Event:
    workshop = _workshop(cast)
    book_place(workshop=workshop, by=cast.mentee)
    book_place(workshop=workshop, by=cast.other_mentee)
    fields = _workshop_fields(
        workshop,
        starts_at=workshop.starts_at + timedelta(days=1),
        ends_at=workshop.ends_at + timedelta(days=1),
    )

    def act():
        return update_workshop(workshop=workshop, by=cast.lead, **fields)

    told = [cast.mentee, cast.other_mentee]
    return Event(NotificationKind.WORKSHOP_BOOKED, act, cast.lead, told, act)


def workshop_cancelled(cast) -> Event:
    workshop = _workshop(cast)
    book_place(workshop=workshop, by=cast.mentee)
    book_place(workshop=workshop, by=cast.other_mentee)

    def act():
        return cancel_workshop(workshop=workshop, by=cast.lead)

    told = [cast.mentee, cast.other_mentee]
    return Event(NotificationKind.WORKSHOP_BOOKED, act, cast.lead, told, act)


EVENTS = {
    f.__name__: f
    for f in [
        advanced_by_the_mentor,
        advanced_by_the_lead,
        moved_back,
        moved_automatically,
        operationalised,
        signed_off,
        cadence_proposed,
        cadence_accepted,
        cadence_declined,
        paired,
        mentor_changed,
        pairing_ended,
        section_completed,
        section_sent_back,
        workshop_moved,
        workshop_cancelled,
    ]
}


def _happen(cast, name: str) -> Event:
    event = EVENTS[name](cast)
    Notification.objects.all().delete()  # what the setup recorded is not this event
    event.act()
    return event


def _recipients(kind: str) -> list[int]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


# --- Who is told, and where it takes them --------------------------------------------------


@pytest.mark.parametrize("name", EVENTS)
def test_each_event_tells_the_people_it_concerns_once_with_a_link_they_may_open(client, cast, name):
    event = _happen(cast, name)
    assert _recipients(event.kind) == sorted(person.pk for person in event.told)
    for kind, people in event.also.items():
        assert _recipients(kind) == sorted(person.pk for person in people)
    for notification in Notification.objects.select_related("recipient"):
        assert notification.link.startswith("/"), notification.link
        client.force_login(notification.recipient)
        response = client.get(notification.link)
        assert response.status_code == 200, (notification.title, notification.link)


@pytest.mark.parametrize("name", EVENTS)
def test_the_person_who_caused_an_event_is_not_told_of_it(cast, name):
    event = _happen(cast, name)
    assert Notification.objects.exists()
    if event.actor is not None:
        assert not Notification.objects.filter(recipient=event.actor).exists()
    for outsider in (cast.other_lead, cast.other_mentor):
        if outsider not in event.told:
            assert not Notification.objects.filter(recipient=outsider).exists()


@pytest.mark.parametrize("name", [name for name, f in EVENTS.items() if name != "cadence_proposed"])
def test_the_same_event_again_tells_nobody_twice(cast, name):
    event = _happen(cast, name)
    before = Notification.objects.count()
    assert event.again is not None
    _refused(event.again)()
    assert Notification.objects.count() == before


@pytest.mark.parametrize("name", EVENTS)
def test_a_change_rolled_back_tells_nobody(cast, name):
    event = EVENTS[name](cast)
    Notification.objects.all().delete()

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        event.act()
        assert Notification.objects.exists()
        raise RolledBack
    assert not Notification.objects.exists()


def test_a_mentee_and_the_others_read_the_move_in_their_own_words(cast):
    _happen(cast, "advanced_by_the_mentor")
    phase = _fresh(cast.mentee_membership).current_phase
    to_mentee = Notification.objects.get(recipient=cast.mentee)
    to_lead = Notification.objects.get(recipient=cast.lead)
    assert to_mentee.title == f"You moved on to {phase.name}"
    assert to_lead.title == f"Mia Mentee moved on to {phase.name}"
    assert "Mo Mentor" in to_lead.body
    assert to_mentee.about_id == cast.mentee_membership.pk
    assert to_mentee.programme_id == cast.programme.pk


def test_a_new_mentor_and_the_old_one_are_each_told_in_their_words(cast):
    _happen(cast, "mentor_changed")
    titles = dict(Notification.objects.values_list("recipient__email", "title"))
    assert titles == {
        "mentee@example.org": "Your mentor is now Olu Othermentor",
        "other-mentor@example.org": "You are now mentoring Mia Mentee",
        "mentor@example.org": "Mia Mentee has a new mentor",
    }


def test_a_change_to_a_workshops_description_alone_tells_nobody(cast):
    workshop = _workshop(cast)
    book_place(workshop=workshop, by=cast.mentee)
    Notification.objects.all().delete()
    update_workshop(
        workshop=workshop, by=cast.lead, **_workshop_fields(workshop, description="New text.")
    )
    assert not Notification.objects.exists()


def test_moving_a_workshop_there_and_back_tells_its_mentees_each_time(cast):
    workshop = _workshop(cast)
    book_place(workshop=workshop, by=cast.mentee)
    Notification.objects.all().delete()
    later = timedelta(hours=3)
    moved = {"starts_at": workshop.starts_at + later, "ends_at": workshop.ends_at + later}
    original = {"starts_at": workshop.starts_at, "ends_at": workshop.ends_at}
    for times in (moved, original, moved):
        update_workshop(workshop=workshop, by=cast.lead, **_workshop_fields(workshop, **times))
    assert Notification.objects.filter(recipient=cast.mentee).count() == 3


def test_booking_or_giving_up_your_own_place_tells_nobody(cast):
    workshop = _workshop(cast)
    book_place(workshop=workshop, by=cast.mentee)
    cancel_place(workshop=workshop, by=cast.mentee)
    assert not Notification.objects.exists()


def test_a_section_marked_ready_reaches_the_mentor_as_an_event_with_their_settings(cast):
    section = _write(cast)
    submit_section_for_review(section=section, by=cast.mentee)
    told = Notification.objects.get()
    assert told.recipient == cast.mentor and told.kind == NotificationKind.SECTION_READY
    assert told.email_status == EmailStatus.PENDING  # emailed by the worker, as any event


# --- Nothing private ---------------------------------------------------------------------


def _log_a_private_session(cast):
    pairing = _pairing(cast)
    session = start_session(pairing=pairing, by=cast.mentor)
    session = save_session(
        session=session,
        by=cast.mentor,
        version=session.version,
        fields={"topics": PRIVATE, "resonated": PRIVATE, "learning_shared": PRIVATE},
        actions=[{"text": f"Post weekly {PRIVATE}", "due_on": date.today() + timedelta(7)}],
        log=True,
    )
    reflect_on_session(session=session, by=cast.mentee, body=PRIVATE, shared=True)
    return session


@pytest.mark.parametrize("name", EVENTS)
def test_no_notification_carries_what_people_wrote(cast, name):
    _log_a_private_session(cast)
    _write(cast)
    _happen(cast, name)
    found = list(Notification.objects.values_list("title", "body", "reason", "link"))
    assert found
    for row in found:
        assert PRIVATE not in " ".join(row), row


def test_logging_a_session_that_moves_the_mentee_on_keeps_its_log_out_of_the_news(cast):
    phase = _advance_until(cast, _in(ExitCriterion.SESSIONS_LOGGED)).current_phase
    assert phase is not None
    phase.exit_count = 1
    phase.save()
    Notification.objects.all().delete()
    session = _log_a_private_session(cast)
    mark_action(action=session.actions.get(), by=cast.mentee, done=True)
    moved = Notification.objects.filter(kind=NotificationKind.PHASE_CHANGED)
    assert sorted(moved.values_list("recipient_id", flat=True)) == sorted(
        [cast.mentee.pk, cast.mentor.pk, cast.lead.pk]
    )
    for row in moved.values_list("title", "body", "reason"):
        assert PRIVATE not in " ".join(row)


# --- Acting on nudges ----------------------------------------------------------------------


def _nudge(cast, kind=NotificationKind.NEXT_STEP, recipient=None) -> Notification:
    return Notification.objects.create(
        recipient=recipient or cast.mentee,
        kind=kind,
        period=f"{kind}:test",
        programme=cast.programme,
        about=cast.mentee_membership,
        title="Your next step",
    )


def test_ticking_a_completion_marks_the_nudge_acted_on_and_the_mentee_active(cast):
    nudge = _nudge(cast)
    membership = cast.mentee_membership
    activity = add_activity(programme=cast.programme, by=cast.lead, title="Post once")
    log_completion(membership=membership, activity=activity, by=cast.mentee)
    nudge.refresh_from_db()
    membership.refresh_from_db()
    assert nudge.acted_at is not None
    assert membership.last_active_at is not None
    assert membership.last_active_at >= nudge.created_at


def test_saving_a_section_marks_the_nudge_acted_on(cast):
    nudge = _nudge(cast)
    _write(cast)
    nudge.refresh_from_db()
    assert nudge.acted_at is not None


def test_a_session_logged_answers_both_sides_nudges(cast):
    to_mentor = _nudge(cast, NotificationKind.SESSION_DUE, recipient=cast.mentor)
    to_mentee = _nudge(cast, NotificationKind.SESSION_DUE)
    _log_a_private_session(cast)
    for nudge in (to_mentor, to_mentee):
        nudge.refresh_from_db()
        assert nudge.acted_at is not None
    cast.mentee_membership.refresh_from_db()
    assert cast.mentee_membership.last_active_at is not None


def test_a_review_answers_the_mentors_review_nudge_and_not_the_mentees(cast):
    section = _write(cast)
    waiting = _nudge(cast, NotificationKind.REVIEW_WAITING, recipient=cast.mentor)
    mentees = _nudge(cast, NotificationKind.NEXT_STEP)
    complete_section(section=section, by=cast.mentor)
    waiting.refresh_from_db()
    mentees.refresh_from_db()
    assert waiting.acted_at is not None
    assert mentees.acted_at is None


def test_answering_a_cadence_proposal_answers_the_cadence_nudge(cast):
    nudge = _nudge(cast, NotificationKind.CADENCE_CHECK)
    agreement = propose_cadence(pairing=_pairing(cast), by=cast.mentor, cadence="weekly")
    answer_cadence(agreement=agreement, by=cast.mentee, accept=True)
    nudge.refresh_from_db()
    assert nudge.acted_at is not None
    assert CadenceAgreement.objects.get(pk=agreement.pk).status == "accepted"


def test_the_mentee_ticking_an_agreed_action_counts_as_their_activity(cast):
    session = _log_a_private_session(cast)
    Membership.objects.filter(pk=cast.mentee_membership.pk).update(last_active_at=None)
    nudge = _nudge(cast)
    mark_action(action=session.actions.get(), by=cast.mentee, done=True)
    nudge.refresh_from_db()
    cast.mentee_membership.refresh_from_db()
    assert nudge.acted_at is not None
    assert cast.mentee_membership.last_active_at is not None


def test_an_event_recorded_late_is_listed_at_its_own_time_and_not_emailed(cast):
    Notification.objects.all().delete()
    weeks_ago = timezone.now() - timedelta(days=21)
    advance_phase(membership=cast.mentee_membership, by=cast.lead, at=weeks_ago)
    told = Notification.objects.get(recipient=cast.mentee, kind=NotificationKind.PHASE_CHANGED)
    assert told.created_at == told.visible_from == weeks_ago
    assert told.email_status == "none"
    # The same move today is news: it is emailed.
    advance_phase(membership=cast.mentee_membership, by=cast.lead)
    latest = Notification.objects.filter(recipient=cast.mentee).order_by("-created_at").first()
    assert latest.email_status == "pending"


def test_a_burst_of_autosaves_writes_the_mentees_activity_once(cast):
    from programmes.services.notification import record_action

    mentee = cast.mentee_membership
    first = timezone.now()
    record_action(user=cast.mentee, action="section", mentee=mentee, at=first)
    mentee.refresh_from_db()
    assert mentee.last_active_at == mentee.pace_due_at == first
    # A minute on, in the same sitting, with a look already due: nothing new to write.
    record_action(
        user=cast.mentee, action="section", mentee=mentee, at=first + timedelta(minutes=1)
    )
    mentee.refresh_from_db()
    assert mentee.last_active_at == first
    # Once the sweep has looked and set a later check, the next save asks for a look again.
    Membership.objects.filter(pk=mentee.pk).update(pace_due_at=first + timedelta(days=3))
    later = first + timedelta(minutes=2)
    record_action(user=cast.mentee, action="section", mentee=mentee, at=later)
    mentee.refresh_from_db()
    assert mentee.last_active_at == mentee.pace_due_at == later


def test_answering_a_cadence_proposal_settles_the_note_that_asked_for_the_answer(cast):
    agreement = propose_cadence(pairing=_pairing(cast), by=cast.mentor, cadence="fortnightly")
    asked = Notification.objects.get(recipient=cast.mentee, kind=NotificationKind.CADENCE_PROPOSED)
    assert asked.read_at is None and asked.email_status == EmailStatus.PENDING
    answer_cadence(agreement=agreement, by=cast.mentee, accept=True)
    asked.refresh_from_db()
    # Read, and its email (not gone yet) no longer goes: the question was answered.
    assert asked.read_at is not None and asked.email_status == EmailStatus.NONE
    # The proposer's news of the answer is new to them.
    told = Notification.objects.get(recipient=cast.mentor, kind=NotificationKind.CADENCE_PROPOSED)
    assert told.read_at is None and "agreed to meet fortnightly" in told.title


def test_a_next_step_nudge_from_the_phase_left_behind_no_longer_waits_to_be_read_or_sent(cast):
    from datetime import timedelta

    from django.utils import timezone

    from programmes.services.progress import advance_phase

    old = Notification.objects.create(
        recipient=cast.mentee,
        kind=NotificationKind.NEXT_STEP,
        period="x",
        title="A workshop place is waiting",
        about=cast.mentee_membership,
        programme=cast.programme,
        created_at=timezone.now() - timedelta(days=1),
        email_status=EmailStatus.PENDING,
    )
    advance_phase(membership=cast.mentee_membership, by=cast.lead)
    old.refresh_from_db()
    assert old.read_at is not None and old.email_status == EmailStatus.NONE
    assert old.title == "A workshop place is waiting"  # still listed, as what was said


def test_a_nudge_to_tick_off_actions_counts_as_acted_on_only_when_one_is_ticked(cast):
    from django.utils import timezone

    from mentoring.models import AgreedAction
    from mentoring.services.session import mark_action
    from programmes.services.notification import record_action

    nudge = Notification.objects.create(
        recipient=cast.mentee, kind=NotificationKind.ACTIONS_DUE, period="x", title="Tick",
        about=cast.mentee_membership, programme=cast.programme,
        created_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    record_action(user=cast.mentee, action="cadence", mentee=cast.mentee_membership)
    nudge.refresh_from_db()
    assert nudge.acted_at is None  # answering a cadence is not what it asked
    session = _log_a_private_session(cast)
    action = AgreedAction.objects.get(session=session)
    mark_action(action=action, by=cast.mentee, done=True)
    nudge.refresh_from_db()
    assert nudge.acted_at is not None
