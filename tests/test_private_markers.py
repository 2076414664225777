"""Private content never leaks: what a person may not see is nowhere they can reach.

A unique marker is planted in every private thing three mentees and their mentors write: a
session's notes, its agreed actions and the mentor's self-check notes, a draft log, a
private and a shared reflection, the playbook's text, its earlier revision and comments, a
request for another mentor, written assessment answers, activity completions (the mentee's,
and the mentor's own, shared with their partners), engagement preferences, theme mappings,
a phase move's note and a lead's sign-off note. The third mentee changed mentor: what they
said with the mentor they had stays with them, and the reason for the change stays with
them and the lead. Then each person of the cast, a mentee who changed mentor, anonymous
visitors and site staff without a role read everything the product serves them:

- every GET route of the project's own apps, found through the URL resolver and opened with
  the address of every object the cast made, in both programmes (a new route whose
  parameters nobody names here fails the walk until `OBJECTS` or `PARAMETERS` names them),
  and every link found on the pages served, followed to the end (query strings, exports);
- the downloads among them: the lead's dashboard CSVs (every table), the session figures
  CSV, the person's data export, their calendar feed (their own token) and every `.ics`;
- the admin's lists, and its page for every object holding a marker;
- every email delivered to them, after the services, the pace sweep, the lead's digest and
  the notification delivery tasks have run, and every notification row they received.

A marker served to someone PRODUCT.md's "who may see what" does not allow is a leak. Each
marker must also be found by the people named in its `shown_to`, so the walk cannot pass by
reaching nothing.
"""

from __future__ import annotations

import functools
import html
import itertools
import logging
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core import mail
from django.db.models import Max, Model
from django.test import Client
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils import timezone

from mentoring.models import (
    AgreedAction,
    CalendarFeed,
    Guideline,
    MentoringSession,
    OutboundEmail,
    Reflection,
)
from mentoring.selectors import dashboard
from mentoring.services.cadence import answer_cadence, propose_cadence
from mentoring.services.calendar import issue_feed
from mentoring.services.engagement import save_preferences
from mentoring.services.outbox import deliver_outbound_email
from mentoring.services.pace import lead_digests, sweep
from mentoring.services.pairing import pair as pair_with
from mentoring.services.pairing import request_mentor_change
from mentoring.services.reminder import remind_mentor
from mentoring.services.session import reflect_on_session, save_session, start_session
from mentoring.tasks import deliver_notifications
from playbooks.models import (
    Activity,
    Completion,
    Section,
    SectionComment,
    SectionRevision,
    StrategyPillar,
    TemplateSection,
    ThemeMapping,
)
from playbooks.services.activity import log_completion
from playbooks.services.integration import add_pillar, map_theme, sign_off
from playbooks.services.playbook import (
    comment_on_section,
    save_section,
    send_section_back,
    submit_section_for_review,
)
from programmes.models import (
    AssessmentAnswer,
    AssessmentQuestion,
    EmailStatus,
    ExitCriterion,
    Invitation,
    Membership,
    Notification,
    Pairing,
    PhaseTransition,
    QuestionKind,
    Role,
    Workshop,
)
from programmes.services.assessment import save_assessment
from programmes.services.invitation import invite, make_token
from programmes.services.notification import unsubscribe_token
from programmes.services.progress import advance_phase
from programmes.services.workshop import book_place, schedule_workshop
from tests.factories import make_mentee, make_user

OWN_APPS = ("mentoring", "programmes", "playbooks")
PREFIX = "zzpriv"
# A marker is PREFIX, three digits that name it, and words for people reading a failure.
TOKEN = re.compile(rf"{PREFIX}[a-z0-9]*")
# More would mean a link the walk keeps making up (a page linking to its own next page).
MOST_ADDRESSES = 3000
VIEWERS = (
    "anonymous",
    "mentee",
    "mentor",
    "lead",
    "other_mentee",
    "other_mentor",
    "other_lead",
    "moved_mentee",
    "staff",
)


# --- The planted markers -------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    text: str
    what: str
    allowed: frozenset[str]  # the viewers PRODUCT.md lets see it
    shown_to: frozenset[str]  # the viewers the walk must find it for

    def words(self, extra: str = "") -> str:
        """The text to store: the marker first, so a shortened excerpt still carries it."""
        return f"{self.text} {extra or self.what}"


@dataclass
class Pair:
    """One pairing of the programme, and who is who for its markers."""

    name: str  # "a", "b", "c"
    mentee: Membership
    mentor: Membership
    roles: dict[str, str]  # "mentee", "mentor", "lead" -> the viewer holding that role


@dataclass
class World:
    cast: Any
    staff: Any
    people: dict[str, Any]  # each viewer's user; None for anonymous
    markers: list[Marker] = field(default_factory=list)
    held: list[Model] = field(default_factory=list)  # the objects holding a marker

    def plant(
        self, pair: Pair, what: str, allowed: set[str], shown_to: set[str] | None = None
    ) -> Marker:
        """A new marker for `what` of `pair`, which the roles `allowed` (of "mentee",
        "mentor", "lead" of the pair) may see, and the roles `shown_to` (all those allowed
        unless said) must find."""
        shown_to = allowed if shown_to is None else shown_to
        assert shown_to <= allowed, what
        word = re.sub("[^a-z]", "", what.lower())
        marker = Marker(
            text=f"{PREFIX}{len(self.markers):03d}{word}{pair.name}",
            what=f"{what} ({pair.name})",
            allowed=frozenset(pair.roles[role] for role in allowed),
            shown_to=frozenset(pair.roles[role] for role in shown_to),
        )
        self.markers.append(marker)
        return marker

    def markers_like(self, token: str) -> list[Marker]:
        """The markers a served token may be: one, or several if it was cut short."""
        return [m for m in self.markers if m.text.startswith(token) or token.startswith(m.text)]


PAIR_ROLES = {"mentee", "mentor"}
PLAYBOOK_READERS = {"mentee", "mentor", "lead"}  # playbook, assessment, completions, journey


def _plant_pair(world: World, pair: Pair) -> None:
    """Everything private one pair writes, through the services, as the product writes it."""
    mentee, mentor = pair.mentee, pair.mentor
    programme = mentee.programme
    pairing = Pairing.objects.active().get(mentee=mentee)
    now = timezone.now()

    # How and how often they meet.
    agreement = propose_cadence(pairing=pairing, by=mentor.user, cadence="weekly", channel="video")
    answer_cadence(agreement=agreement, by=mentee.user, accept=True)
    times = world.plant(pair, "preference times", PLAYBOOK_READERS)
    save_preferences(
        membership=mentee,
        by=mentee.user,
        channels=["video", "phone"],
        cadence="weekly",
        best_times=times.words("mornings"),
    )

    # Two logged sessions, with notes, actions and the mentor's self-checks; a reflection
    # kept private on the first and one shared on the second.
    guideline = Guideline.objects.filter(programme=programme)[0]
    for days_ago, shared in ((14, False), (7, True)):
        session = start_session(pairing=pairing, by=mentor.user, at=now - timedelta(days=days_ago))
        notes = {
            name: world.plant(pair, f"session {name} {days_ago}", PAIR_ROLES).words()
            for name in ("topics", "resonated", "learning_shared")
        }
        action = world.plant(pair, f"action {days_ago}", PAIR_ROLES)
        check = world.plant(pair, f"self check {days_ago}", PAIR_ROLES, {"mentor"})
        session = save_session(
            session=session,
            by=mentor.user,
            version=session.version,
            fields=notes | {"learning_kind": "both"},
            actions=[
                {"text": action.words(), "owner": "mentee", "due_on": now.date() + timedelta(7)}
            ],
            checks={guideline.pk: ("partly", check.words())},
            log=True,
        )
        if shared:
            reflection = world.plant(pair, "shared reflection", PAIR_ROLES)
        else:
            reflection = world.plant(pair, "private reflection", {"mentee"})
        reflect_on_session(
            session=session,
            by=mentee.user,
            body=reflection.words(),
            shared=shared,
            rating=4,
            good_way_to_meet=True,
            frequency="right",
        )
        world.held += [session, *session.actions.all(), *session.guideline_checks.all()]
        world.held.append(Reflection.objects.get(session=session))

    # The mentor's draft of the next log: theirs alone until they log it.
    draft = start_session(pairing=pairing, by=mentor.user)
    draft_topics = world.plant(pair, "draft topics", {"mentor"})
    draft_action = world.plant(pair, "draft action", {"mentor"})
    draft = save_session(
        session=draft,
        by=mentor.user,
        version=draft.version,
        fields={"topics": draft_topics.words()},
        actions=[{"text": draft_action.words(), "owner": "mentor", "due_on": None}],
    )
    world.held.append(draft)

    # The playbook: a section written twice (the first text stays in its history), sent
    # for review, commented on by both and sent back.
    section = Section.objects.filter(playbook__membership=mentee).in_order()[0]
    first = world.plant(pair, "first playbook text", PLAYBOOK_READERS)
    body = world.plant(pair, "playbook text", PLAYBOOK_READERS)
    section = save_section(section=section, by=mentee.user, body=first.words(), version=0)
    section = save_section(
        section=section, by=mentee.user, body=body.words(), version=section.version
    )
    submit_section_for_review(section=section, by=mentee.user)
    comment = world.plant(pair, "mentor comment", PLAYBOOK_READERS)
    reply = world.plant(pair, "mentee reply", PLAYBOOK_READERS)
    sent_back = world.plant(pair, "sent back", PLAYBOOK_READERS)
    thread = comment_on_section(section=section, by=mentor.user, body=comment.words())
    comment_on_section(section=section, by=mentee.user, body=reply.words(), parent=thread)
    send_section_back(section=section, by=mentor.user, comment=sent_back.words())
    world.held += [
        section,
        *SectionRevision.objects.filter(section=section),
        *SectionComment.objects.filter(section=section),
    ]

    # The baseline assessment, every written answer carrying a marker.
    answers: dict[int, int | str | None] = {}
    for question in AssessmentQuestion.objects.filter(programme=programme):
        if question.kind == QuestionKind.TEXT:
            written = world.plant(pair, "assessment answer", PLAYBOOK_READERS)
            answers[question.pk] = written.words()
        else:
            answers[question.pk] = 3
    assert any(isinstance(a, str) for a in answers.values()), "no written question to answer"
    response = save_assessment(
        membership=mentee, kind="baseline", version=0, answers=answers, submit=True, by=mentee.user
    )
    world.held += list(AssessmentAnswer.objects.filter(response=response))

    # The mentor moves them on, saying why (which opens the workshops' activities).
    move = world.plant(pair, "phase move note", PLAYBOOK_READERS)
    advance_phase(membership=mentee, by=mentor.user, note=move.words())
    world.held.append(PhaseTransition.objects.filter(membership=mentee).latest("at"))
    mentee.refresh_from_db()

    # Activities: the mentee's completion, and the mentor's own, shared with their partners.
    activity = Activity.objects.filter(programme=programme).current().open_to(mentee)[0]
    note = world.plant(pair, "completion note", PLAYBOOK_READERS)
    evidence = world.plant(pair, "evidence link", PLAYBOOK_READERS)
    world.held.append(
        log_completion(
            membership=mentee,
            activity=activity,
            by=mentee.user,
            note=note.words(),
            evidence_url=f"https://example.org/{evidence.text}",
        )
    )
    own = {
        name: world.plant(pair, f"mentor's own {name}", PLAYBOOK_READERS).words()
        for name in ("note", "what_worked", "what_failed")
    }
    world.held.append(
        log_completion(
            membership=mentor,
            activity=activity,
            by=mentor.user,
            note=own["note"],
            what_worked=own["what_worked"],
            what_failed=own["what_failed"],
        )
    )

    # Integration: one of the mentee's themes placed on the business's strategy.
    theme = world.plant(pair, "theme", PLAYBOOK_READERS)
    fits = world.plant(pair, "how it fits", PLAYBOOK_READERS)
    world.held.append(
        map_theme(
            membership=mentee,
            by=mentee.user,
            theme=theme.words(),
            pillar=StrategyPillar.objects.filter(programme=programme).first(),
            how_it_fits=fits.words(),
        )
    )

    # And asks the lead for another mentor: the mentor is not told.
    request = world.plant(pair, "change request", {"mentee", "lead"}, {"lead"})
    world.held.append(request_mentor_change(mentee=mentee, by=mentee.user, reason=request.words()))


def _sign_off(world: World, pair: Pair) -> None:
    """The lead moves the pair's mentee on to the phase a lead signs off, and signs them
    off into business as usual, with a note."""
    lead, mentee = world.cast.lead, pair.mentee
    mentee.refresh_from_db()
    while (phase := mentee.current_phase) and phase.exit_criterion != ExitCriterion.LEAD_SIGN_OFF:
        advance_phase(membership=mentee, by=lead)
        mentee.refresh_from_db()
    note = world.plant(pair, "sign off note", PLAYBOOK_READERS)
    world.held.append(sign_off(membership=mentee, by=lead, note=note.words()))


def _plant_moved(world: World, pair: Pair, *, new_mentor: Membership) -> None:
    """A mentee who asked for another mentor and got one. What they said with the mentor
    they had stays with them: neither that mentor, whose pairing ended, nor the new one
    reads it. Their playbook is the new mentor's to read from now on."""
    mentee, old = pair.mentee, pair.mentor
    pairing = Pairing.objects.active().get(mentee=mentee)
    agreement = propose_cadence(pairing=pairing, by=old.user, cadence="weekly")
    answer_cadence(agreement=agreement, by=mentee.user, accept=True)
    session = start_session(pairing=pairing, by=old.user, at=timezone.now() - timedelta(days=10))
    topics = world.plant(pair, "old pairing topics", {"mentee"})
    action = world.plant(pair, "old pairing open action", {"mentee"})
    session = save_session(
        session=session,
        by=old.user,
        version=session.version,
        fields={"topics": topics.words()},
        actions=[{"text": action.words(), "owner": "mentee", "due_on": timezone.localdate()}],
        log=True,
    )
    reflection = world.plant(pair, "reflection shared with the old mentor", {"mentee"})
    reflect_on_session(session=session, by=mentee.user, body=reflection.words(), shared=True)
    world.held += [session, *session.actions.all(), Reflection.objects.get(session=session)]

    section = Section.objects.filter(playbook__membership=mentee).in_order()[0]
    body = world.plant(pair, "playbook text written with the old mentor", PLAYBOOK_READERS)
    section = save_section(section=section, by=mentee.user, body=body.words(), version=0)
    comment = world.plant(pair, "old mentor comment", PLAYBOOK_READERS)
    comment_on_section(section=section, by=old.user, body=comment.words())
    world.held += [section, *SectionComment.objects.filter(section=section)]

    # (Their request for another mentor is resolved by the pairing: nobody is shown it.)
    request_mentor_change(mentee=mentee, by=mentee.user, reason="We do not get on.")
    why = world.plant(pair, "why the mentor changed", {"mentee", "lead"}, {"lead"})
    pair_with(mentor=new_mentor, mentee=mentee, by=world.cast.lead, reason=why.words())
    world.held.append(Pairing.objects.filter(mentee=mentee, ended_at__isnull=False).get())

    # The new mentor logs their first session; nothing of the old pair's comes with it.
    pairing = Pairing.objects.active().get(mentee=mentee)
    session = start_session(pairing=pairing, by=new_mentor.user)
    save_session(session=session, by=new_mentor.user, version=session.version, fields={}, log=True)
    start_session(pairing=pairing, by=new_mentor.user)


def _build(cast, capture) -> World:
    staff = make_user("Sam Staff", "staff@example.org")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    programme, lead = cast.programme, cast.lead
    moved = make_mentee(
        programme,
        mentor=Membership.objects.get(programme=programme, user=cast.other_mentor),
        user=make_user("Remy Repaired", "moved-mentee@example.org"),
    )
    people = {"anonymous": None, **cast.people(), "moved_mentee": moved.user, "staff": staff}
    world = World(cast=cast, staff=staff, people=people)

    def membership(user, role) -> Membership:
        return Membership.objects.get(programme=programme, user=user, role=role)

    pairs = [
        Pair(
            "a",
            mentee=cast.mentee_membership,
            mentor=cast.mentor_membership,
            roles={"mentee": "mentee", "mentor": "mentor", "lead": "lead"},
        ),
        Pair(
            "b",
            mentee=membership(cast.other_mentee, Role.MENTEE),
            mentor=membership(cast.other_mentor, Role.MENTOR),
            roles={"mentee": "other_mentee", "mentor": "other_mentor", "lead": "lead"},
        ),
    ]
    # Mentored by the other mentor first, by the mentor of the first pair since.
    moving = Pair(
        "c",
        mentee=moved,
        mentor=membership(cast.other_mentor, Role.MENTOR),
        roles={"mentee": "moved_mentee", "mentor": "mentor", "lead": "lead"},
    )
    with capture(execute=True):
        for programme_ in (programme, cast.other_programme):
            leader = programme_.memberships.get(role=Role.LEAD).user
            add_pillar(programme=programme_, by=leader, name="Thought leadership")
            starts = timezone.now() + timedelta(days=3)
            schedule_workshop(
                programme=programme_,
                by=leader,
                title="LinkedIn basics",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                time_zone="Europe/London",
            )
        book_place(workshop=Workshop.objects.get(programme=programme), by=cast.mentee)
        for pair in pairs:
            _plant_pair(world, pair)
        _sign_off(world, pairs[1])  # the second pair's mentee has finished the programme
        _plant_moved(world, moving, new_mentor=cast.mentor_membership)
        invite(
            programme=programme,
            by=lead,
            name="Nia Newcomer",
            email="new@example.org",
            role=Role.MENTEE,
            mentor_email=cast.mentor.email,
            base_url="http://testserver",
        )
        remind_mentor(mentee=cast.mentee_membership, by=lead)

        # Weeks of silence later, the sweep nudges everyone and the lead gets a digest;
        # the nudges are shown and emailed now, as if their quiet hours had passed.
        later = timezone.now() + timedelta(days=45)
        assert sweep(now=later).nudges
        assert lead_digests(now=later)
        now = timezone.now()
        Notification.objects.filter(visible_from__gt=now).update(created_at=now, visible_from=now)
        Notification.objects.update(email_after=now)
        deliver_notifications()
    for email in OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING):
        deliver_outbound_email(email_id=email.pk)
    assert not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()
    assert not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
    for person in people.values():
        if person is not None:
            issue_feed(by=person)
    return world


# --- What each person is served ------------------------------------------------------------


@dataclass
class Served:
    where: str
    text: str


def _content(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    if "calendar" in response.get("Content-Type", ""):
        text = re.sub(r"\r?\n[ \t]", "", text)  # unfold iCalendar's 75-octet lines
    return text


@dataclass(frozen=True)
class Route:
    name: str
    pattern: URLPattern

    @property
    def parameters(self) -> list[str]:
        return list(self.pattern.pattern.converters)

    def placeholder(self) -> str:
        return reverse(
            self.name,
            kwargs={
                name: 987654321 if converter.regex == "[0-9]+" else "no-such-thing"
                for name, converter in self.pattern.pattern.converters.items()
            },
        )


def own_routes() -> Iterator[Route]:
    def walk(patterns, namespace: str | None) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if namespace and pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name and pattern.callback.__module__.split(".")[0] in OWN_APPS:
                yield Route(f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern)

    yield from walk(get_resolver().url_patterns, None)


def _pks(model, **filters) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def _csv_tables() -> list[str]:
    tables = list(dashboard.CSV_TABLES)
    try:
        from mentoring.selectors import answers
    except ImportError:
        return tables
    return tables + [t for t in getattr(answers, "CSV_TABLES", {}) if t not in tables]


# The objects each kind of address parameter opens, whatever the page: every one the cast
# made, so that a page which checks the programme but not the object shows up.
PARAMETERS: dict[str, Callable[[World, str], list]] = {
    "slug": lambda w, v: [w.cast.programme.slug, w.cast.other_programme.slug],
    "member": lambda w, v: _pks(Membership, role__in=[Role.MENTEE, Role.MENTOR]),
    "section": lambda w, v: _pks(Section, body__gt=""),
    "revision": lambda w, v: _pks(SectionRevision),
    "item": lambda w, v: [TemplateSection.objects.filter(programme=p)[0].pk for p in _ps(w)],
    "question": lambda w, v: _pks(AssessmentQuestion, kind=QuestionKind.TEXT),
    "activity": lambda w, v: sorted(set(Completion.objects.values_list("activity_id", flat=True))),
    "round": lambda w, v: ["baseline", "follow-up"],
    "table": lambda w, v: _csv_tables(),
}


def _latest_notifications() -> list[int]:
    """Each person's latest notification: opening one is the same page for all of them."""
    latest = Notification.objects.values("recipient").annotate(last=Max("pk"))
    return sorted(row["last"] for row in latest)


def _ps(w: World) -> list:
    return [w.cast.programme, w.cast.other_programme]


def _own_token(make: Callable[[Any], str]) -> Callable[[World, str], list]:
    """A token is the person's own secret: each viewer opens their own, nobody else's."""

    def tokens(w: World, viewer: str) -> list:
        person = w.people[viewer]
        return [] if person is None else [make(person)]

    return tokens


# A `pk` or `token` means something different on each page: what each page's opens.
OBJECTS: dict[str, Callable[[World, str], list]] = {
    "mentoring:calendar_feed": _own_token(lambda p: CalendarFeed.objects.live().get(user=p).token),
    "mentoring:unsubscribe": _own_token(lambda p: unsubscribe_token(p.pk, "next_step")),
    "programmes:invitation": lambda w, v: [make_token(i) for i in Invitation.objects.all()],
    "mentoring:notification_open": lambda w, v: _latest_notifications(),
    "mentoring:pairing_end": lambda w, v: _pks(Pairing),
    "mentoring:cadence_propose": lambda w, v: _pks(Pairing),
    "mentoring:cadence_answer": lambda w, v: _pks(Pairing),
    "mentoring:cadence_withdraw": lambda w, v: _pks(Pairing),
    "mentoring:session": lambda w, v: _pks(MentoringSession),
    "mentoring:session_ics": lambda w, v: _pks(MentoringSession),
    "mentoring:session_edit": lambda w, v: _pks(MentoringSession),
    "mentoring:session_reflect": lambda w, v: _pks(MentoringSession),
    "mentoring:action_done": lambda w, v: _pks(AgreedAction),
    "mentoring:guideline_edit": lambda w, v: _pks(Guideline)[:1] + _pks(Guideline)[-1:],
    "programmes:phase_edit": lambda w, v: [p.phases.first().pk for p in _ps(w)],
    "programmes:invitation_resend": lambda w, v: _pks(Invitation),
    "programmes:invitation_revoke": lambda w, v: _pks(Invitation),
    "programmes:workshop_detail": lambda w, v: _pks(Workshop),
    "programmes:workshop_edit": lambda w, v: _pks(Workshop),
    "programmes:workshop_attendance": lambda w, v: _pks(Workshop),
    "programmes:workshop_delete": lambda w, v: _pks(Workshop),
    "programmes:workshop_ics": lambda w, v: _pks(Workshop),
    "playbooks:undo_completion": lambda w, v: _pks(Completion),
    "playbooks:activity_edit": lambda w, v: sorted(
        set(Completion.objects.values_list("activity_id", flat=True))
    ),
    "playbooks:pillar_edit": lambda w, v: _pks(StrategyPillar),
    "playbooks:unmap_theme": lambda w, v: _pks(ThemeMapping),
}
SINGLE = {"token": True, "pk": True}  # the parameter OBJECTS gives, by its name


def addresses(world: World, viewer: str) -> tuple[list[str], set[str]]:
    """Every own route, opened with every object its parameters can name; and, for a route
    whose parameters nobody named, one address that opens nothing: a probe, which must be
    refused for its method (405), since a page that draws something must be opened."""
    found, probes, unopened = [], set(), []
    for route in own_routes():
        choices = []
        for name in route.parameters:
            if name in SINGLE and route.name in OBJECTS:
                choices.append(OBJECTS[route.name](world, viewer))
            elif name in PARAMETERS and name not in SINGLE:
                choices.append(PARAMETERS[name](world, viewer))
            else:
                probes.add(route.placeholder())
                break
        else:
            for values in itertools.product(*choices):
                kwargs = dict(zip(route.parameters, values, strict=True))
                try:
                    found.append(reverse(route.name, kwargs=kwargs))
                except NoReverseMatch:
                    unopened.append(f"{route.name} {kwargs}")
    assert not unopened, f"these addresses can't be made: {unopened}"
    return found + sorted(probes), probes


def admin_addresses(world: World) -> list[str]:
    """The admin's list of every model, and its page for every object holding a marker."""
    found = []
    for model in admin.site._registry:
        meta = model._meta
        found.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    for obj in world.held:
        meta = obj._meta
        if type(obj) in admin.site._registry:
            found.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    return found


LINK = re.compile(r"""(?:href|hx-get|src)=["']([^"']+)["']""")


@functools.cache
def _route_of(path: str) -> str | None:
    """The route's name if `path` is one of the project's own or the admin's, else None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.func.__module__.split(".")[0] in OWN_APPS or match.view_name.startswith("admin:"):
        return match.view_name
    return None


def crawl(client: Client, seeds: list[str]) -> list[Served]:
    """GET every seed and every own page linked from what is served. A route that answers
    405 draws nothing for a GET: its other addresses are not tried. What each address
    served is named `GET <address> → <status>`."""
    # Most of the walk is refused (404, 403, 405): Django's warning for each is noise here.
    logger = logging.getLogger("django.request")
    level, logger.level = logger.level, logging.ERROR
    try:
        return _crawl(client, seeds)
    finally:
        logger.setLevel(level)


def _crawl(client: Client, seeds: list[str]) -> list[Served]:
    served: list[Served] = []
    queue, seen, post_only = deque(seeds), set(), set()
    while queue:
        url = queue.popleft()
        route = _route_of(urlsplit(url).path)
        if url in seen or route in post_only:
            continue
        seen.add(url)
        assert len(seen) <= MOST_ADDRESSES, f"the walk runs away: {url}"
        response = client.get(url)
        if response.status_code == 405:
            post_only.add(route)
        text = _content(response)
        location = response.get("Location", "")
        headers = "\n".join(f"{name}: {value}" for name, value in response.items())
        served.append(Served(f"GET {url} → {response.status_code}", f"{headers}\n{text}"))
        found = [location] if location else []
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found += [html.unescape(link) for link in LINK.findall(text)]
        for link in found:
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if (
                target not in seen
                and _route_of(parts.path)
                and not parts.path.startswith("/admin/")
            ):
                queue.append(target)
    return served


def mail_to(world: World, viewer: str) -> list[Served]:
    person = world.people[viewer]
    if person is None:
        return []
    served = []
    for message in mail.outbox:
        if person.email not in {*message.to, *message.cc, *message.bcc}:
            continue
        parts: list[str] = [str(message.subject), str(message.body)]
        parts += [str(value) for value in message.extra_headers.values()]
        parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
        parts += [
            a[1].decode(errors="replace") if isinstance(a[1], bytes) else str(a[1])
            for a in message.attachments
            if isinstance(a, tuple)
        ]
        served.append(Served(f"email “{message.subject}”", "\n".join(parts)))
    return served


def notifications_of(world: World, viewer: str) -> list[Served]:
    person = world.people[viewer]
    if person is None:
        return []
    return [
        Served(f"notification {n.kind} “{n.title}”", f"{n.title}\n{n.body}\n{n.reason}\n{n.link}")
        for n in Notification.objects.filter(recipient=person)
    ]


# --- The test ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_nothing_private_reaches_anyone_who_may_not_see_it(
    viewer, cast, client, django_capture_on_commit_callbacks
):
    world = _build(cast, django_capture_on_commit_callbacks)
    person = world.people[viewer]
    if person is not None:
        client.force_login(person)

    seeds, probes = addresses(world, viewer)
    served = crawl(client, seeds + admin_addresses(world))
    if person is not None:
        drawn = [i.where for i in served if i.where.split()[1] in probes and "→ 405" not in i.where]
        assert not drawn, f"say in OBJECTS or PARAMETERS what these routes open: {drawn}"
    served += mail_to(world, viewer) + notifications_of(world, viewer)

    leaks, seen = [], set()
    for item in served:
        for token in set(TOKEN.findall(item.text.lower())):
            candidates = world.markers_like(token)
            if len(candidates) == 1:
                seen.add(candidates[0])
            if not candidates or any(viewer not in m.allowed for m in candidates):
                names = ", ".join(m.what for m in candidates) or token
                leaks.append(f"{item.where}: {names}")
    assert not leaks, f"{viewer} is served what they may not see:\n" + "\n".join(sorted(leaks))
    unseen = [m.what for m in world.markers if viewer in m.shown_to and m not in seen]
    assert not unseen, f"{viewer} should be shown these, and the walk found none: {unseen}"
