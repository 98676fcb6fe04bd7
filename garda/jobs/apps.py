from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "garda.jobs"
    label = "jobs"
    verbose_name = _("Placement agencies and job orders")

    def ready(self):
        from garda import pagecache

        # The public vacancy board (garda/pagecache.py): orders, their companies and
        # destinations.
        pagecache.watch(
            "jobs",
            "jobs.JobOrder",
            "jobs.PlacementAgency",
            "jobs.Employer",
            "jobs.ForeignPartner",
            "destinations.Destination",
        )
