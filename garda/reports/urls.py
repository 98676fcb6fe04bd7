"""Page routes of the reports app, one block per part (views/)."""

from django.urls import path

from garda.reports.views import public

app_name = "reports"

urlpatterns: list = [
    # --- public statistics ---
    path("public/", public.public_stats, name="public"),
]
