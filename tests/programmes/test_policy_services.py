"""Every service that takes the acting person (`by`) refuses a person without the right, and
changes nothing when it does. A new service with `by` fails
`test_every_service_that_takes_by_has_a_case_here` until it has a case below."""

import importlib
import inspect
import pkgutil
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mentoring.models import Guideline
from mentoring.services.cadence import propose_cadence
from mentoring.services.session import start_session
from playbooks.models import Activity, Section, TemplateSection
from playbooks.services.activity import log_completion
from playbooks.services.integration import add_pillar, map_theme
from playbooks.services.playbook import save_section
from programmes.errors import ServiceError
from programmes.models import Pairing, Role
from programmes.services.invitation import invite
from programmes.services.progress import advance_phase
from tests.mentoring.test_session_pages import log_one
from tests.programmes.test_workshop_pages import make_workshop

APPS = ("programmes", "playbooks", "mentoring")


def services_taking_by() -> set[str]:
    found = set()
    for app in APPS:
        package = importlib.import_module(f"{app}.services")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{app}.services.{info.name}")
            for name, function in vars(module).items():
                if (
                    inspect.isfunction(function)
                    and function.__module__ == module.__name__
                    and not name.startswith("_")
                    and "by" in inspect.signature(function).parameters
                ):
                    found.add(f"{info.name}.{name}")
    return found


class World:
    """The cast's programme with one of everything a service can change."""

    def __init__(self, cast):
        self.cast = cast
        lead, mentor, mentee = cast.lead, cast.mentor, cast.mentee
        self.programme = cast.programme
        self.mentee = cast.mentee_membership
        self.mentor = cast.mentor_membership
        self.phase = self.programme.phases.order_by("position").first()
        self.question = self.programme.assessment_questions.order_by("position").first()
        self.workshop = make_workshop(self.programme, lead, starts_in=timedelta(hours=-1))
        self.invitation = invite(
            programme=self.programme,
            by=lead,
            name="Ivy Invitee",
            email="ivy@example.org",
            role=Role.MENTEE,
            base_url="http://testserver/",
        )
        for _ in range(2):  # into the Playbook phase, where activities are open
            advance_phase(membership=self.mentee, by=lead)
        self.mentee.refresh_from_db()
        self.activity = Activity.objects.open_to(self.mentee).filter(programme=self.programme)[0]
        self.completion = log_completion(membership=self.mentee, activity=self.activity, by=mentee)
        self.pillar = add_pillar(programme=self.programme, by=lead, name="Trust")
        self.mapping = map_theme(membership=self.mentee, by=mentee, theme="Trust", pillar=None)
        self.item = TemplateSection.objects.current().filter(programme=self.programme)[0]
        self.section = Section.objects.filter(playbook__membership=self.mentee)[0]
        self.section = save_section(section=self.section, by=mentee, body="My text", version=0)
        self.revision = self.section.revisions.get()
        self.pairing = Pairing.objects.active().get(mentee=self.mentee)
        due = timezone.localdate() + timedelta(days=7)
        self.logged = log_one(cast, actions=[{"text": "Post once", "due_on": due}])
        self.action = self.logged.actions.get()
        self.draft = start_session(pairing=self.pairing, by=mentor)
        self.agreement = propose_cadence(pairing=self.pairing, by=mentor, cadence="weekly")
        self.guideline = Guideline.objects.filter(programme=self.programme)[0]
        self.when = timezone.now() + timedelta(days=3)


# (what to call, who must be refused). "Insiders" are refused too: the programme's own people
# who may see the thing but not make this change.
LEADS_ONLY = ("mentor", "mentee", "other_lead", "anonymous")
MENTEES_OWN = ("lead", "mentor", "other_mentee", "other_lead", "anonymous")
MENTORS_OWN = ("lead", "mentee", "other_mentor", "other_lead", "anonymous")
THE_PAIR = ("lead", "other_mentor", "other_mentee", "other_lead", "anonymous")
CASES = {
    "assessment.save_assessment": (
        lambda w, by: dict(membership=w.mentee, kind="baseline", version=0, answers={}, by=by),
        MENTEES_OWN,
    ),
    "assessment.add_question": (
        lambda w, by: dict(programme=w.programme, by=by, kind="text", prompt="Why?"),
        LEADS_ONLY,
    ),
    "assessment.change_question": (
        lambda w, by: dict(question=w.question, by=by, kind="text", prompt="Why?"),
        LEADS_ONLY,
    ),
    "assessment.move_question": (
        lambda w, by: dict(question=w.question, by=by, up=False),
        LEADS_ONLY,
    ),
    "assessment.remove_question": (lambda w, by: dict(question=w.question, by=by), LEADS_ONLY),
    "assessment.set_follow_up_point": (
        lambda w, by: dict(programme=w.programme, phase=w.phase, by=by),
        LEADS_ONLY,
    ),
    "invitation.invite": (
        lambda w, by: dict(
            programme=w.programme,
            by=by,
            name="Eve",
            email="eve@example.org",
            role=Role.MENTEE,
            base_url="http://testserver/",
        ),
        LEADS_ONLY,
    ),
    "invitation.resend_invitation": (
        lambda w, by: dict(invitation=w.invitation, by=by, base_url="http://testserver/"),
        LEADS_ONLY,
    ),
    "invitation.revoke_invitation": (
        lambda w, by: dict(invitation=w.invitation, by=by),
        LEADS_ONLY,
    ),
    "invitation.import_invitations": (
        lambda w, by: dict(
            programme=w.programme,
            by=by,
            text="name,email,role\nEve,eve@example.org,mentee\n",
            base_url="http://testserver/",
        ),
        LEADS_ONLY,
    ),
    "phase.add_phase": (lambda w, by: dict(programme=w.programme, by=by, name="Extra"), LEADS_ONLY),
    "phase.change_phase": (
        lambda w, by: dict(phase=w.phase, by=by, name="Renamed"),
        LEADS_ONLY,
    ),
    "programme.change_programme": (
        lambda w, by: dict(programme=w.programme, by=by, name="Renamed"),
        LEADS_ONLY,
    ),
    "phase.move_phase": (lambda w, by: dict(phase=w.phase, by=by, up=False), LEADS_ONLY),
    "phase.remove_phase": (
        lambda w, by: dict(phase=w.programme.phases.order_by("position").last(), by=by),
        LEADS_ONLY,
    ),
    "programme.create_programme": (lambda w, by: dict(name="Mine now", by=by), ("anonymous",)),
    "programme.duplicate_programme": (
        lambda w, by: dict(source=w.programme, by=by, name="Copy"),
        LEADS_ONLY,
    ),
    "progress.enrol": (
        lambda w, by: dict(programme=w.programme, user=w.cast.other_mentee, role="mentee", by=by),
        LEADS_ONLY,
    ),
    "progress.advance_phase": (
        lambda w, by: dict(membership=w.mentee, by=by),
        ("mentee", "other_mentor", "other_lead", "anonymous"),
    ),
    "progress.move_back": (
        lambda w, by: dict(membership=w.mentee, by=by, note="Back"),
        LEADS_ONLY,
    ),
    "workshop.schedule_workshop": (
        lambda w, by: dict(
            programme=w.programme,
            by=by,
            title="More",
            starts_at=w.when,
            ends_at=w.when + timedelta(hours=1),
            time_zone="UTC",
        ),
        LEADS_ONLY,
    ),
    "workshop.update_workshop": (
        lambda w, by: dict(
            workshop=w.workshop,
            by=by,
            title="Renamed",
            starts_at=w.when,
            ends_at=w.when + timedelta(hours=1),
            time_zone="UTC",
        ),
        LEADS_ONLY,
    ),
    "workshop.cancel_workshop": (lambda w, by: dict(workshop=w.workshop, by=by), LEADS_ONLY),
    "workshop.book_place": (
        lambda w, by: dict(workshop=w.workshop, by=by),
        ("lead", "mentor", "other_lead", "anonymous"),
    ),
    "workshop.cancel_place": (
        lambda w, by: dict(workshop=w.workshop, by=by),
        ("lead", "mentor", "other_lead", "anonymous"),
    ),
    "workshop.record_attendance": (
        lambda w, by: dict(workshop=w.workshop, by=by, attendance={w.mentee: True}),
        LEADS_ONLY,
    ),
    "activity.add_activity": (
        lambda w, by: dict(programme=w.programme, by=by, title="Another"),
        LEADS_ONLY,
    ),
    "activity.update_activity": (
        lambda w, by: dict(activity=w.activity, by=by, title="Renamed"),
        LEADS_ONLY,
    ),
    "activity.remove_activity": (lambda w, by: dict(activity=w.activity, by=by), LEADS_ONLY),
    "activity.move_activity": (
        lambda w, by: dict(activity=w.activity, by=by, up=False),
        LEADS_ONLY,
    ),
    "activity.add_default_activities": (
        lambda w, by: dict(programme=w.programme, by=by),
        LEADS_ONLY,
    ),
    "activity.copy_activities": (
        lambda w, by: dict(source=w.programme, programme=w.programme, by=by),
        LEADS_ONLY,
    ),
    "activity.log_completion": (
        lambda w, by: dict(membership=w.mentee, activity=w.activity, by=by),
        MENTEES_OWN,
    ),
    "activity.undo_completion": (lambda w, by: dict(completion=w.completion, by=by), MENTEES_OWN),
    "activity.set_personal_target": (
        lambda w, by: dict(membership=w.mentee, by=by, per_week=3),
        MENTEES_OWN,
    ),
    "integration.save_strategy": (
        lambda w, by: dict(programme=w.programme, by=by, summary="Ours"),
        LEADS_ONLY,
    ),
    "integration.add_pillar": (
        lambda w, by: dict(programme=w.programme, by=by, name="Reach"),
        LEADS_ONLY,
    ),
    "integration.update_pillar": (
        lambda w, by: dict(pillar=w.pillar, by=by, name="Reach", description=""),
        LEADS_ONLY,
    ),
    "integration.remove_pillar": (lambda w, by: dict(pillar=w.pillar, by=by), LEADS_ONLY),
    "integration.move_pillar": (lambda w, by: dict(pillar=w.pillar, by=by, up=True), LEADS_ONLY),
    "integration.copy_strategy": (
        lambda w, by: dict(source=w.programme, programme=w.programme, by=by),
        LEADS_ONLY,
    ),
    "integration.map_theme": (
        lambda w, by: dict(membership=w.mentee, by=by, theme="Reach", pillar=w.pillar),
        MENTEES_OWN,
    ),
    "integration.unmap_theme": (lambda w, by: dict(mapping=w.mapping, by=by), MENTEES_OWN),
    "integration.sign_off": (lambda w, by: dict(membership=w.mentee, by=by), LEADS_ONLY),
    "playbook.create_default_template": (
        lambda w, by: dict(programme=w.programme, by=by),
        LEADS_ONLY,
    ),
    "playbook.copy_template": (
        lambda w, by: dict(source=w.programme, programme=w.programme, by=by),
        LEADS_ONLY,
    ),
    "playbook.add_template_section": (
        lambda w, by: dict(programme=w.programme, by=by, title="Another"),
        LEADS_ONLY,
    ),
    "playbook.change_template_section": (
        lambda w, by: dict(
            item=w.item, by=by, title="Renamed", guidance="", prompts="", example=""
        ),
        LEADS_ONLY,
    ),
    "playbook.move_template_section": (
        lambda w, by: dict(item=w.item, by=by, up=False),
        LEADS_ONLY,
    ),
    "playbook.remove_template_section": (lambda w, by: dict(item=w.item, by=by), LEADS_ONLY),
    "playbook.create_playbook": (lambda w, by: dict(membership=w.mentee, by=by), LEADS_ONLY),
    "playbook.save_section": (
        lambda w, by: dict(section=w.section, by=by, body="Not mine", version=w.section.version),
        MENTEES_OWN,
    ),
    "playbook.restore_revision": (
        lambda w, by: dict(revision=w.revision, by=by, version=w.section.version),
        MENTEES_OWN,
    ),
    "playbook.submit_section_for_review": (
        lambda w, by: dict(section=w.section, by=by),
        MENTEES_OWN,
    ),
    "playbook.reopen_section": (lambda w, by: dict(section=w.section, by=by), MENTEES_OWN),
    "playbook.complete_section": (
        lambda w, by: dict(section=w.section, by=by),
        MENTORS_OWN,
    ),
    "playbook.send_section_back": (
        lambda w, by: dict(section=w.section, by=by, comment="More"),
        MENTORS_OWN,
    ),
    "playbook.comment_on_section": (
        lambda w, by: dict(section=w.section, by=by, body="Hello"),
        THE_PAIR,
    ),
    "cadence.propose_cadence": (
        lambda w, by: dict(pairing=w.pairing, by=by, cadence="monthly"),
        THE_PAIR,
    ),
    "cadence.answer_cadence": (
        lambda w, by: dict(agreement=w.agreement, by=by, accept=True),
        ("lead", "mentor", "other_mentor", "other_mentee", "other_lead", "anonymous"),
    ),
    "cadence.withdraw_cadence": (
        lambda w, by: dict(agreement=w.agreement, by=by),
        ("lead", "mentee", "other_mentor", "other_mentee", "other_lead", "anonymous"),
    ),
    "calendar.issue_feed": (lambda w, by: dict(by=by), ("anonymous",)),
    "calendar.revoke_feed": (lambda w, by: dict(by=by), ("anonymous",)),
    "engagement.save_preferences": (
        lambda w, by: dict(membership=w.mentee, by=by, cadence="weekly"),
        MENTEES_OWN,
    ),
    "guideline.create_default_guidelines": (
        lambda w, by: dict(programme=w.programme, by=by),
        LEADS_ONLY,
    ),
    "guideline.copy_guidelines": (
        lambda w, by: dict(source=w.programme, programme=w.programme, by=by),
        LEADS_ONLY,
    ),
    "guideline.add_guideline": (
        lambda w, by: dict(programme=w.programme, by=by, text="Listen"),
        LEADS_ONLY,
    ),
    "guideline.edit_guideline": (
        lambda w, by: dict(guideline=w.guideline, by=by, text="Listen"),
        LEADS_ONLY,
    ),
    "guideline.remove_guideline": (lambda w, by: dict(guideline=w.guideline, by=by), LEADS_ONLY),
    "pairing.pair": (
        lambda w, by: dict(
            mentor=w.cast.programme.memberships.get(user=w.cast.other_mentor),
            mentee=w.mentee,
            by=by,
            reason="Better match",
        ),
        LEADS_ONLY,
    ),
    "pairing.end_pairing": (
        lambda w, by: dict(pairing=w.pairing, by=by, reason="Done"),
        LEADS_ONLY,
    ),
    "pairing.request_mentor_change": (
        lambda w, by: dict(mentee=w.mentee, by=by, reason="A better match"),
        MENTEES_OWN,
    ),
    "session.start_session": (lambda w, by: dict(pairing=w.pairing, by=by), MENTORS_OWN),
    "session.save_session": (
        lambda w, by: dict(session=w.draft, by=by, version=w.draft.version, fields={}),
        MENTORS_OWN,
    ),
    "session.discard_draft": (lambda w, by: dict(session=w.draft, by=by), MENTORS_OWN),
    "session.mark_action": (
        lambda w, by: dict(action=w.action, by=by, done=True),
        ("lead", "other_mentor", "other_mentee", "other_lead", "anonymous"),
    ),
    "session.reflect_on_session": (
        lambda w, by: dict(session=w.logged, by=by, body="Mine"),
        MENTEES_OWN,
    ),
    # A person's own notification settings: anyone signed in, for themselves only (the
    # services take no one else's).
    "notification.update_settings": (
        lambda w, by: dict(
            by=by, delivery="app", quiet_from=None, quiet_until=None, muted_kinds=[]
        ),
        ("anonymous",),
    ),
    "notification.snooze": (lambda w, by: dict(by=by, until=None), ("anonymous",)),
    "notification.mark_read": (lambda w, by: dict(by=by), ("anonymous",)),
    # A pause is the mentee's own or their lead's; their mentor may not pause them.
    "membership.pause": (
        lambda w, by: dict(
            membership=w.mentee, by=by, until=timezone.localdate() + timedelta(days=14)
        ),
        ("mentor", "other_mentee", "other_mentor", "other_lead", "anonymous"),
    ),
    "membership.resume": (
        lambda w, by: dict(membership=w.mentee, by=by),
        ("mentor", "other_mentee", "other_mentor", "other_lead", "anonymous"),
    ),
    # The dashboard's actions on someone at risk are the lead's.
    "membership.set_aside": (lambda w, by: dict(membership=w.mentee, by=by), LEADS_ONLY),
    "membership.bring_back": (lambda w, by: dict(membership=w.mentee, by=by), LEADS_ONLY),
    "reminder.remind_mentor": (lambda w, by: dict(mentee=w.mentee, by=by), LEADS_ONLY),
    "programme.change_nudge_settings": (
        lambda w, by: dict(
            programme=w.programme,
            by=by,
            nudges_off=["check_in"],
            nudge_every_days=3,
            quiet_from=None,
            quiet_until=None,
        ),
        LEADS_ONLY,
    ),
    # Leaving a programme is the person's own, or their lead's; removing them is the lead's.
    "membership.leave_programme": (
        lambda w, by: dict(membership=w.mentee, by=by),
        ("mentor", "other_mentee", "other_mentor", "other_lead", "anonymous"),
    ),
    "membership.remove_from_programme": (
        lambda w, by: dict(membership=w.mentee, by=by),
        LEADS_ONLY,
    ),
    # Closing an account is the person's alone.
    "account.delete_account": (
        lambda w, by: dict(user=w.cast.mentee, by=by),
        ("lead", "mentor", "other_mentee", "other_mentor", "other_lead", "anonymous"),
    ),
}


# Functions that take `by` only to write it down: the change they record was checked by the
# service that made it.
RECORDERS = {"audit.record"}


def test_every_service_that_takes_by_has_a_case_here():
    assert services_taking_by() - RECORDERS == set(CASES)


def _service(name: str):
    module, function = name.split(".")
    for app in APPS:
        try:
            found = importlib.import_module(f"{app}.services.{module}")
        except ModuleNotFoundError:
            continue
        if hasattr(found, function):
            return getattr(found, function)
    raise LookupError(name)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in APPS
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_service_refuses_a_person_without_the_right_and_changes_nothing(cast, name):
    world = World(cast)
    build, refused = CASES[name]
    service = _service(name)
    before = _row_counts()
    for who in refused:
        by = AnonymousUser() if who == "anonymous" else cast.people()[who]
        with pytest.raises((ServiceError, PermissionDenied)):
            service(**build(world, by))
        assert _row_counts() == before, f"{name} by {who} changed something"
