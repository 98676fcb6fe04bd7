"""The privacy app in Django's admin site: read-only. Requests are decided and sharing
is recorded only through the services (audited); the admin lists them for inspection.
Encrypted values are not listed."""

from django.contrib import admin

from garda.privacy.models import CorrectionRequest, SharingRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "field", "status", "created_at", "decided_at"]
    list_filter = ["status", "field"]
    exclude = ["requested_value", "previous_value"]


@admin.register(SharingRecord)
class SharingRecordAdmin(ReadOnlyAdmin):
    list_display = ["id", "person", "agency", "purpose", "shared_at", "ended_at"]
    list_filter = ["ended_at"]
