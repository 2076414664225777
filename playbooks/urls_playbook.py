"""Playbook pages, inside one programme (`slug`); see playbooks/views/playbooks.py."""

from django.urls import path

from playbooks.views import playbooks as views

urlpatterns = [
    path("playbook/", views.playbook, name="playbook"),
    path("playbook/<int:member>/", views.member_playbook, name="member_playbook"),
    path("playbook/<int:member>/print/", views.playbook_print, name="playbook_print"),
    path("playbook/<int:member>/download/", views.playbook_download, name="playbook_download"),
    path("playbook/sections/<int:section>/", views.section, name="section"),
    path(
        "playbook/sections/<int:section>/autosave/",
        views.section_autosave,
        name="section_autosave",
    ),
    path(
        "playbook/sections/<int:section>/revisions/",
        views.section_revisions,
        name="section_revisions",
    ),
    path(
        "playbook/sections/<int:section>/revisions/<int:revision>/",
        views.section_revision,
        name="section_revision",
    ),
    path(
        "playbook/sections/<int:section>/revisions/<int:revision>/restore/",
        views.section_restore,
        name="section_restore",
    ),
    path("playbook/sections/<int:section>/submit/", views.section_submit, name="section_submit"),
    path("playbook/sections/<int:section>/reopen/", views.section_reopen, name="section_reopen"),
    path(
        "playbook/sections/<int:section>/complete/",
        views.section_complete,
        name="section_complete",
    ),
    path(
        "playbook/sections/<int:section>/send-back/",
        views.section_send_back,
        name="section_send_back",
    ),
    path(
        "playbook/sections/<int:section>/comments/",
        views.section_comment,
        name="section_comment",
    ),
    path("playbook-template/", views.template, name="template"),
    path("playbook-template/add/", views.template_add, name="template_add"),
    path("playbook-template/<int:item>/", views.template_edit, name="template_edit"),
    path("playbook-template/<int:item>/move/", views.template_move, name="template_move"),
    path("playbook-template/<int:item>/remove/", views.template_remove, name="template_remove"),
]
