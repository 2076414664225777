from django.urls import path

from playbooks.views import activities, integration

urlpatterns = [
    path("checklist/", activities.checklist, name="checklist"),
    path("checklist/<int:member>/", activities.member_checklist, name="member_checklist"),
    path(
        "checklist/<int:member>/log/<int:activity>/",
        activities.log_completion,
        name="log_completion",
    ),
    path("checklist/<int:member>/target/", activities.personal_target, name="personal_target"),
    path("checklist/done/<int:pk>/undo/", activities.undo_completion, name="undo_completion"),
    path("activities/", activities.activities, name="activities"),
    path("activities/add/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/remove/", activities.activity_remove, name="activity_remove"),
    path("activities/<int:pk>/move/", activities.activity_move, name="activity_move"),
    path("strategy/", integration.strategy, name="strategy"),
    path("strategy/edit/", integration.strategy_edit, name="strategy_edit"),
    path("strategy/pillars/add/", integration.pillar_create, name="pillar_create"),
    path("strategy/pillars/<int:pk>/", integration.pillar_edit, name="pillar_edit"),
    path("strategy/pillars/<int:pk>/remove/", integration.pillar_remove, name="pillar_remove"),
    path("strategy/pillars/<int:pk>/move/", integration.pillar_move, name="pillar_move"),
    path("strategy/sign-off/<int:member>/", integration.sign_off, name="sign_off"),
    path("integration/", integration.integration, name="integration"),
    path("integration/<int:member>/", integration.member_integration, name="member_integration"),
    path("integration/map/", integration.map_theme, name="map_theme"),
    path("integration/themes/<int:pk>/remove/", integration.unmap_theme, name="unmap_theme"),
]
