"""Access checks shared by the programme pages.

Reads go through each model's `visible_to(user)`: what a person may not see does not exist
for them (404). A member who may see something but not change it gets a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from programmes.models import Membership, Programme, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
    from django_htmx.middleware import HtmxDetails


class AuthedRequest(HttpRequest):
    """What a view behind the login receives, for type checkers: a signed-in person
    (LoginRequiredMiddleware guards every page not marked public) and django-htmx's details."""

    user: User
    htmx: HtmxDetails


@dataclass
class ProgrammeAccess:
    programme: Programme
    memberships: list[Membership]

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    @property
    def is_lead(self) -> bool:
        return Role.LEAD in self.roles

    @property
    def is_mentor(self) -> bool:
        return Role.MENTOR in self.roles

    @property
    def is_mentee(self) -> bool:
        return Role.MENTEE in self.roles

    def membership(self, role: str) -> Membership | None:
        return next((m for m in self.memberships if m.role == role), None)

    def require_lead(self) -> None:
        """For setting the programme up: its members may see it, not change it (403)."""
        if not self.is_lead:
            raise PermissionDenied("Only a lead of this programme can do that.")

    def require_lead_to_see(self) -> None:
        """For pages about other people (the people list, who came to a workshop): for
        anyone but a lead they do not exist (404), as PRODUCT.md's table has it."""
        if not self.is_lead:
            raise Http404("Only a lead of this programme sees this page.")


def own_memberships(request: HttpRequest) -> list[Membership]:
    """The signed-in person's active memberships, with their programmes and phases, in
    programme order: one query per request, shared by the header's menu and
    `programme_access` (a person holds a handful)."""
    found: list[Membership] | None = getattr(request, "_own_memberships", None)
    if found is None:
        user = request.user
        found = (
            list(
                Membership.objects.active()
                .filter(user=user)
                .select_related("programme", "current_phase")
                .order_by("programme__name", "programme_id", "role")
            )
            if user.is_authenticated
            else []
        )
        request._own_memberships = found  # type: ignore[attr-defined]
    return found


def programme_access(request: AuthedRequest, slug: str) -> ProgrammeAccess:
    """The programme at `slug` and the signed-in person's roles in it, or a 404.

    A programme is visible to its members only (`Programme.visible_to`): the person's own
    active memberships say both whether it exists for them and what they may do there."""
    memberships = [m for m in own_memberships(request) if m.programme.slug == slug]
    if not memberships:
        raise Http404("No programme here for you.")
    programme = memberships[0].programme
    for membership in memberships:
        membership.programme = programme
    return ProgrammeAccess(programme, memberships)
