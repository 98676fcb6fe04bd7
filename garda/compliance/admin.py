"""The compliance app in Django's admin site: read-only. Holds and incidents change
only on their own audited pages (/compliance/holds/, /compliance/incidents/)."""

from django.contrib import admin

from garda.compliance.models import Incident, LegalHold


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["id", "person_id", "case_id", "placed_at", "ends_on", "lifted_at"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "kind", "discovered_at", "authority_informed_at"]
