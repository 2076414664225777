from django.contrib import admin

from programmes.models import AuditEntry, Membership, Phase, PhaseTransition, Programme


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "role", "current_phase", "is_active"]
    list_filter = ["programme", "role", "is_active"]
    list_select_related = ["user", "programme", "current_phase"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user"]


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(admin.ModelAdmin):
    list_display = ["membership", "from_phase", "to_phase", "by", "at"]
    list_select_related = ["membership__user", "from_phase", "to_phase", "by"]
    raw_id_fields = ["membership", "by"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The trail can be read here, never written or changed."""

    list_display = ["at", "programme", "actor_name", "action", "summary", "ip"]
    list_filter = ["action", "programme"]
    search_fields = ["summary", "actor_name"]
    date_hierarchy = "at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
