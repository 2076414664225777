from django.urls import path

from .views import calendar, engagement, pairings, sessions

app_name = "mentoring"

urlpatterns = [
    path("<slug:slug>/pairings/", pairings.pairing_list, name="pairings"),
    path("<slug:slug>/pairings/<int:member>/", pairings.pairing_edit, name="pairing_edit"),
    path("<slug:slug>/pairings/<int:pk>/end/", pairings.pairing_end, name="pairing_end"),
    path("<slug:slug>/mentoring/", engagement.my_mentoring, name="mine"),
    path(
        "<slug:slug>/mentoring/ask-for-another-mentor/",
        engagement.change_request,
        name="change_request",
    ),
    path("<slug:slug>/mentoring/partners/<int:member>/", engagement.partner, name="partner"),
    path(
        "<slug:slug>/mentoring/cadence/<int:pk>/propose/",
        engagement.cadence_propose,
        name="cadence_propose",
    ),
    path(
        "<slug:slug>/mentoring/cadence/<int:pk>/answer/",
        engagement.cadence_answer,
        name="cadence_answer",
    ),
    path("<slug:slug>/mentoring/my-offer/", engagement.mentor_profile, name="mentor_profile"),
]

urlpatterns += [
    path("<slug:slug>/sessions/", sessions.session_list, name="sessions"),
    path("<slug:slug>/sessions/new/<int:member>/", sessions.session_start, name="session_start"),
    path("<slug:slug>/sessions/<int:pk>/", sessions.session_detail, name="session"),
    path("<slug:slug>/sessions/<int:pk>/calendar.ics", calendar.session_ics, name="session_ics"),
    path("<slug:slug>/sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path(
        "<slug:slug>/sessions/<int:pk>/autosave/",
        sessions.session_autosave,
        name="session_autosave",
    ),
    path(
        "<slug:slug>/sessions/<int:pk>/discard/", sessions.session_discard, name="session_discard"
    ),
    path(
        "<slug:slug>/sessions/<int:pk>/reflect/", sessions.session_reflect, name="session_reflect"
    ),
    path("<slug:slug>/sessions/actions/<int:pk>/", sessions.action_done, name="action_done"),
    path("<slug:slug>/sessions/figures/", sessions.session_figures_page, name="session_figures"),
    path(
        "<slug:slug>/sessions/figures.csv",
        sessions.session_figures_csv,
        name="session_figures_csv",
    ),
    path("<slug:slug>/guidelines/", sessions.guideline_list, name="guidelines"),
    path("<slug:slug>/guidelines/<int:pk>/", sessions.guideline_edit, name="guideline_edit"),
    path(
        "<slug:slug>/guidelines/<int:pk>/remove/",
        sessions.guideline_remove,
        name="guideline_remove",
    ),
]
