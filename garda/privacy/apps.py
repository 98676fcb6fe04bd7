from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "garda.privacy"
    label = "privacy"
    verbose_name = _("Personal data rights")

    def ready(self) -> None:
        # A withdrawn consent ends the sharing it covered (sharing.py): the people app
        # sends the signal inside consent_withdraw's transaction.
        from garda.people.signals import consent_withdrawn
        from garda.privacy import sharing

        consent_withdrawn.connect(sharing.on_consent_withdrawn, dispatch_uid="privacy.sharing")
