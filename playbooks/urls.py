from django.urls import include, path

app_name = "playbooks"

urlpatterns = [
    path("<slug:slug>/", include("playbooks.urls_playbook")),
    path("<slug:slug>/", include("playbooks.urls_activities")),
]
