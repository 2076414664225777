from django.urls import include, path

from programmes.views import invitations, journey, people, phases, programmes

app_name = "programmes"

urlpatterns = [
    path("", programmes.programme_list, name="list"),
    path("new/", programmes.programme_create, name="create"),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation"),
    path("<slug:slug>/", programmes.programme_detail, name="detail"),
    path("<slug:slug>/settings/", programmes.programme_edit, name="edit"),
    path("<slug:slug>/duplicate/", programmes.programme_duplicate, name="duplicate"),
    path("<slug:slug>/phases/", phases.phase_list, name="phases"),
    path("<slug:slug>/phases/new/", phases.phase_edit, name="phase_add"),
    path("<slug:slug>/phases/<int:pk>/", phases.phase_edit, name="phase_edit"),
    path("<slug:slug>/phases/<int:pk>/move/", phases.phase_move, name="phase_move"),
    path("<slug:slug>/phases/<int:pk>/remove/", phases.phase_remove, name="phase_remove"),
    path("<slug:slug>/people/", people.people, name="people"),
    path("<slug:slug>/people/invite/", people.person_invite, name="invite"),
    path("<slug:slug>/people/import/", people.people_import, name="import"),
    path(
        "<slug:slug>/invitations/<int:pk>/resend/",
        people.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        people.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/journey/", journey.my_journey, name="my_journey"),
    path("<slug:slug>/people/<int:member>/", journey.member_journey, name="member_journey"),
    path("<slug:slug>/people/<int:member>/advance/", journey.member_advance, name="member_advance"),
    path(
        "<slug:slug>/people/<int:member>/move-back/",
        journey.member_move_back,
        name="member_move_back",
    ),
    path("<slug:slug>/", include("programmes.urls_workshops")),
    path("<slug:slug>/", include("programmes.urls_assessments")),
]
