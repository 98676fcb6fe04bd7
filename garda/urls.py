from django.contrib import admin
from django.urls import include, path

from garda import views
from garda.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bantuan/", views.help_page, name="help"),
    path("accounts/", include("garda.accounts.urls")),
    path("places/", include("garda.places.urls")),
    path("people/", include("garda.people.urls")),
    path("audit/", include("garda.audit.urls")),
    path("documents/", include("garda.documents.urls")),
    path("destinations/", include("garda.destinations.urls")),
    path("accompaniment/", include("garda.accompaniment.urls")),
    path("training/", include("garda.training.urls")),
    path("jobs/", include("garda.jobs.urls")),
    path("cases/", include("garda.cases.urls")),
    path("privacy/", include("garda.privacy.urls")),
    path("compliance/", include("garda.compliance.urls")),
    path("family/", include("garda.family.urls")),
    path("interceptions/", include("garda.interceptions.urls")),
    path("referrals/", include("garda.referrals.urls")),
    path("abroad/", include("garda.abroad.urls")),
    path("reintegration/", include("garda.reintegration.urls")),
    path("outreach/", include("garda.outreach.urls")),
    path("figures/", include("garda.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "garda.errors.not_found"
handler403 = "garda.errors.forbidden"
handler500 = "garda.errors.server_error"
handler400 = "garda.errors.bad_request"
