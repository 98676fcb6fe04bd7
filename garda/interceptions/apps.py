from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterceptionsConfig(AppConfig):
    name = "garda.interceptions"
    label = "interceptions"
    verbose_name = _("Interceptions")
