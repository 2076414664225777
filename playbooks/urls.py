from django.urls import path

from playbooks.views import activity, integration, playbook

app_name = "playbooks"

urlpatterns = [
    # Each mentee's playbook and its sections
    path("<slug:slug>/playbook/", playbook.playbook, name="playbook"),
    path("<slug:slug>/playbook/<int:member>/", playbook.member_playbook, name="member_playbook"),
    path(
        "<slug:slug>/playbook/<int:member>/print/",
        playbook.playbook_print,
        name="playbook_print",
    ),
    path(
        "<slug:slug>/playbook/<int:member>/download/",
        playbook.playbook_download,
        name="playbook_download",
    ),
    path("<slug:slug>/playbook/sections/<int:section>/", playbook.section, name="section"),
    path(
        "<slug:slug>/playbook/sections/<int:section>/autosave/",
        playbook.section_autosave,
        name="section_autosave",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/revisions/",
        playbook.section_revisions,
        name="section_revisions",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/revisions/<int:revision>/",
        playbook.section_revision,
        name="section_revision",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/revisions/<int:revision>/restore/",
        playbook.section_restore,
        name="section_restore",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/submit/",
        playbook.section_submit,
        name="section_submit",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/reopen/",
        playbook.section_reopen,
        name="section_reopen",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/complete/",
        playbook.section_complete,
        name="section_complete",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/send-back/",
        playbook.section_send_back,
        name="section_send_back",
    ),
    path(
        "<slug:slug>/playbook/sections/<int:section>/comments/",
        playbook.section_comment,
        name="section_comment",
    ),
    # The lead's playbook template
    path("<slug:slug>/playbook-template/", playbook.template, name="template"),
    path("<slug:slug>/playbook-template/add/", playbook.template_add, name="template_add"),
    path("<slug:slug>/playbook-template/<int:item>/", playbook.template_edit, name="template_edit"),
    path(
        "<slug:slug>/playbook-template/<int:item>/move/",
        playbook.template_move,
        name="template_move",
    ),
    path(
        "<slug:slug>/playbook-template/<int:item>/remove/",
        playbook.template_remove,
        name="template_remove",
    ),
    # The activity checklist
    path("<slug:slug>/checklist/", activity.checklist, name="checklist"),
    path("<slug:slug>/checklist/<int:member>/", activity.member_checklist, name="member_checklist"),
    path(
        "<slug:slug>/checklist/<int:member>/log/<int:activity>/",
        activity.log_completion,
        name="log_completion",
    ),
    path(
        "<slug:slug>/checklist/<int:member>/target/",
        activity.personal_target,
        name="personal_target",
    ),
    path(
        "<slug:slug>/checklist/done/<int:pk>/undo/",
        activity.undo_completion,
        name="undo_completion",
    ),
    path("<slug:slug>/activities/", activity.activities, name="activities"),
    path("<slug:slug>/activities/add/", activity.activity_create, name="activity_create"),
    path("<slug:slug>/activities/<int:pk>/", activity.activity_edit, name="activity_edit"),
    path(
        "<slug:slug>/activities/<int:pk>/remove/",
        activity.activity_remove,
        name="activity_remove",
    ),
    path("<slug:slug>/activities/<int:pk>/move/", activity.activity_move, name="activity_move"),
    # Integration: the business strategy, theme mapping and sign-off
    path("<slug:slug>/strategy/", integration.strategy, name="strategy"),
    path("<slug:slug>/strategy/edit/", integration.strategy_edit, name="strategy_edit"),
    path("<slug:slug>/strategy/pillars/add/", integration.pillar_create, name="pillar_create"),
    path("<slug:slug>/strategy/pillars/<int:pk>/", integration.pillar_edit, name="pillar_edit"),
    path(
        "<slug:slug>/strategy/pillars/<int:pk>/remove/",
        integration.pillar_remove,
        name="pillar_remove",
    ),
    path(
        "<slug:slug>/strategy/pillars/<int:pk>/move/",
        integration.pillar_move,
        name="pillar_move",
    ),
    path("<slug:slug>/strategy/sign-off/<int:member>/", integration.sign_off, name="sign_off"),
    path("<slug:slug>/integration/", integration.integration, name="integration"),
    path(
        "<slug:slug>/integration/<int:member>/",
        integration.member_integration,
        name="member_integration",
    ),
    path("<slug:slug>/integration/map/", integration.map_theme, name="map_theme"),
    path(
        "<slug:slug>/integration/themes/<int:pk>/remove/",
        integration.unmap_theme,
        name="unmap_theme",
    ),
]
