"""Page routes of the reports app, one block per part (views/)."""

from django.urls import path

from garda.reports.views import dashboards, public

app_name = "reports"

urlpatterns: list = [
    # public statistics (before the dashboards' catch-all: "public" is not a dashboard)
    path("public/", public.public_stats, name="public"),
    # dashboards: the staff's figures from snapshots, their exports
    path("", dashboards.index, name="index"),
    path(
        "national/registrations.csv",
        dashboards.national_registrations,
        name="national_registrations",
    ),
    path("<slug:name>/", dashboards.dashboard, name="dashboard"),
    path("<slug:name>/export.csv", dashboards.export_csv, name="export_csv"),
    path("<slug:name>/export.xlsx", dashboards.export_xlsx, name="export_xlsx"),
]
