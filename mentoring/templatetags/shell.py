"""The page shell's menus, built in Python.

Every signed-in page shows the main menu, and every programme page its tabs. As templates
they cost about half of a light page's time (issue 13: the profile page took 6.9 ms with
them, 3.5 ms without): a node per tag, a `{% url %}` per link and a loop over the person's
memberships twice. Here each link's address is reversed once per process and the HTML is
joined from `format_html` pieces, which escape what they insert just as the templates did.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from programmes.models import Role
from programmes.selectors.rows import csrf_field

if TYPE_CHECKING:
    from programmes.access import ProgrammeAccess

register = template.Library()

ROLE_LINKS = {  # in the order the menu lists them (by role name, as it always has)
    Role.LEAD: ("Leading", "#leading"),
    Role.MENTEE: ("My journey", "#journey"),
    Role.MENTOR: ("My partners", "#mentoring"),
}
ACCOUNT_LINKS = [
    ("mentoring:profile", "Profile"),
    ("account_email", "Email addresses"),
    ("account_change_password", "Password"),
    ("mfa_index", "Two-factor authentication"),
    ("usersessions_list", "Where you are signed in"),
    ("mentoring:calendar", "Calendar"),
    ("mentoring:notification_settings", "Notifications"),
]
BELL_ICON = mark_safe(  # nosec B308 # a constant
    '<svg class="bell__icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" '
    'width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" '
    'stroke-linecap="round" stroke-linejoin="round"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 '
    '9h18s-3-2-3-9"/><path d="M13.73 21a2 2 0 0 1-3.46 0"/></svg>'
)


def url(name: str, *args: Any) -> str:
    """`reverse(name, args)`, kept for the life of the process: addresses only change
    with the URL configuration or the script prefix, and both are part of the key."""
    return _reversed(name, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=4096)
def _reversed(name: str, args: tuple[Any, ...], urlconf: str, prefix: str) -> str:
    return reverse(name, args=args or None)


def _forget(**kwargs: Any) -> None:
    _reversed.cache_clear()


setting_changed.connect(_forget)


CURRENT = mark_safe(' aria-current="page"')  # nosec B308 # a constant
NOT_CURRENT = mark_safe("")  # nosec B308 # a constant


def _current(yes: bool) -> SafeString:
    return CURRENT if yes else NOT_CURRENT


def _items(rows: Iterable[tuple[Any, ...]], pattern: str) -> SafeString:
    return format_html_join("", pattern, rows)


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """The header's menu: home, programmes, a link per role, the bell and the account."""
    request = context["request"]
    user = context["user"]
    current = context.get("nav_current", "")
    memberships = context["nav_memberships"]()
    home = url("mentoring:home")
    roles = sorted({m.role for m in memberships})
    role_links = _items(
        (
            (
                home,
                ROLE_LINKS[role][1],
                _current(role == Role.MENTEE and current == "mentee"),
                ROLE_LINKS[role][0],
            )
            for role in roles
            if role in ROLE_LINKS
        ),
        '<li class="role-link"><a href="{}{}"{}>{}</a></li>',
    )
    # The same links again in the account menu, shown only where the header hides them
    # (narrow screens, app.css), so a phone can still reach each role's part of the home.
    menu_roles = _items(
        ((home, ROLE_LINKS[role][1], ROLE_LINKS[role][0]) for role in roles if role in ROLE_LINKS),
        '<li><a href="{}{}">{}</a></li>',
    )
    if menu_roles:
        menu_roles = format_html(
            '<ul class="user-menu__links user-menu__sections">{}</ul>', menu_roles
        )
    links = format_html(
        '<ul class="main-nav__links"><li><a href="{}"{}>Home</a></li>'
        '<li><a href="{}"{}>Programmes</a></li>{}</ul>',
        home,
        _current(current == "home"),
        url("programmes:list"),
        _current(current == "programmes"),
        role_links,
    )
    account = _items(
        ((url(name), label) for name, label in ACCOUNT_LINKS), '<li><a href="{}">{}</a></li>'
    )
    if user.is_staff:
        account += format_html('<li><a href="{}">Site administration</a></li>', url("admin:index"))
    held = ""
    if memberships:
        held = format_html(
            '<ul class="user-menu__roles" aria-label="Your roles">{}</ul>',
            _items(
                ((m.role, m.role_label, m.programme.name) for m in memberships),
                '<li><span class="badge badge--{}">{}</span> {}</li>',
            ),
        )
    return format_html(
        '<nav class="main-nav" aria-label="Main">{}{}'
        '<details class="user-menu"><summary>'
        '<span class="avatar" aria-hidden="true">{}</span>'
        '<span class="visually-hidden">Account menu: </span>'
        '<span class="user-menu__name">{}</span></summary>'
        '<div class="user-menu__panel"><p class="user-menu__email">{}</p>{}{}'
        '<ul class="user-menu__links">{}</ul>'
        '<form method="post" action="{}">{}'
        '<button type="submit" class="button button--ghost button--block">Sign out</button>'
        "</form></div></details></nav>",
        links,
        _bell(request, context["nav_unread"]()),
        user.initials,
        user.display_name,
        user.email,
        held,
        menu_roles,
        account,
        url("account_logout"),
        csrf_field(request),
    )


def _bell(request: Any, unread: int) -> SafeString:
    """The way into the notification centre, with the unread count."""
    href = url("mentoring:notifications")
    count = "99+" if unread > 99 else str(unread)
    return format_html(
        '<a class="bell{}" href="{}"{}>{}'
        '<span class="visually-hidden">Notifications{}</span>{}</a>',
        " bell--unread" if unread else "",
        href,
        _current(request.path == href),
        BELL_ICON,
        f", {unread} unread" if unread else "",
        format_html('<span class="bell__count" aria-hidden="true">{}</span>', count)
        if unread
        else "",
    )


@register.simple_tag
def programme_tabs(access: ProgrammeAccess, tab: str) -> SafeString:
    """The tabs of a programme's pages that the person's roles there can use."""
    programme = access.programme
    slug = programme.slug
    lead, mentor, mentee = access.is_lead, access.is_mentor, access.is_mentee
    shown: list[tuple[str, str, str]] = []  # (url name, tab, label)

    def add(name: str, key: str, label: str, when: bool = True) -> None:
        if when:
            shown.append((name, key, label))

    add("programmes:my_journey", "journey", "My journey", mentee)
    add("programmes:detail", "overview", "Overview" if lead else "Partners", lead or mentor)
    add("mentoring:dashboard", "dashboard", "Dashboard", lead)
    add("programmes:people", "people", "People", lead)
    add("mentoring:pairings", "pairings", "Pairings", lead)
    add("programmes:phases", "phases", "Phases", lead)
    add("mentoring:mine", "mentoring", "Mentoring", mentee)
    add("mentoring:sessions", "sessions", "Sessions", mentee or mentor)
    add("mentoring:mentor_profile", "offer", "My offer", mentor)
    add("playbooks:playbook", "playbook", "Playbook" if mentee else "Playbooks")
    add("playbooks:checklist", "checklist", "Activities", mentee or mentor)
    mentee_membership = access.membership(Role.MENTEE)
    add(
        "playbooks:integration",
        "integration",
        "Integration",
        mentee_membership is not None
        and (
            tab == "integration"
            or mentee_membership.operationalised_at is not None
            or (
                mentee_membership.current_phase is not None
                and mentee_membership.current_phase.exit_criterion == "signoff"
            )
        ),
    )
    add("programmes:workshops", "workshops", "Workshops")
    add("programmes:assessment", "assessment", "Self-assessment", mentee)
    add("programmes:assessment_questions", "questions", "Assessment", lead)
    add("playbooks:template", "playbook_template", "Playbook template", lead)
    add("playbooks:activities", "activities", "Activities", lead)
    add("playbooks:strategy", "strategy", "Business strategy", lead)
    add("mentoring:guidelines", "guidelines", "Guidelines", lead)
    add("mentoring:session_figures", "session_figures", "Session figures", lead)
    add("mentoring:nudges", "nudges", "Nudges", lead)
    add("programmes:audit", "audit", "Audit trail", lead)
    add("programmes:edit", "settings", "Settings", lead)
    return format_html(
        '<nav class="tabs" aria-label="{}"><ul>{}</ul></nav>',
        programme.name,
        _items(
            ((url(name, slug), _current(key == tab), label) for name, key, label in shown),
            '<li><a href="{}"{}>{}</a></li>',
        ),
    )
