"""Hostile input, as property tests: Hypothesis fills in every form the project takes with
random text, Unicode, NUL, huge numbers and out-of-range dates, as the person who may use it.

Whatever arrives, the answer is never a server error, and a refusal (the form again with its
errors, a 4xx, an error message) changes no row. NUL gets particular care: PostgreSQL refuses
it in text, so a NUL that got through to the database is a 500 there; on SQLite, which would
store it, no text column may hold one afterwards.

Each submission starts from one the form accepts (`Case.plain`, checked by its own test) and
spoils a few of its fields, or all of them, so hostile values reach the services and the
database, not only the first check. Every route that binds a form from a POST has a case:
`test_every_route_that_takes_a_form_has_a_case` walks the URL resolver and the views.
"""

from __future__ import annotations

import csv
import inspect
import io
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from allauth.account.forms import LoginForm, ResetPasswordForm, SignupForm
from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models, transaction
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.test.utils import ContextList
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentoring.forms.account import DeleteAccountForm
from mentoring.forms.cadence import AnswerForm, ProposeCadenceForm
from mentoring.forms.dashboard import DashboardFilterForm
from mentoring.forms.engagement import PreferencesForm
from mentoring.forms.guideline import GuidelineForm
from mentoring.forms.notification import NotificationSettingsForm, SnoozeForm
from mentoring.forms.pairing import (
    ChangeRequestForm,
    EndPairingForm,
    MentorProfileForm,
    PairForm,
)
from mentoring.forms.profile import ProfileForm
from mentoring.forms.session import ReflectionForm, SessionForm, action_formset
from mentoring.models import Guideline
from mentoring.selectors.dashboard import CSV_TABLES
from mentoring.services.session import open_actions_before
from playbooks.forms.activity import (
    ActivityForm,
    CompletionForm,
    MentorCompletionForm,
    PersonalTargetForm,
)
from playbooks.forms.integration import PillarForm, SignOffForm, StrategyForm, ThemeMappingForm
from playbooks.forms.playbook import (
    CommentForm,
    SectionForm,
    SendBackForm,
    TemplateSectionForm,
    VersionForm,
)
from playbooks.models import Section
from playbooks.services.activity import today_for
from playbooks.services.playbook import save_section, submit_section_for_review
from programmes.forms.assessment import AssessmentForm, FollowUpPointForm, QuestionForm
from programmes.forms.invitation import InvitationImportForm, InviteForm
from programmes.forms.membership import PauseForm
from programmes.forms.phase import PhaseForm
from programmes.forms.programme import (
    DuplicateForm,
    NudgeSettingsForm,
    ProgrammeCreateForm,
    ProgrammeSettingsForm,
)
from programmes.forms.progress import MoveBackForm, MoveForm
from programmes.forms.workshop import AttendanceForm, WorkshopForm
from programmes.models import AssessmentQuestion, ExitCriterion, Membership, Role
from programmes.services.assessment import load_assessment
from programmes.services.progress import advance_phase
from tests.factories import Cast, build_cast
from tests.programmes.test_policy_services import World
from tests.programmes.test_workshop_pages import make_workshop

OWN_APPS = ("mentoring", "programmes", "playbooks")
# Enough to find what the cases below found, and the whole file stays near a minute.
EXAMPLES = 8
PASSWORD = "pw-123456!"  # tests/factories.py's


# --- The world the forms are posted into, built once for the module ---------------------------


class HostileWorld(World):
    """The policy tests' world (one of everything a service changes), plus what some forms
    need besides: a section waiting for review, a workshop still to come, and another mentee
    in the phase a lead signs off."""

    def __init__(self, cast: Cast):
        super().__init__(cast)
        people = cast.people()
        self.mentee_user = self.mentee.user
        self.other_mentor = Membership.objects.get(
            user=people["other_mentor"], programme=self.programme
        )
        waiting = Section.objects.filter(playbook__membership=self.mentee).exclude(
            pk=self.section.pk
        )[0]
        waiting = save_section(section=waiting, by=cast.mentee, body="Read me", version=0)
        self.waiting = submit_section_for_review(section=waiting, by=cast.mentee)
        self.upcoming = make_workshop(self.programme, cast.lead)
        self.signing_off = Membership.objects.get(
            user=people["other_mentee"], programme=self.programme
        )
        while (phase := self.signing_off.current_phase) is not None and (
            phase.exit_criterion != ExitCriterion.LEAD_SIGN_OFF
        ):
            self.signing_off = advance_phase(membership=self.signing_off, by=cast.lead)
        self.today = timezone.localdate()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[HostileWorld]:
    """Built once in a transaction of its own; every request runs in a savepoint inside it
    and is undone, so each example meets the same world."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield HostileWorld(build_cast())
        transaction.set_rollback(True)


# --- The forms, each as the person who may use it ----------------------------------------------

type Forms = Callable[[HostileWorld], list[Any]]
type Values = Callable[[HostileWorld], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """A route that takes a form: who posts it, where, which forms' fields it reads, and a
    submission it accepts (on top of what the unbound forms show as their initial values)."""

    route: str
    role: str  # "anonymous", or an attribute of the cast
    forms: Forms
    kwargs: Values = field(default=lambda w: {"slug": w.programme.slug})
    plain: Values = field(default=lambda w: {})
    method: str = "POST"
    reauthenticated: bool = False  # the page asks for the password again first
    field_by_field: bool = True  # each field gets its extremes in turn, besides Hypothesis


def _nowhere(w: HostileWorld) -> dict[str, Any]:
    return {}


def _slug(w: HostileWorld, **more: Any) -> dict[str, Any]:
    return {"slug": w.programme.slug, **more}


def _session_forms(w: HostileWorld) -> list[Any]:
    guidelines = Guideline.objects.visible_to(w.cast.mentor).current().filter(programme=w.programme)
    form = SessionForm(
        instance=w.draft,
        initial={"version": w.draft.version},
        guidelines=guidelines,
        carried=open_actions_before(w.draft),
    )
    return [form, action_formset(w.draft)]


def _assessment_forms(w: HostileWorld) -> list[Any]:
    return [
        AssessmentForm(questions=list(AssessmentQuestion.objects.filter(programme=w.programme)))
    ]


def _baseline_version(w: HostileWorld) -> dict[str, Any]:
    return {"version": load_assessment(w.mentee, include_drafts=True).round("baseline").version}


def _section(w: HostileWorld) -> dict[str, Any]:
    return {"body": "More of my text", "version": w.section.version, "editor": "hostile"}


def _in_a_week(w: HostileWorld, hour: int) -> str:
    return f"{w.today + timedelta(days=7)}T{hour:02}:00"


CSV_PLAIN = b"name,email,role\nEve Invitee,eve@example.org,mentee\n"

CASES = [
    # The account's own pages
    Case(
        "mentoring:account_delete",
        "mentee",
        lambda w: [DeleteAccountForm()],
        kwargs=_nowhere,
        plain=lambda w: {"confirm": "on"},
        reauthenticated=True,
    ),
    Case(
        "mentoring:profile",
        "mentee",
        lambda w: [ProfileForm(instance=w.mentee_user)],
        kwargs=_nowhere,
    ),
    Case(
        "mentoring:notification_settings",
        "mentee",
        lambda w: [NotificationSettingsForm()],
        kwargs=_nowhere,
        plain=lambda w: {"delivery": "both"},
    ),
    Case(
        "mentoring:notification_snooze",
        "mentee",
        lambda w: [SnoozeForm()],
        kwargs=_nowhere,
        plain=lambda w: {"snooze": "until", "until": str(w.today + timedelta(days=3))},
    ),
    # The mentoring app
    Case("mentoring:nudges", "lead", lambda w: [NudgeSettingsForm(programme=w.programme)]),
    Case(
        "mentoring:dashboard",
        "lead",
        lambda w: [DashboardFilterForm(None, programme=w.programme)],
        method="GET",
    ),
    Case(
        "mentoring:dashboard_answers",
        "lead",
        lambda w: [DashboardFilterForm(None, programme=w.programme)],
        method="GET",
    ),
    Case(
        "mentoring:dashboard_csv",
        "lead",
        lambda w: [DashboardFilterForm(None, programme=w.programme)],
        kwargs=lambda w: _slug(w, table=next(iter(CSV_TABLES))),
        method="GET",
    ),
    Case(
        "mentoring:pairing_edit",
        "lead",
        lambda w: [PairForm(mentors=[w.other_mentor])],
        kwargs=lambda w: _slug(w, member=w.mentee.pk),
        plain=lambda w: {"mentor": w.other_mentor.pk, "reason": "A closer match"},
    ),
    Case(
        "mentoring:pairing_end",
        "lead",
        lambda w: [EndPairingForm()],
        kwargs=lambda w: _slug(w, pk=w.pairing.pk),
        plain=lambda w: {"reason": "They finished"},
    ),
    Case(
        "mentoring:mine",
        "mentee",
        lambda w: [PreferencesForm()],
        plain=lambda w: {
            "channels": ["video"],
            "cadence": "weekly",
            "session_minutes": "60",
            "time_zone": "Europe/London",
        },
    ),
    Case(
        "mentoring:change_request",
        "mentee",
        lambda w: [ChangeRequestForm()],
        plain=lambda w: {"reason": "We never find a time"},
    ),
    Case(
        "mentoring:cadence_propose",
        "mentee",
        lambda w: [ProposeCadenceForm()],
        kwargs=lambda w: _slug(w, pk=w.pairing.pk),
        plain=lambda w: {"cadence": "monthly"},
    ),
    Case(
        "mentoring:cadence_answer",
        "mentee",
        lambda w: [AnswerForm()],
        kwargs=lambda w: _slug(w, pk=w.agreement.pk),
        plain=lambda w: {"accept": "1"},
    ),
    Case(
        "mentoring:mentor_profile",
        "mentor",
        lambda w: [MentorProfileForm()],
        plain=lambda w: {"capacity": "3", "strengths": ["LinkedIn"]},
    ),
    Case(
        "mentoring:session_edit",
        "mentor",
        _session_forms,
        kwargs=lambda w: _slug(w, pk=w.draft.pk),
        plain=lambda w: {"minutes": "45", "channel": "video"},
    ),
    Case(
        "mentoring:session_edit",  # logging it, not only saving
        "mentor",
        _session_forms,
        kwargs=lambda w: _slug(w, pk=w.draft.pk),
        plain=lambda w: {"minutes": "45", "channel": "video", "log": "1"},
        field_by_field=False,  # the same fields as saving, above
    ),
    Case(
        "mentoring:session_autosave",
        "mentor",
        _session_forms,
        kwargs=lambda w: _slug(w, pk=w.draft.pk),
        plain=lambda w: {"minutes": "45", "channel": "video"},
    ),
    Case(
        "mentoring:session_reflect",
        "mentee",
        lambda w: [ReflectionForm()],
        kwargs=lambda w: _slug(w, pk=w.logged.pk),
        plain=lambda w: {"body": "I will post more", "rating": "4", "good_way_to_meet": "yes"},
    ),
    Case(
        "mentoring:guidelines",
        "lead",
        lambda w: [GuidelineForm()],
        plain=lambda w: {"text": "Ask before advising"},
    ),
    Case(
        "mentoring:guideline_edit",
        "lead",
        lambda w: [GuidelineForm(instance=w.guideline)],
        kwargs=lambda w: _slug(w, pk=w.guideline.pk),
    ),
    # Programmes
    Case(
        "programmes:create",
        "mentee",
        lambda w: [ProgrammeCreateForm()],
        kwargs=_nowhere,
        plain=lambda w: {"name": "My own programme", "from_template": "0"},
    ),
    Case("programmes:edit", "lead", lambda w: [ProgrammeSettingsForm(instance=w.programme)]),
    Case(
        "programmes:duplicate",
        "lead",
        lambda w: [DuplicateForm()],
        plain=lambda w: {"name": "Next year's"},
    ),
    Case(
        "programmes:phase_add",
        "lead",
        lambda w: [PhaseForm()],
        plain=lambda w: {"name": "Extra phase", "exit_criterion": "manual"},
    ),
    Case(
        "programmes:phase_edit",
        "lead",
        lambda w: [PhaseForm(instance=w.phase)],
        kwargs=lambda w: _slug(w, pk=w.phase.pk),
    ),
    Case(
        "programmes:invite",
        "lead",
        lambda w: [InviteForm()],
        plain=lambda w: {"name": "Eve Invitee", "email": "eve@example.org", "role": "mentee"},
    ),
    Case(
        "programmes:import",
        "lead",
        lambda w: [InvitationImportForm()],
        plain=lambda w: {"file": CSV_PLAIN},
    ),
    Case(
        "programmes:member_advance",
        "mentor",
        lambda w: [MoveForm()],
        kwargs=lambda w: _slug(w, member=w.mentee.pk),
        plain=lambda w: {"from_phase": w.mentee.current_phase_id, "note": "Ready"},
    ),
    Case(
        "programmes:member_move_back",
        "lead",
        lambda w: [MoveBackForm()],
        kwargs=lambda w: _slug(w, member=w.mentee.pk),
        plain=lambda w: {"from_phase": w.mentee.current_phase_id, "note": "Not yet"},
    ),
    Case(
        "programmes:member_pause",
        "mentee",
        lambda w: [PauseForm()],
        kwargs=lambda w: _slug(w, member=w.mentee.pk),
        plain=lambda w: {"until": str(w.today + timedelta(days=14))},
    ),
    Case(
        "programmes:workshop_create",
        "lead",
        lambda w: [WorkshopForm()],
        plain=lambda w: {
            "title": "Video basics",
            "starts_at": _in_a_week(w, 10),
            "ends_at": _in_a_week(w, 12),
            "time_zone": "Europe/London",
            "location": "Room 1",
            "capacity": "12",
        },
    ),
    Case(
        "programmes:workshop_edit",
        "lead",
        lambda w: [WorkshopForm.for_workshop(w.upcoming)],
        kwargs=lambda w: _slug(w, pk=w.upcoming.pk),
    ),
    Case(
        "programmes:workshop_attendance",
        "lead",
        lambda w: [
            AttendanceForm(mentees=list(w.programme.memberships.filter(role=Role.MENTEE)), seats={})
        ],
        kwargs=lambda w: _slug(w, pk=w.workshop.pk),
        plain=lambda w: {f"attended-{w.mentee.pk}": "yes"},
    ),
    Case(
        "programmes:assessment_question_add",
        "lead",
        lambda w: [QuestionForm()],
        plain=lambda w: {"kind": "text", "prompt": "What would you post first?"},
    ),
    Case(
        "programmes:assessment_question_edit",
        "lead",
        lambda w: [QuestionForm()],
        kwargs=lambda w: _slug(w, question=w.question.pk),
        plain=lambda w: {
            "kind": w.question.kind,
            "topic": w.question.topic,
            "dimension": w.question.dimension,
            "prompt": w.question.prompt,
            "help_text": w.question.help_text,
        },
    ),
    Case(
        "programmes:assessment_follow_up_point",
        "lead",
        lambda w: [FollowUpPointForm(programme=w.programme)],
        plain=lambda w: {"phase": w.phase.pk},
    ),
    Case(
        "programmes:assessment_round",
        "mentee",
        _assessment_forms,
        kwargs=lambda w: _slug(w, round="baseline"),
        plain=_baseline_version,
    ),
    Case(
        "programmes:assessment_autosave",
        "mentee",
        _assessment_forms,
        kwargs=lambda w: _slug(w, round="baseline"),
        plain=_baseline_version,
    ),
    # Playbooks
    Case(
        "playbooks:section",
        "mentee",
        lambda w: [SectionForm()],
        kwargs=lambda w: _slug(w, section=w.section.pk),
        plain=_section,
    ),
    # From the editor, "Ready for review" saves the text first; reopening a section marked
    # complete meanwhile saves the text written since.
    Case(
        "playbooks:section_submit",
        "mentee",
        lambda w: [SectionForm()],
        kwargs=lambda w: _slug(w, section=w.section.pk),
        plain=_section,
    ),
    Case(
        "playbooks:section_reopen",
        "mentee",
        lambda w: [SectionForm()],
        kwargs=lambda w: _slug(w, section=w.waiting.pk),
        plain=lambda w: {"body": "Written meanwhile", "version": w.waiting.version},
    ),
    Case(
        "playbooks:section_autosave",
        "mentee",
        lambda w: [SectionForm()],
        kwargs=lambda w: _slug(w, section=w.section.pk),
        plain=_section,
    ),
    Case(
        "playbooks:section_restore",
        "mentee",
        lambda w: [VersionForm()],
        kwargs=lambda w: _slug(w, section=w.section.pk, revision=w.revision.pk),
        plain=lambda w: {"version": w.section.version},
    ),
    Case(
        "playbooks:section_comment",
        "mentee",
        lambda w: [CommentForm()],
        kwargs=lambda w: _slug(w, section=w.section.pk),
        plain=lambda w: {"body": "What do you think?"},
    ),
    Case(
        "playbooks:section_send_back",
        "mentor",
        lambda w: [SendBackForm()],
        kwargs=lambda w: _slug(w, section=w.waiting.pk),
        plain=lambda w: {"comment": "Say who it is for"},
    ),
    Case(
        "playbooks:template_add",
        "lead",
        lambda w: [TemplateSectionForm()],
        plain=lambda w: {"title": "Your first month"},
    ),
    Case(
        "playbooks:template_edit",
        "lead",
        lambda w: [TemplateSectionForm()],
        kwargs=lambda w: _slug(w, item=w.item.pk),
        plain=lambda w: {
            "title": w.item.title,
            "guidance": w.item.guidance,
            "prompts": w.item.prompts,
            "example": w.item.example,
        },
    ),
    Case(
        "playbooks:personal_target",
        "mentee",
        lambda w: [PersonalTargetForm()],
        kwargs=lambda w: _slug(w, member=w.mentee.pk),
        plain=lambda w: {"per_week": "3"},
    ),
    Case(
        "playbooks:log_completion",
        "mentee",
        lambda w: [CompletionForm(today=today_for(w.mentee_user))],
        kwargs=lambda w: _slug(w, member=w.mentee.pk, activity=w.activity.pk),
    ),
    Case(
        "playbooks:log_completion",  # a mentor logs their own, with what worked
        "mentor",
        lambda w: [MentorCompletionForm(today=today_for(w.mentor.user))],
        kwargs=lambda w: _slug(w, member=w.mentor.pk, activity=w.activity.pk),
    ),
    Case(
        "playbooks:activity_create",
        "lead",
        lambda w: [ActivityForm(programme=w.programme)],
        plain=lambda w: {"title": "Share a post", "recurrence": "week", "times": "2"},
    ),
    Case(
        "playbooks:activity_edit",
        "lead",
        lambda w: [ActivityForm(instance=w.activity, programme=w.programme)],
        kwargs=lambda w: _slug(w, pk=w.activity.pk),
    ),
    Case(
        "playbooks:strategy_edit",
        "lead",
        lambda w: [StrategyForm()],
        plain=lambda w: {"summary": "Be known for what we do well"},
    ),
    Case(
        "playbooks:pillar_create",
        "lead",
        lambda w: [PillarForm()],
        plain=lambda w: {"name": "Reach"},
    ),
    Case(
        "playbooks:pillar_edit",
        "lead",
        lambda w: [PillarForm()],
        kwargs=lambda w: _slug(w, pk=w.pillar.pk),
        plain=lambda w: {"name": "Trust, earned"},
    ),
    Case(
        "playbooks:sign_off",
        "lead",
        lambda w: [SignOffForm()],
        kwargs=lambda w: _slug(w, member=w.signing_off.pk),
        plain=lambda w: {"note": "Ready for business as usual"},
    ),
    Case(
        "playbooks:map_theme",
        "mentee",
        lambda w: [ThemeMappingForm(programme=w.programme)],
        plain=lambda w: {"theme": "Visibility", "pillar": w.pillar.pk},
    ),
    # allauth's, as anyone who is not signed in meets them
    Case(
        "account_login",
        "anonymous",
        lambda w: [LoginForm(request=None)],
        kwargs=_nowhere,
        plain=lambda w: {"login": "mentee@example.org", "password": PASSWORD},
    ),
    Case(
        "account_signup",
        "anonymous",
        lambda w: [SignupForm()],
        kwargs=_nowhere,
        plain=lambda w: {
            "name": "Nia New",
            "email": "nia@example.org",
            "password1": "a-long-Pass-9",
            "password2": "a-long-Pass-9",
        },
    ),
    Case(
        "account_reset_password",
        "anonymous",
        lambda w: [ResetPasswordForm()],
        kwargs=_nowhere,
        plain=lambda w: {"email": "mentee@example.org"},
    ),
]


def _case_ids() -> list[str]:
    ids: list[str] = []
    for case in CASES:
        name = f"{case.route}-{case.role}"
        while name in ids:
            name += "+"
        ids.append(name)
    return ids


NAMED = list(zip(CASES, _case_ids(), strict=True))
CASE_PARAMS = [pytest.param(case, id=name) for case, name in NAMED]
FIELD_BY_FIELD = [pytest.param(case, id=name) for case, name in NAMED if case.field_by_field]


# --- What Hypothesis sends ----------------------------------------------------------------------

NASTY = [
    "\x00", "a\x00b", "\u202e", "\ufeff", "\u200b", "e\u0301", "\U0001f4a5", "\U0001d54f",
    "\r\n", "\t", "<script>alert(1)</script>", "'; DROP TABLE x; --", "%s%n", "{{ 7|add:7 }}",
    "\\", "\uffff", "\U0010ffff", " ", "",
]  # fmt: skip
NUMBERS = [
    "-1", "0", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
    "9223372036854775808", "-9223372036854775809", "1" + "0" * 40, "1e309", "NaN", "inf",
    "-0", "0x10", "\uff11\uff12", "\u0661\u0662\u0663", "1_000", " 7 ", "3.5",
]  # fmt: skip
DATES = [
    "0001-01-01", "1899-12-31", "1999-12-31", "9999-12-31", "10000-01-01", "2026-02-29",
    "2024-02-30", "2026-13-01", "0000-00-00", "-2026-01-01", "0001-01-01T00:00",
    "9999-12-31T23:59", "2026-03-29T01:30", "2026-06-01T24:00", "24:00", "23:60",
    "2026-06-01 10:00:00+14:00", "2026-06-01T10:00:00.9999999",
]  # fmt: skip

hostile_text = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(NASTY)), max_size=6).map(
    "".join
)
long_text = st.tuples(
    st.sampled_from([81, 121, 151, 201, 255, 301, 501, 5_001, 10_001, 100_001]),
    st.sampled_from(["x", "\u00e9", "\U0001f4a5"]),
).map(lambda pair: pair[1] * pair[0])
hostile_value = st.one_of(
    hostile_text,
    st.sampled_from(NUMBERS),
    st.integers().map(str),
    st.sampled_from(DATES),
    st.dates().map(date.isoformat),
    st.datetimes().map(lambda at: at.strftime("%Y-%m-%dT%H:%M")),
    long_text,
)


def _choices(formfield: forms.Field) -> list[str]:
    found = []
    for key, label in getattr(formfield, "choices", ()):
        if isinstance(label, list | tuple):  # a group of choices
            found += [str(inner) for inner, _ in label]
        else:
            found.append(str(key))
    return found


def _pks(formfield: forms.ModelChoiceField) -> list[str]:
    assert formfield.queryset is not None
    return [str(pk) for pk in formfield.queryset.values_list("pk", flat=True)]


def plausible(formfield: forms.Field) -> st.SearchStrategy[Any]:
    """What someone using the page might send: the right type, any size the field allows."""
    if isinstance(formfield, forms.ModelMultipleChoiceField):
        pks = _pks(formfield)
        return st.lists(st.sampled_from(pks), unique=True) if pks else st.just([])
    if isinstance(formfield, forms.ModelChoiceField):
        return st.sampled_from(["", *_pks(formfield)])
    if isinstance(formfield, forms.MultipleChoiceField):
        keys = _choices(formfield)
        return st.lists(st.sampled_from(keys), unique=True) if keys else st.just([])
    if isinstance(formfield, forms.ChoiceField):
        return st.sampled_from(_choices(formfield) or [""])
    if isinstance(formfield, forms.BooleanField):
        return st.sampled_from(["on", None])
    if isinstance(formfield, forms.DateTimeField):
        return st.datetimes(datetime(1990, 1, 1), datetime(2040, 12, 31)).map(
            lambda at: at.strftime("%Y-%m-%dT%H:%M")
        )
    if isinstance(formfield, forms.DateField):
        return st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(date.isoformat)
    if isinstance(formfield, forms.TimeField):
        return st.times().map(lambda at: at.strftime("%H:%M"))
    if isinstance(formfield, forms.IntegerField):
        # Unbounded where the field sets no bound: the size a database column can't hold.
        lowest, highest = formfield.min_value, formfield.max_value
        return st.integers(
            lowest if isinstance(lowest, int) else None,
            highest if isinstance(highest, int) else None,
        ).map(str)
    if isinstance(formfield, forms.EmailField):
        return st.emails().map(str)
    if isinstance(formfield, forms.URLField):
        return st.one_of(
            st.just("https://example.org/post"),
            hostile_text.map(lambda text: "https://example.org/" + text),
        )
    if isinstance(formfield, forms.FileField):
        return csv_upload
    limit = getattr(formfield, "max_length", None)
    if limit:
        return st.one_of(st.text(max_size=min(limit, 200)), st.just("x" * limit))
    return st.text(max_size=200)


def hostile(formfield: forms.Field) -> st.SearchStrategy[Any]:
    """What someone attacking the page might send instead."""
    if isinstance(formfield, forms.FileField):
        return hostile_upload
    if isinstance(formfield, forms.ModelMultipleChoiceField):
        return st.lists(st.one_of(hostile_value, st.sampled_from(["", *_pks(formfield)])))
    if isinstance(formfield, forms.MultipleChoiceField):
        return st.lists(st.one_of(hostile_value, st.sampled_from(["", *_choices(formfield)])))
    return hostile_value


# A CSV of invitations: cells may hold anything, rows are quoted as a spreadsheet would.
csv_cells = st.tuples(
    st.one_of(st.just("Eve Invitee"), hostile_text, long_text),
    st.one_of(st.emails().map(str), hostile_text, st.just("a" * 250 + "@example.org")),
    st.one_of(st.sampled_from(["mentee", "mentor", "lead", "partner", "Mentee "]), hostile_text),
    st.one_of(st.just(""), st.emails().map(str), hostile_text),
)


def _csv(rows: list[tuple[str, str, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "role", "mentor_email"])
    writer.writerows(rows)
    return out.getvalue()


csv_text = st.lists(csv_cells, min_size=1, max_size=4).map(_csv)
csv_upload = st.one_of(st.just(CSV_PLAIN), csv_text.map(str.encode))
hostile_upload = st.one_of(
    csv_text.map(str.encode),
    csv_text.map(lambda text: text.encode("cp1252", "replace")),
    csv_text.map(lambda text: text.encode("utf-16")),
    st.binary(max_size=300),
    st.just(b"x" * (2 * 1024 * 1024 + 1)),  # just over the form's limit
)


@dataclass(frozen=True)
class Posted:
    """One field as the page posts it: its name, a value the form accepts, and what else."""

    name: str
    plain: Any
    other: st.SearchStrategy[Any]
    field: forms.Field | None = None  # None: not a form's field (a button's name, say)


def _plain(bound: forms.BoundField) -> Any:
    """The field's initial value, written as the browser would post it back."""
    formfield, value = bound.field, bound.value()
    if isinstance(formfield, forms.BooleanField):
        return "on" if value else None
    if isinstance(formfield, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(v) for v in formfield.prepare_value(value) or []]
    if value is None:
        return ""
    written = formfield.widget.format_value(value)
    if isinstance(written, list):
        return written[0] if written else ""
    return "" if written is None else str(written)


def _bound_fields(form: Any) -> Iterator[forms.BoundField]:
    if isinstance(form, BaseFormSet):
        yield from form.management_form
        for inner in form.forms:
            yield from inner
    else:
        yield from form


def posted_fields(case: Case, world: HostileWorld) -> list[Posted]:
    fields = {
        bound.html_name: Posted(
            bound.html_name,
            _plain(bound),
            st.one_of(plausible(bound.field), hostile(bound.field), st.none()),
            bound.field,
        )
        for form in case.forms(world)
        for bound in _bound_fields(form)
    }
    for name, value in case.plain(world).items():
        if isinstance(value, list):
            value = [str(v) for v in value]
        elif not isinstance(value, bytes):
            value = str(value)
        if name in fields:
            fields[name] = replace(fields[name], plain=value)
        else:  # sent as it is, or spoiled like the rest
            fields[name] = Posted(name, value, st.one_of(hostile_value, st.none()))
    return list(fields.values())


@st.composite
def submissions(draw: st.DrawFn, fields: list[Posted]) -> dict[str, Any]:
    """A submission the form accepts with a few fields spoiled, or with every one spoiled."""
    names = [posted.name for posted in fields]
    spoiled = draw(
        st.one_of(st.sets(st.sampled_from(names), min_size=1, max_size=3), st.just(set(names)))
    )
    data = {}
    for posted in fields:
        value = draw(posted.other) if posted.name in spoiled else posted.plain
        if value is not None:
            data[posted.name] = value
    return data


# --- Sending it, and what must hold -------------------------------------------------------------


def client_for(world: HostileWorld, case: Case) -> Client:
    client = Client()
    if case.role != "anonymous":
        client.force_login(getattr(world.cast, case.role))
    if case.reauthenticated:
        again = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert again.status_code == 302, "could not sign in again"
    return client


def send(client: Client, case: Case, url: str, data: dict[str, Any]) -> Any:
    if case.method == "GET":
        response: Any = client.get(url, data)
        if response.streaming:  # a CSV is written as it is read: read it all
            b"".join(response.streaming_content)
        return response
    files = {
        name: SimpleUploadedFile("people.csv", value, "text/csv")
        for name, value in data.items()
        if isinstance(value, bytes)
    }
    return client.post(url, data | files)


def own_models() -> list[type[models.Model]]:
    return [
        model
        for app in OWN_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.managed and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    """Every row of the project's apps, counted in one query (it runs twice a request)."""
    counted = own_models()
    tables = [connection.ops.quote_name(model._meta.db_table) for model in counted]
    counts = ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)  # nosec B608 # quoted names
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        found = cursor.fetchone()
    return {model._meta.label: n for model, n in zip(counted, found, strict=True)}


def stored_nul() -> list[str]:
    """Every text or JSON column of the project's apps that holds a NUL (SQLite stores one;
    PostgreSQL refuses it, so there a NUL that got through is already a 500). Read in
    Python: SQLite's LIKE and length() stop at a NUL."""
    found = set()
    for model in own_models():
        columns = [
            column.name
            for column in model._meta.concrete_fields
            if isinstance(column, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values_list(*columns) if columns else []:
            for name, value in zip(columns, row, strict=True):
                if any("\x00" in text for text in _strings(value)):
                    found.add(f"{model._meta.label}.{name}")
    return sorted(found)


def _strings(value: Any) -> Iterator[str]:
    """A column's text: itself, or every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings(inner)
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _strings(inner)


def _has_nul(data: dict[str, Any]) -> bool:
    values = [v for value in data.values() for v in (value if isinstance(value, list) else [value])]
    return any((b"\x00" if isinstance(v, bytes) else "\x00") in v for v in values)


def refusal(response: Any) -> str | None:
    """Why the response is a refusal (nothing may have changed), or None for a success."""
    if response.status_code >= 400:
        return f"it answered {response.status_code}"
    contexts = response.context  # one Context, a ContextList, or None (JSON)
    shown: list[Any] = list(contexts) if isinstance(contexts, ContextList) else [contexts]
    for context in filter(None, shown):
        for layer in context.dicts:
            for value in layer.values():
                if _has_errors(value):
                    return f"the form came back with errors: {_errors(value)}"
    said = [str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR]
    if said:
        return f"it said no: {said}"
    return None


def _has_errors(value: Any) -> bool:
    if isinstance(value, BaseFormSet):
        return value.is_bound and not value.is_valid()
    return isinstance(value, forms.BaseForm) and value.is_bound and bool(value.errors)


def _errors(form: Any) -> str:
    if isinstance(form, BaseFormSet):
        return str([f.errors for f in form.forms] + [form.non_form_errors()])
    return str(dict(form.errors))


def attempt(world: HostileWorld, case: Case, data: dict[str, Any]) -> tuple[Any, str]:
    """Posts `data` in a savepoint, undone afterwards; returns the response and what is wrong."""
    url = reverse(case.route, kwargs=case.kwargs(world))
    with transaction.atomic():
        client = client_for(world, case)
        before = row_counts()
        response = send(client, case, url, data)
        after = row_counts()
        nul = stored_nul() if connection.vendor == "sqlite" and _has_nul(data) else []
        transaction.set_rollback(True)
    wrong = []
    if response.status_code >= 500:
        wrong.append(f"{response.status_code} from {case.method} {url}")
    if nul:
        wrong.append(f"a NUL was stored in {nul}")
    if (why := refusal(response)) and before != after:
        changed = {
            label: (before[label], after[label])
            for label in before
            if before[label] != after[label]
        }
        wrong.append(f"refused ({why}), yet rows changed: {changed}")
    return response, "; ".join(wrong)


# --- The tests ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _no_sign_in_limits(settings):
    """allauth's rate limits would answer later examples with a 429 before reading their
    form; they have tests of their own (tests/mentoring/test_user_sign_in_limits.py)."""
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_each_forms_plain_submission_gets_through(world, case):
    """The starting point of every hostile submission is one the form takes, so what is
    spoiled in it gets as far as the service and the database."""
    data = {p.name: p.plain for p in posted_fields(case, world) if p.plain is not None}
    response, wrong = attempt(world, case, data)
    assert not wrong, wrong
    assert response.status_code in (200, 302), response.status_code
    to = response.get("Location", "")
    sign_in = (reverse("account_login") + "?", reverse("account_reauthenticate"))
    assert not to.startswith(sign_in), f"sent to sign in ({to}): the role can't use the page"
    assert refusal(response) is None, refusal(response)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASE_PARAMS)
def test_hostile_input_is_refused_cleanly_and_stores_nothing_halfway(world, case):
    fields = posted_fields(case, world)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=submissions(fields))
    def hostile_submission_is_handled(data: dict[str, Any]) -> None:
        _response, wrong = attempt(world, case, data)
        assert not wrong, wrong

    hostile_submission_is_handled()


def extremes(posted: Posted) -> list[Any]:
    """The values most likely to get past a form and break the database, for one field: a
    NUL and the longest text it takes; numbers and ids beyond a 32- and a 64-bit column; the
    first and last days a date can have."""
    formfield, plain = posted.field, posted.plain
    if isinstance(formfield, forms.FileField):
        return [
            plain.replace(b"Eve", b"E\x00ve"),
            plain.replace(b"Eve Invitee", b"x" * 10_001),
            plain.replace(b"Eve Invitee", b"x" * 200_000),  # over the csv module's field limit
            plain.replace(b"\n", b"\r"),  # an old Mac's line ends
            plain.replace(b"eve@", b"e" * 250 + b"@"),
        ]
    if isinstance(formfield, forms.EmailField):
        # Django takes an address of up to 320 characters; a column holds 254.
        return [f"{plain}\x00", "e" * 288 + "@example.org"]
    if isinstance(formfield, forms.CharField):
        longest = formfield.max_length or 10_001
        return [f"{plain}\x00", "\u00e9" * longest]
    if isinstance(formfield, forms.IntegerField | forms.ModelChoiceField):
        huge = ["2147483648", "9223372036854775808"]
        return (
            [[n] for n in huge] if isinstance(formfield, forms.ModelMultipleChoiceField) else huge
        )
    if isinstance(formfield, forms.DateTimeField):
        return ["0001-01-01T00:00", "9999-12-31T23:59"]
    if isinstance(formfield, forms.DateField):
        return ["0001-01-01", "9999-12-31"]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("case", FIELD_BY_FIELD)
def test_each_field_takes_its_extremes_without_a_500(world, case):
    """Each field in turn gets its extremes, the rest as the form accepts them: refused, or
    stored whole, never a 500 and never a NUL kept. The formsets' management fields are
    Django's own, and the other rows of a formset are the same as its first."""
    fields = posted_fields(case, world)
    plain = {p.name: p.plain for p in fields if p.plain is not None}
    for posted in fields:
        if re.fullmatch(r"\w+-(\w+_FORMS|[1-9]\d*-\w+)", posted.name):
            continue
        for value in extremes(posted):
            _response, wrong = attempt(world, case, plain | {posted.name: value})
            assert not wrong, f"{posted.name}={str(value)[:40]!r}: {wrong}"


# --- Every form is here ---------------------------------------------------------------------------


def _routes(patterns=None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _routes(pattern.url_patterns, inner)
        elif pattern.name:
            yield ":".join(filter(None, [namespace, pattern.name])), pattern


def _reads(function: types.FunctionType, seen: set[Any]) -> tuple[set[str], bool]:
    """The form classes a view (and the helpers of its module it calls) uses, and whether it
    reads request.POST."""
    module = inspect.getmodule(function)
    namespace = vars(module) if module else {}
    modules = [value for value in namespace.values() if isinstance(value, types.ModuleType)]
    codes, names = [function.__code__], set()
    while codes:
        code = codes.pop()
        names |= set(code.co_names)
        codes += [const for const in code.co_consts if isinstance(const, types.CodeType)]
    found, posts = set(), "POST" in names
    for name in names:
        for target in [namespace.get(name), *(getattr(m, name, None) for m in modules)]:
            if isinstance(target, type) and issubclass(target, forms.BaseForm | BaseFormSet):
                found.add(target.__name__)
            elif inspect.isfunction(target) and target not in seen:
                seen.add(target)
                if ".forms." in target.__module__:
                    found.add(target.__name__)
                elif module and target.__module__ == module.__name__:
                    more, more_posts = _reads(target, seen)
                    found |= more
                    posts = posts or more_posts
    return found, posts


def test_every_route_that_takes_a_form_has_a_case():
    """A new page that binds a form from a POST fails here until it has a case above."""
    takes_forms = set()
    for name, pattern in _routes():
        view = inspect.unwrap(pattern.callback)
        if view.__module__.split(".")[0] not in OWN_APPS or not inspect.isfunction(view):
            continue
        form_classes, posts = _reads(view, set())
        if form_classes and posts:
            takes_forms.add(name)
    assert len(takes_forms) > 40, "the walk found too few: is it still reading the views?"
    missing = takes_forms - {case.route for case in CASES}
    assert not missing, f"routes that take a form with no case in this file: {sorted(missing)}"


@pytest.mark.django_db
def test_every_text_a_form_takes_has_a_length_limit(world):
    """No page stores a text of any length: a megabyte pasted into a note would make every
    page that shows it a megabyte (QA). Each text field says how long it may be."""
    unlimited = set()
    for case in CASES:
        for form in case.forms(world):
            for bound in _bound_fields(form):
                field = bound.field
                if not isinstance(field, forms.CharField) or field.max_length is not None:
                    continue
                if isinstance(field.widget, forms.PasswordInput):
                    continue  # allauth's own forms: checked by its password validators
                unlimited.add(f"{case.route}: {bound.html_name}")
    assert not unlimited, "\n".join(sorted(unlimited))
