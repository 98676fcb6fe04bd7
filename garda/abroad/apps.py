from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbroadConfig(AppConfig):
    name = "garda.abroad"
    label = "abroad"
    verbose_name = _("Abroad (lapor diri)")

    def ready(self):
        from garda.abroad.services.stays import stay_from_placement, stays_end_on_return
        from garda.cases.signals import repatriation_arrived
        from garda.jobs.signals import placement_arrived

        # A worker placed through Garda who arrives gets their stay (docs/abroad.md).
        placement_arrived.connect(stay_from_placement, dispatch_uid="abroad.stay_from_placement")
        # People brought home: their stays abroad end (docs/repatriation.md).
        repatriation_arrived.connect(stays_end_on_return, dispatch_uid="abroad.stays_end")
