from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilyConfig(AppConfig):
    name = "garda.family"
    label = "family"
    verbose_name = _("Family's right to know")

    def ready(self):
        # The family's own secrets open the public tracking page (docs/family.md).
        from garda.cases.access import register_tracking_door, register_tracking_veto
        from garda.family.access import DOOR, VETO

        register_tracking_door(DOOR)
        # A family member who reported the case is stopped by the worker's choice too.
        register_tracking_veto(VETO)
