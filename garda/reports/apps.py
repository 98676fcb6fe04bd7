from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "garda.reports"
    label = "reports"
    verbose_name = _("Figures")

    def ready(self) -> None:
        from garda import pagecache

        # The public statistics page renders afresh whenever a snapshot is saved.
        pagecache.watch("reports_public", "reports.Snapshot")
