"""Assessment pages, inside one programme (`slug`); see programmes/views/assessments.py."""

from django.urls import path

from programmes.views import assessments as views

urlpatterns = [
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/questions/", views.assessment_questions, name="assessment_questions"),
    path(
        "assessment/questions/add/",
        views.assessment_question_add,
        name="assessment_question_add",
    ),
    path(
        "assessment/questions/<int:question>/",
        views.assessment_question_edit,
        name="assessment_question_edit",
    ),
    path(
        "assessment/questions/<int:question>/move/",
        views.assessment_question_move,
        name="assessment_question_move",
    ),
    path(
        "assessment/questions/<int:question>/remove/",
        views.assessment_question_remove,
        name="assessment_question_remove",
    ),
    path(
        "assessment/follow-up-point/",
        views.assessment_follow_up_point,
        name="assessment_follow_up_point",
    ),
    path("assessment/<slug:round>/", views.assessment_round, name="assessment_round"),
    path(
        "assessment/<slug:round>/autosave/",
        views.assessment_autosave,
        name="assessment_autosave",
    ),
    path(
        "people/<int:member>/assessment/",
        views.member_assessment,
        name="member_assessment",
    ),
]
