"""Destinations in Django's admin site: read-only. Rules are history and every change
is audited, so they are changed only on the rules pages (/destinations/manage/),
through services/rules.py; the admin site lists them for inspection."""

from django.contrib import admin

from garda.destinations.models import (
    Destination,
    DestinationScheme,
    Requirement,
    RequirementSet,
    Scheme,
    SectorRule,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DestinationSchemeInline(admin.TabularInline):
    model = DestinationScheme
    extra = 0
    fields = ["scheme", "sectors", "language_tests", "notes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Destination)
class DestinationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "name_en", "region", "min_age", "is_published", "version"]
    list_filter = ["region", "is_published"]
    search_fields = ["code", "name", "name_en"]
    inlines = [DestinationSchemeInline]


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "fee_free", "is_active"]
    list_filter = ["kind", "fee_free", "is_active"]


@admin.register(SectorRule)
class SectorRuleAdmin(ReadOnlyAdmin):
    list_display = [
        "destination",
        "sector",
        "occupation",
        "status",
        "effective_from",
        "effective_to",
        "legal_basis",
    ]
    list_filter = ["status", "sector", "destination"]
    list_select_related = ["destination"]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["order", "document_type", "min_level", "validity_months", "min_remaining_months"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RequirementSet)
class RequirementSetAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "is_current", "destination", "scheme", "sector"]
    list_filter = ["is_current", "scheme", "destination"]
    list_select_related = ["destination", "scheme"]
    search_fields = ["code", "name", "name_en"]
    inlines = [RequirementInline]
