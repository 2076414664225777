"""A lead removes someone from their programme; the person's history stays in its figures."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from mentoring.selectors.membership import leaving
from mentoring.services.membership import remove_from_programme
from programmes.access import AuthedRequest, programme_access
from programmes.errors import reported
from programmes.models import Membership


@require_http_methods(["GET", "POST"])
def member_remove(request: AuthedRequest, slug: str, member: int) -> HttpResponse:
    access = programme_access(request, slug)
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("user", "current_phase"),
        pk=member,
        programme=access.programme,
    )
    access.require_lead()
    membership.programme = access.programme
    if request.method == "POST":
        name = membership.user.display_name
        done = f"{name} is no longer in the programme. What they did there still counts."
        with reported(request, success=done) as outcome:
            remove_from_programme(membership=membership, by=request.user)
        if outcome.ok:
            return redirect("programmes:people", slug=slug)
        return redirect("mentoring:member_remove", slug=slug, member=member)
    context = {"access": access, "tab": "people", "leaving": leaving(membership)}
    return render(request, "mentoring/membership_remove.html", context)
