"""A lead's people page: who is in the programme and each mentee's pace (filtered on the
pace sweep's stored verdict, in SQL), and inviting more, one by one or by CSV."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from programmes.access import AuthedRequest, programme_access
from programmes.forms.invitation import InvitationImportForm, InviteForm
from programmes.models import Invitation
from programmes.selectors.people import people_counts, people_page

PAGE_SIZE = 50


def _people_context(request: AuthedRequest, access, **forms) -> dict:
    # Only a lead gets here (the callers check): they see everyone in the programme.
    total, filters = people_counts(access.programme)
    pace = next((f for f in filters if f.key == request.GET.get("pace")), None)
    invitations = Invitation.objects.visible_to(request.user).filter(
        programme=access.programme, accepted_at__isnull=True
    )
    return {
        "access": access,
        "tab": "people",
        "members": people_page(
            access.programme,
            viewer_id=request.user.pk,
            pace=pace,
            count=total if pace is None else pace.count,
            number=request.GET.get("page"),
            size=PAGE_SIZE,
        ),
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
    access.require_lead_to_see()
    return render(request, "programmes/membership_list.html", _people_context(request, access))


def _invitation(request: AuthedRequest, access, pk: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.visible_to(request.user), pk=pk, programme=access.programme
    )
