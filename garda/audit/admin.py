"""The audit log in the admin screen: read-only for everyone, superusers included;
rows are filtered by the same access rule as every other reader."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from garda.audit.access import visible_audit_events
from garda.audit.models import AuditEvent


class RoleFilter(admin.SimpleListFilter):
    # Fixed choices: the default filter would scan the whole table for distinct values.
    title = "actor role"
    parameter_name = "actor_role"

    def lookups(self, request, model_admin):
        # The audit app sits below accounts: it knows the user model only as
        # settings.AUTH_USER_MODEL.
        return get_user_model().ROLE_CHOICES

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(actor_role=self.value())
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "action", "actor", "object_type", "object_id")
    list_filter = ("action", RoleFilter, "created_at")
    list_select_related = ("actor",)
    search_fields = ("=object_id", "=request_id")
    show_full_result_count = False  # a COUNT(*) over the whole log on every page
    actions = None

    def get_queryset(self, request):
        return visible_audit_events(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
