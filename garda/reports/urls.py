"""Page routes of the reports app, one block per part (views/)."""

from django.urls import path

from garda.reports.views import dashboards

app_name = "reports"

urlpatterns: list = [
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
