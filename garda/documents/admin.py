"""Document types in the admin screen, for administrators to maintain as data (who
issues a document, where to get it, validity rules). Every save writes an audit row.
Uploaded documents are not in the admin: they are read and changed only through the
permission-checked, audited pages and API."""

from django.contrib import admin

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.documents.models import DocumentType


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category", "issuer", "needs_verification", "is_active"]
    list_filter = ["category", "is_health", "is_active"]
    search_fields = ["code", "name", "name_en", "issuer"]
    ordering = ["order", "code"]

    def get_readonly_fields(self, request, obj=None):
        # Requirement sets and the readiness rules refer to a type by its code.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # documents refer to their type; deactivate it instead

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            target=obj,
            changed_fields=sorted(form.changed_data),
            reason="admin",
        )
