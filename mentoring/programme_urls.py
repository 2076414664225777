from django.urls import path

from .views import engagement, pairings

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
