"""Every date, date-and-time and time input on every page holds a value the browser accepts.

A browser drops a value it can't read (06/12/2026 in an `<input type="date">`) and submits
the field empty, so the next save silently replaces what was stored. The walk covers every
route of the project's own apps, found through the URL resolver: a new page is walked
without anyone listing it, and a new page that needs an object in its address fails here
until `OBJECTS` or `PARAMETERS` says which one to open. allauth's and the admin's pages
are not the project's forms and are left out by their views' package.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from mentoring.models import MentoringSession, User
from mentoring.services.calendar import issue_feed
from playbooks.models import Activity, SectionRevision, StrategyPillar, TemplateSection
from programmes.forms.dates import ISO_WIDGETS, DateInput
from programmes.models import (
    AssessmentQuestion,
    Invitation,
    Membership,
    Notification,
    NotificationSettings,
    Programme,
    Workshop,
)
from programmes.services.invitation import make_token
from programmes.services.notification import unsubscribe_token
from programmes.services.phase import change_phase
from programmes.services.programme import change_nudge_settings
from tests.browser_forms import DATE_TYPES, browser_accepts, date_inputs

OWN_APPS = ("mentoring", "programmes", "playbooks")
NO_SUCH = 987654321


@dataclass
class Demo:
    """The demo programme, and the objects a page's address names."""

    programme: Programme
    lead: User
    mentor: Membership
    mentee: Membership
    session: MentoringSession

    def people(self) -> dict[str, User]:
        return {"lead": self.lead, "mentor": self.mentor.user, "mentee": self.mentee.user}


@pytest.fixture
def demo(db) -> Demo:
    """The demo seed, with every kind of date filled in somewhere."""
    call_command("seed_demo", quiet=True)
    programme = Programme.objects.get()
    lead = User.objects.get(email="lead@example.com")
    mentee = Membership.objects.get(user__email="mentee@example.com")
    mentor = Membership.objects.get(user__email="mentor@example.com")
    session = (
        MentoringSession.objects.filter(mentee=mentee, mentor=mentor, actions__due_on__isnull=False)
        .order_by("-held_at")
        .first()
    )
    assert session is not None
    phase = programme.phases.order_by("position")[0]
    today = timezone.localdate()
    change_phase(phase=phase, by=lead, starts_on=today - timedelta(days=70), ends_on=today)
    change_nudge_settings(
        programme=programme,
        by=lead,
        nudges_off=[],
        nudge_every_days=programme.nudge_every_days,
        quiet_from=time(21, 30),
        quiet_until=time(7, 0),
    )
    for user in (lead, mentor.user, mentee.user):
        NotificationSettings.objects.update_or_create(
            user=user, defaults={"quiet_from": time(22, 0), "quiet_until": time(6, 45)}
        )
    return Demo(programme, lead, mentor, mentee, session)


# The objects each kind of address parameter opens, whatever the page.
PARAMETERS: dict[str, Callable[[Demo], list]] = {
    "slug": lambda d: [d.programme.slug],
    "member": lambda d: [d.mentee.pk, d.mentor.pk],
    "section": lambda d: [_revision(d).section_id],
    "revision": lambda d: [_revision(d).pk],
    "item": lambda d: [TemplateSection.objects.filter(programme=d.programme)[0].pk],
    "question": lambda d: [AssessmentQuestion.objects.filter(programme=d.programme)[0].pk],
    "activity": lambda d: [_open_activity(d).pk],
    "round": lambda d: ["baseline", "follow-up"],
}

# A `pk` or `token` means something different on each page: what each page's opens.
OBJECTS: dict[str, Callable[[Demo], dict]] = {
    "mentoring:calendar_feed": lambda d: {"token": issue_feed(by=d.mentee.user).token},
    "mentoring:unsubscribe": lambda d: {"token": unsubscribe_token(d.mentee.user.pk, "next_step")},
    "mentoring:notification_open": lambda d: {
        "pk": Notification.objects.filter(recipient=d.mentee.user).latest("pk").pk
    },
    "mentoring:dashboard_csv": lambda d: {"table": _first_csv_table()},
    "mentoring:session": lambda d: {"pk": d.session.pk},
    "mentoring:session_ics": lambda d: {"pk": d.session.pk},
    "mentoring:session_edit": lambda d: {"pk": d.session.pk},
    "mentoring:guideline_edit": lambda d: {"pk": d.programme.guidelines.all()[0].pk},
    "programmes:invitation": lambda d: {
        "token": make_token(
            Invitation.objects.filter(
                programme=d.programme, accepted_at=None, revoked_at=None
            ).latest("pk")
        )
    },
    "programmes:phase_edit": lambda d: {"pk": d.programme.phases.all()[0].pk},
    "programmes:workshop_detail": lambda d: {"pk": _workshop(d).pk},
    "programmes:workshop_edit": lambda d: {"pk": _workshop(d).pk},
    "programmes:workshop_attendance": lambda d: {"pk": _workshop(d).pk},
    "programmes:workshop_delete": lambda d: {"pk": _workshop(d).pk},
    "programmes:workshop_ics": lambda d: {"pk": _workshop(d).pk},
    "playbooks:activity_edit": lambda d: {"pk": _open_activity(d).pk},
    "playbooks:pillar_edit": lambda d: {
        "pk": StrategyPillar.objects.filter(programme=d.programme)[0].pk
    },
}

# Inputs the walk must find holding a date: if the demo stops filling one in, the walk would
# check nothing for it, so it says so.
MUST_SEE_FILLED = {
    "held_at",
    "next_session_on",
    "actions-0-due_on",
    "starts_on",
    "ends_on",
    "starts_at",
    "ends_at",
    "done_on",
    "quiet_from",
    "quiet_until",
}


def _revision(d: Demo) -> SectionRevision:
    """A revision of a section of the mentee's playbook: it opens both."""
    return SectionRevision.objects.filter(section__playbook__membership=d.mentee).latest("pk")


def _open_activity(d: Demo) -> Activity:
    return Activity.objects.filter(programme=d.programme).current().open_to(d.mentee)[0]


def _first_csv_table() -> str:
    from mentoring.selectors.dashboard import CSV_TABLES

    return next(iter(CSV_TABLES))


def _workshop(d: Demo) -> Workshop:
    return Workshop.objects.filter(programme=d.programme).latest("starts_at")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: URLPattern

    @property
    def parameters(self) -> list[str]:
        return list(self.pattern.pattern.converters)

    def placeholder_kwargs(self) -> dict:
        """Values that fit the address but open nothing."""
        return {
            name: NO_SUCH if converter.regex == "[0-9]+" else "no-such-thing"
            for name, converter in self.pattern.pattern.converters.items()
        }


def own_routes() -> Iterator[Route]:
    """Every named route whose view is the project's own."""

    def walk(patterns, namespace: str | None) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if namespace and pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}"
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name and pattern.callback.__module__.split(".")[0] in OWN_APPS:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield Route(name, pattern)

    yield from walk(get_resolver().url_patterns, None)


def kwargs_for(route: Route, d: Demo) -> list[dict] | None:
    """Each address of `route` to open, or None when nothing says what its parameters are."""
    given = OBJECTS[route.name](d) if route.name in OBJECTS else {}
    names = [name for name in route.parameters if name not in given]
    if any(name not in PARAMETERS for name in names):
        return None
    choices = [PARAMETERS[name](d) for name in names]
    return [given | dict(zip(names, values, strict=True)) for values in itertools.product(*choices)]


def problems_in(html: str, where: str) -> Iterator[str]:
    for control in date_inputs(html):
        for attribute in ("value", "min", "max"):
            value = control.attrs.get(attribute, "")
            if not browser_accepts(control.type, value):
                yield (
                    f"{where}: <input type={control.type} name={control.name}> "
                    f"{attribute}={value!r}"
                )


def test_every_date_and_time_input_on_every_page_holds_a_value_the_browser_accepts(client, demo):
    problems, unopened, unreached = [], [], []
    filled: set[str] = set()
    for route in own_routes():
        client.force_login(demo.lead)
        if client.get(reverse(route.name, kwargs=route.placeholder_kwargs())).status_code == 405:
            continue  # POST only: it draws no form of its own
        addresses = kwargs_for(route, demo)
        if addresses is None:
            unopened.append(route.name)
            continue
        reached = False
        for kwargs, (role, user) in itertools.product(addresses, demo.people().items()):
            client.force_login(user)
            response = client.get(reverse(route.name, kwargs=kwargs))
            reached = reached or response.status_code < 400
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            problems += problems_in(html, f"{route.name} {kwargs} as {role}")
            filled |= {c.name for c in date_inputs(html) if c.attrs.get("value")}
        if not reached:
            unreached.append(route.name)
    assert not unopened, f"say in OBJECTS or PARAMETERS what these pages open: {unopened}"
    assert not unreached, f"no one in the demo could open these pages: {unreached}"
    assert not problems, "\n".join(problems)
    assert filled >= MUST_SEE_FILLED, f"never saw a date in {MUST_SEE_FILLED - filled}"


# --- Every form, wherever it is drawn ---------------------------------------------------------


def _form_classes() -> Iterator[type[forms.BaseForm]]:
    for app in OWN_APPS:
        package = importlib.import_module(f"{app}.forms")
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{app}.forms.{module_info.name}")
            for _name, found in inspect.getmembers(module, inspect.isclass):
                if issubclass(found, forms.BaseForm) and found.__module__ == module.__name__:
                    yield found


def test_every_date_and_time_field_in_every_form_draws_an_iso_input():
    temporal = (forms.DateField, forms.DateTimeField, forms.TimeField)
    checked, wrong = 0, []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, temporal):
                checked += 1
                if not isinstance(field.widget, ISO_WIDGETS):
                    wrong.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert checked >= 15
    assert not wrong, f"use the fields in programmes/forms/dates.py: {wrong}"


def test_no_template_writes_a_date_or_time_input_by_hand():
    """A hand-written input would take its value from a template filter, in the site's
    language; the shared widgets are the one place values are written."""
    typed = re.compile(r"<input\b[^>]*\stype=[\"']?(" + "|".join(DATE_TYPES) + r")\b")
    found = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if typed.search(path.read_text())
    ]
    assert not found


def test_the_walk_flags_a_date_written_in_the_sites_language():
    day = date(2026, 12, 6)
    old_way = forms.DateInput(attrs={"type": "date"}).render("due_on", day)  # 06/12/2026
    assert list(problems_in(old_way, "old"))
    assert not list(problems_in(DateInput().render("due_on", day), "new"))
