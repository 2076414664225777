from django.urls import include, path

app_name = "programmes"

urlpatterns = [
    path("<slug:slug>/", include("programmes.urls_workshops")),
    path("<slug:slug>/", include("programmes.urls_assessments")),
]
