"""Reintegration programmes in the admin screen: reference data administrators
maintain (a programme is deactivated, never deleted: plans refer to it). Every save
writes one audit row. Plans, goals and follow-ups change only through the services."""

from django.contrib import admin

from garda.reintegration.models import Programme
from garda.training.admin import AuditedAdmin


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["name", "agency", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    list_select_related = ["agency"]
