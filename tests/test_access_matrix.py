"""The access matrix (tests/access_matrix.py), walked: every route, method and role gets what
the matrix says, and a refused change changes nothing. The URL resolver is walked too: a
route of the project's apps that the matrix does not list fails here, by name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mentoring.selectors.dashboard import CSV_TABLES
from mentoring.services.calendar import issue_feed
from programmes.models import Notification, NotificationKind
from programmes.services.invitation import make_token
from programmes.services.notification import notify, unsubscribe_token
from tests.access_matrix import (
    ALLOWED,
    GROUPS,
    LOGIN,
    MATRIX,
    ROLES,
    Entry,
    Outcome,
)
from tests.factories import Cast, build_cast, make_user
from tests.programmes.test_policy_services import World

OWN_APPS = ("mentoring", "programmes", "playbooks")
METHODS = ("GET", "POST")


# --- The world every address points into, built once for the module -------------------------


class MatrixWorld(World):
    """The policy tests' world (one of everything a service changes), plus what the pages'
    addresses name that it lacks: tokens, a notification, staff."""

    def __init__(self, cast: Cast):
        super().__init__(cast)
        mentee: Any = cast.mentee
        self.staff = make_user("Sam Staff", "staff@example.org")
        self.staff.is_staff = self.staff.is_superuser = True
        self.staff.save(update_fields=["is_staff", "is_superuser"])
        self.feed_token = issue_feed(by=mentee).token
        self.unsubscribe_token = unsubscribe_token(mentee.pk, NotificationKind.NEXT_STEP)
        self.invitation_token = make_token(self.invitation)
        notify(
            [mentee],
            kind=NotificationKind.PHASE_CHANGED,
            key="matrix",
            title="You moved on",
            link=f"/programmes/{self.programme.slug}/journey/",
            programme=self.programme,
        )
        self.notification = Notification.objects.filter(recipient=mentee).latest("pk")
        # Each person signs in once; every request of theirs carries that session.
        self.sessions: dict[str, str] = {}
        for role, person in self.people().items():
            if person is not None:
                client = Client()
                client.force_login(person)
                self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def client(self, role: str) -> Client:
        client = Client()
        if role in self.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def people(self) -> dict[str, Any]:
        return {"anonymous": None, **self.cast.people(), "staff": self.staff}

    def kwargs(self, name: str, entry: Entry) -> dict[str, Any]:
        """The address of `name`, opening the pair's objects."""
        pattern = ROUTES[name].pattern
        found: dict[str, Any] = {}
        for parameter in pattern.pattern.converters:
            if parameter == "pk":
                assert entry.pk, f"{name}: say in the matrix which object its pk opens"
                found["pk"] = getattr(self, entry.pk).pk
            elif parameter == "token":
                assert entry.token, f"{name}: say in the matrix which token it takes"
                found["token"] = getattr(self, entry.token)
            else:
                found[parameter] = PARAMETERS[parameter](self)
        return found


# The objects each other kind of address parameter opens, whatever the page.
PARAMETERS = {
    "slug": lambda w: w.programme.slug,
    "member": lambda w: w.mentee.pk,
    "section": lambda w: w.section.pk,
    "revision": lambda w: w.revision.pk,
    "item": lambda w: w.item.pk,
    "question": lambda w: w.question.pk,
    "activity": lambda w: w.activity.pk,
    "round": lambda w: "baseline",
    "table": lambda w: next(iter(CSV_TABLES)),
}
# Parameters that name a row: at another programme's address, each must open nothing.
OBJECT_PARAMETERS = {"pk", "member", "section", "revision", "item", "question", "activity"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[MatrixWorld]:
    """Built once in a transaction of its own; each test runs in a savepoint inside it, so
    what one role's change does is undone before the next role tries."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield MatrixWorld(build_cast())
        transaction.set_rollback(True)


# --- The routes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None
    path: str
    pattern: URLPattern

    @property
    def app(self) -> str:
        return self.pattern.callback.__module__.split(".")[0]


def walk(patterns=None, namespace: str | None = None, prefix: str = "") -> Iterator[Route]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(name, prefix + str(pattern.pattern), pattern)


ROUTES = {route.name: route for route in walk() if route.name}
SAMPLES = {name: entry for group in GROUPS.values() for name, entry in group.samples.items()}
CASES = [
    *(pytest.param(name, method, id=f"{name}-{method}") for name in MATRIX for method in METHODS),
    *(pytest.param(name, "GET", id=f"{name}-GET") for name in SAMPLES),
]


def test_every_route_is_in_the_access_matrix():
    """A new page of the project's apps fails here until the matrix says who gets what;
    anything else must sit under the prefix of a group (allauth, the admin)."""
    missing, unnamed, ungrouped = [], [], []
    for route in walk():
        if route.app in OWN_APPS:
            if route.name is None:
                unnamed.append(route.path)
            elif route.name not in MATRIX:
                missing.append(route.name)
        elif not any(route.path.startswith(group.prefix) for group in GROUPS.values()):
            ungrouped.append(route.name or route.path)
    assert not missing, f"routes missing from tests/access_matrix.py: {sorted(missing)}"
    assert not unnamed, f"name these routes, then add them to the matrix: {unnamed}"
    assert not ungrouped, f"routes in no group of tests/access_matrix.py: {ungrouped}"


def test_the_access_matrix_lists_no_route_that_is_gone():
    gone = set(MATRIX) - set(ROUTES)
    assert not gone, f"take these out of tests/access_matrix.py: {sorted(gone)}"
    for group in GROUPS.values():
        for name in group.samples:
            assert name in ROUTES, f"no route {name}: take it out of tests/access_matrix.py"
            assert ROUTES[name].path.startswith(group.prefix), name
            assert ROUTES[name].app not in OWN_APPS, name


# --- Walking it -----------------------------------------------------------------------------

# An export may be recorded in the audit trail as it is read: the only row a page adds by
# being read.
READS_MAY_RECORD = {"programmes.AuditEntry"}


def row_counts() -> dict[str, int]:
    """Every row of the project's apps, counted in one query."""
    models = [
        model
        for app in OWN_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(
        f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})"  # nosec B608 # quoted table names
        for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, counts, strict=True)}


def changed(before: dict[str, int], after: dict[str, int], *, read: bool) -> list[str]:
    ignored = READS_MAY_RECORD if read else set()
    return [
        f"{label} {before[label]}→{after[label]}"
        for label in before
        if before[label] != after[label] and label not in ignored
    ]


def matches(expected: Outcome, response: Any) -> bool:
    status = response.status_code
    if getattr(response, "redirect_chain", None):  # followed: judge where it ended
        to_login = response.request["PATH_INFO"] == reverse("account_login")
        return to_login if expected == LOGIN else status == expected and not to_login
    to_login = status == 302 and response["Location"].startswith(reverse("account_login"))
    if expected == LOGIN:
        return to_login
    if expected == ALLOWED:
        return status < 500 and status not in (403, 404, 405) and not to_login
    if expected == 302:
        return status == 302 and not to_login
    return status == expected


def send(client: Client, method: str, url: str, body: dict, *, follow: bool) -> Any:
    if method == "GET":
        return client.get(url, follow=follow)
    return client.post(url, body, follow=follow)


def attempt(world: MatrixWorld, role: str, method: str, url: str, entry: Entry) -> str | None:
    """One role's request, undone afterwards; what was wrong with it, if anything."""
    expected = entry.outcomes(method)[role]
    client = world.client(role)
    body = entry.body(world) if entry.body and method == "POST" else {}
    with transaction.atomic():
        before = row_counts()
        response = send(client, method, url, body, follow=entry.follow)
        after = row_counts()
        transaction.set_rollback(True)
    if not matches(expected, response):
        got = f"{response.status_code} {response.get('Location', '')}".strip()
        return f"{role}: expected {expected}, got {got}"
    if expected != ALLOWED and (differences := changed(before, after, read=expected == 200)):
        return f"{role}: got {expected} as expected, but it changed {differences}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), CASES)
def test_each_role_gets_what_the_access_matrix_says(world, name, method):
    entry = MATRIX.get(name) or SAMPLES[name]
    url = reverse(name, kwargs=world.kwargs(name, entry))
    wrong = [problem for role in ROLES if (problem := attempt(world, role, method, url, entry))]
    assert not wrong, f"{method} {url}\n" + "\n".join(wrong)


# --- Another programme's address --------------------------------------------------------------


CROSS_CASES = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name in MATRIX
    if name in ROUTES
    and "slug" in ROUTES[name].pattern.pattern.converters
    and OBJECT_PARAMETERS & set(ROUTES[name].pattern.pattern.converters)
    for method in METHODS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), CROSS_CASES)
def test_a_lead_at_their_own_programmes_address_opens_nothing_of_this_one(world, name, method):
    """The other lead may do anything at their own programme's address; this programme's
    rows named there must not exist for them."""
    entry = MATRIX[name]
    client = world.client("other_lead")
    kwargs = world.kwargs(name, entry) | {"slug": world.cast.other_programme.slug}
    url = reverse(name, kwargs=kwargs)
    before = row_counts()
    response = send(client, method, url, entry.body(world) if entry.body else {}, follow=False)
    refused = 405 if entry.outcomes(method)["lead"] == 405 else 404
    assert response.status_code == refused, f"{method} {url}: {response.status_code}"
    assert not changed(before, row_counts(), read=False)
