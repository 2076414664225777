"""A lead's people page: who is in the programme and each mentee's pace (filtered on the
pace sweep's stored verdict, in SQL), and inviting more, one by one or by CSV."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from programmes.access import AuthedRequest, programme_access
from programmes.forms.invitation import InvitationImportForm, InviteForm
from programmes.models import Invitation, Membership, Role
from programmes.selectors.programme import pace_counts

PAGE_SIZE = 50


def _people_context(request: AuthedRequest, access, **forms) -> dict:
    active_pairings = Prefetch(
        "mentee_pairings",
        queryset=access.programme.pairings.filter(ended_at__isnull=True).select_related(
            "mentor__user"
        ),
        to_attr="active_pairings",
    )
    members = (
        Membership.objects.visible_to(request.user)
        .filter(programme=access.programme, is_active=True)
        .select_related("user", "current_phase", "programme")
        .prefetch_related(active_pairings)
        .order_by("role", "user__name", "user__email")
    )
    filters = pace_counts(access.programme)
    pace = next((f for f in filters if f.key == request.GET.get("pace")), None)
    if pace is not None:
        # The most behind first, as the lead's weekly digest lists them.
        members = members.filter(role=Role.MENTEE, pace_status__in=pace.statuses).order_by(
            "-pace_behind", "user__name", "pk"
        )
    invitations = Invitation.objects.visible_to(request.user).filter(
        programme=access.programme, accepted_at__isnull=True
    )
    return {
        "access": access,
        "tab": "people",
        "members": Paginator(members, PAGE_SIZE).get_page(request.GET.get("page")),
        "pace_filters": filters,
        "pace": pace,
        "invitations": Paginator(
            invitations.select_related("invited_by").order_by("-created_at", "-pk"), PAGE_SIZE
        ).get_page(request.GET.get("invitations")),
        "invite_form": forms.get("invite_form")
        or InviteForm(mentee_label=access.programme.mentee_label),
        "import_form": forms.get("import_form") or InvitationImportForm(),
        "import_report": forms.get("import_report"),
    }


@require_GET
def people(request: AuthedRequest, slug: str) -> HttpResponse:
    access = programme_access(request, slug)
    access.require_lead()
    return render(request, "programmes/membership_list.html", _people_context(request, access))


def _invitation(request: AuthedRequest, access, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.visible_to(request.user), pk=pk, programme=access.programme
    )
