from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "garda.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        # A partner reads a case only through a referral to their agency: the cases
        # app (below this one) asks the reader registered here (cases/partners.py).
        from garda.cases import partners
        from garda.referrals.access import read_referred_case_for

        partners.register_reader(read_referred_case_for)

        # A closed case ends its referrals (the cases app sends, never imports us).
        from garda.cases.signals import case_closed
        from garda.referrals.services.referrals import on_case_closed

        case_closed.connect(on_case_closed, dispatch_uid="referrals.case_closed")
