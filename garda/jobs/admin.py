"""The jobs app in Django's admin site: read-only. The licence register, the
problematic list and job orders change only on their own audited pages
(/jobs/register/, /jobs/listings/, /jobs/orders/), through the services; the admin
site lists them for inspection."""

from django.contrib import admin

from garda.jobs.models import Employer, ForeignPartner, JobOrder, PlacementAgency, ProblemListing


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlacementAgency)
class PlacementAgencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "licence_number", "status", "licence_valid_until"]
    list_filter = ["status"]
    search_fields = ["name", "licence_number"]


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]


@admin.register(ForeignPartner)
class ForeignPartnerAdmin(ReadOnlyAdmin):
    list_display = ["name", "country", "licence_number"]
    search_fields = ["name"]


@admin.register(ProblemListing)
class ProblemListingAdmin(ReadOnlyAdmin):
    list_display = ["employer", "partner", "country", "listed_on", "delisted_on"]
    list_select_related = ["employer", "partner"]


@admin.register(JobOrder)
class JobOrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "status", "destination", "occupation_code", "agency"]
    list_filter = ["status", "destination"]
    list_select_related = ["agency"]
    search_fields = ["reference", "number"]
