from django.urls import path

from programmes.views import (
    assessment,
    audit,
    invitation,
    membership,
    phase,
    programme,
    progress,
    workshop,
)

app_name = "programmes"

urlpatterns = [
    path("", programme.programme_list, name="list"),
    path("new/", programme.programme_create, name="create"),
    path("invitations/<str:token>/", invitation.invitation_accept, name="invitation"),
    path("<slug:slug>/", programme.programme_detail, name="detail"),
    path("<slug:slug>/settings/", programme.programme_edit, name="edit"),
    path("<slug:slug>/duplicate/", programme.programme_duplicate, name="duplicate"),
    path("<slug:slug>/audit/", audit.audit_trail, name="audit"),
    # Phases
    path("<slug:slug>/phases/", phase.phase_list, name="phases"),
    path("<slug:slug>/phases/new/", phase.phase_edit, name="phase_add"),
    path("<slug:slug>/phases/<int:pk>/", phase.phase_edit, name="phase_edit"),
    path("<slug:slug>/phases/<int:pk>/move/", phase.phase_move, name="phase_move"),
    path("<slug:slug>/phases/<int:pk>/remove/", phase.phase_remove, name="phase_remove"),
    # People and invitations
    path("<slug:slug>/people/", membership.people, name="people"),
    path("<slug:slug>/people/invite/", invitation.person_invite, name="invite"),
    path("<slug:slug>/people/import/", invitation.people_import, name="import"),
    path(
        "<slug:slug>/invitations/<int:pk>/resend/",
        invitation.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/invitations/<int:pk>/revoke/",
        invitation.invitation_revoke,
        name="invitation_revoke",
    ),
    # Each mentee's progress through the phases
    path("<slug:slug>/journey/", progress.my_journey, name="my_journey"),
    path("<slug:slug>/people/<int:member>/", progress.member_journey, name="member_journey"),
    path(
        "<slug:slug>/people/<int:member>/advance/", progress.member_advance, name="member_advance"
    ),
    path(
        "<slug:slug>/people/<int:member>/move-back/",
        progress.member_move_back,
        name="member_move_back",
    ),
    path("<slug:slug>/people/<int:member>/pause/", progress.member_pause, name="member_pause"),
    path("<slug:slug>/people/<int:member>/resume/", progress.member_resume, name="member_resume"),
    # Workshops
    path("<slug:slug>/workshops/", workshop.workshops, name="workshops"),
    path("<slug:slug>/workshops/new/", workshop.workshop_create, name="workshop_create"),
    path("<slug:slug>/workshops/<int:pk>/", workshop.workshop_detail, name="workshop_detail"),
    path("<slug:slug>/workshops/<int:pk>/edit/", workshop.workshop_edit, name="workshop_edit"),
    path(
        "<slug:slug>/workshops/<int:pk>/cancel/", workshop.workshop_delete, name="workshop_delete"
    ),
    path("<slug:slug>/workshops/<int:pk>/book/", workshop.workshop_book, name="workshop_book"),
    path(
        "<slug:slug>/workshops/<int:pk>/unbook/", workshop.workshop_unbook, name="workshop_unbook"
    ),
    path(
        "<slug:slug>/workshops/<int:pk>/attendance/",
        workshop.workshop_attendance,
        name="workshop_attendance",
    ),
    path("<slug:slug>/workshops/<int:pk>/calendar.ics", workshop.workshop_ics, name="workshop_ics"),
    # The baseline and follow-up assessment
    path("<slug:slug>/assessment/", assessment.assessment, name="assessment"),
    path(
        "<slug:slug>/assessment/questions/",
        assessment.assessment_questions,
        name="assessment_questions",
    ),
    path(
        "<slug:slug>/assessment/questions/add/",
        assessment.assessment_question_add,
        name="assessment_question_add",
    ),
    path(
        "<slug:slug>/assessment/questions/<int:question>/",
        assessment.assessment_question_edit,
        name="assessment_question_edit",
    ),
    path(
        "<slug:slug>/assessment/questions/<int:question>/move/",
        assessment.assessment_question_move,
        name="assessment_question_move",
    ),
    path(
        "<slug:slug>/assessment/questions/<int:question>/remove/",
        assessment.assessment_question_remove,
        name="assessment_question_remove",
    ),
    path(
        "<slug:slug>/assessment/follow-up-point/",
        assessment.assessment_follow_up_point,
        name="assessment_follow_up_point",
    ),
    path(
        "<slug:slug>/assessment/<slug:round>/", assessment.assessment_round, name="assessment_round"
    ),
    path(
        "<slug:slug>/assessment/<slug:round>/autosave/",
        assessment.assessment_autosave,
        name="assessment_autosave",
    ),
    path(
        "<slug:slug>/people/<int:member>/assessment/",
        assessment.member_assessment,
        name="member_assessment",
    ),
]
