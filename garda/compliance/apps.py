from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "garda.compliance"
    label = "compliance"
    verbose_name = _("Data protection compliance")
