"""Access checks shared by the programme pages.

Reads go through each model's `visible_to(user)`: what a person may not see does not exist
for them (404). A member who may see something but not change it gets a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

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
        if not self.is_lead:
            raise PermissionDenied("Only a lead of this programme can do that.")


def programme_access(request: AuthedRequest, slug: str) -> ProgrammeAccess:
    """The programme at `slug` and the signed-in person's roles in it, or a 404."""
    programme = get_object_or_404(Programme.objects.visible_to(request.user), slug=slug)
    memberships = list(
        Membership.objects.active()
        .filter(programme=programme, user=request.user)
        .select_related("current_phase")
    )
    for membership in memberships:
        membership.programme = programme
    return ProgrammeAccess(programme, memberships)
