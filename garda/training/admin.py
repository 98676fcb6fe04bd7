"""The training catalogue in the admin screen: providers, SKKNI competency units and
courses (with their units and prerequisite documents), maintained by administrators as
reference data. Every save writes one audit row.

Batches, enrolments, attendance, assessments and certificates are not in the admin:
they change only through the services (seat counts under a row lock, waiting-list
promotion, certificate numbers and revocation), on the permission-checked, audited
pages and API, as uploaded documents are (garda/documents/admin.py)."""

from django.contrib import admin

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.training.models import (
    CompetencyUnit,
    Course,
    CoursePrerequisiteDocument,
    CourseUnit,
    Provider,
)


def _audit(request, obj, changed_fields, change: bool) -> None:
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
        target=obj,
        changed_fields=sorted(changed_fields),
        reason="admin",
    )


class AuditedAdmin(admin.ModelAdmin):
    """Saves write an audit row; nothing is deleted (rows are referred to by batches,
    certificates and history: deactivate instead)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _audit(request, obj, form.changed_data, change)


@admin.register(Provider)
class ProviderAdmin(AuditedAdmin):
    list_display = ["agency", "kind", "region", "accreditation", "accredited_until", "is_active"]
    list_filter = ["kind", "accreditation", "is_active"]
    search_fields = ["agency__name", "agency__short_name", "license_number"]
    list_select_related = ["agency", "region"]
    raw_id_fields = ["region"]

    def get_readonly_fields(self, request, obj=None):
        # Its trainers are the agency's users: a provider does not change agency.
        return ["agency"] if obj is not None else []


@admin.register(CompetencyUnit)
class CompetencyUnitAdmin(AuditedAdmin):
    list_display = ["code", "title", "title_en", "standard"]
    search_fields = ["code", "title", "title_en", "standard"]
    list_filter = ["standard"]


class _CourseChildInline(admin.TabularInline):
    """Rows edited as part of their course: the course's permissions apply."""

    extra = 0

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("training.view_course")

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("training.change_course") or (
            obj is None and request.user.has_perm("training.add_course")
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_add_permission(request, obj)


class CourseUnitInline(_CourseChildInline):
    model = CourseUnit
    fields = ["order", "unit"]
    raw_id_fields = ["unit"]


class CoursePrerequisiteDocumentInline(_CourseChildInline):
    model = CoursePrerequisiteDocument
    fields = ["document_type", "min_level"]


@admin.register(Course)
class CourseAdmin(AuditedAdmin):
    list_display = ["code", "title", "sector", "kkni_level", "hours", "language", "is_active"]
    list_filter = ["sector", "language", "kkni_level", "is_active"]
    search_fields = ["code", "title", "title_en"]
    filter_horizontal = ["prerequisite_courses", "destinations", "prepares_for"]
    inlines = [CourseUnitInline, CoursePrerequisiteDocumentInline]

    def get_readonly_fields(self, request, obj=None):
        # The seed migration and the recommendations find a course by its code.
        return ["code"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        # The audit row is written once the units and prerequisites are saved too.
        admin.ModelAdmin.save_model(self, request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        changed = set(form.changed_data)
        for formset in formsets:
            if formset.has_changed():
                changed.add(formset.prefix)
        _audit(request, form.instance, changed, change)
