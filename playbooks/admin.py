"""Admin for support staff: find a playbook or section, see its history. Editing text here
would bypass versions, so sections and revisions are read-only."""

from typing import cast

from django.contrib import admin

from playbooks.models import (
    Playbook,
    Section,
    SectionComment,
    SectionRevision,
    TemplateSection,
)


@admin.register(TemplateSection)
class TemplateSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "position", "archived_at"]
    list_filter = ["programme"]
    search_fields = ["title", "programme__name"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["template_section", "status", "version", "updated_at"]
    readonly_fields = cast(list[str], fields)  # names only, no fieldset groups
    extra = 0
    can_delete = False


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["membership", "created_at"]
    search_fields = ["membership__user__email", "membership__programme__name"]
    raw_id_fields = ["membership"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["template_section", "playbook", "status", "version", "updated_at"]
    list_filter = ["status"]
    search_fields = ["playbook__membership__user__email", "template_section__title"]
    readonly_fields = [
        "playbook",
        "template_section",
        "body",
        "version",
        "status",
        "updated_at",
        "status_changed_at",
        "status_changed_by",
    ]


@admin.register(SectionRevision)
class SectionRevisionAdmin(admin.ModelAdmin):
    list_display = ["section", "version", "by", "saved_at"]
    readonly_fields = ["section", "version", "body", "by", "started_at", "saved_at", "note"]


@admin.register(SectionComment)
class SectionCommentAdmin(admin.ModelAdmin):
    list_display = ["section", "author", "kind", "created_at"]
    raw_id_fields = ["section", "parent", "author"]
