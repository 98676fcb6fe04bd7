from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Words an attacker tries first against a government system (docs/security.md).
_OBVIOUS = (
    "garda",
    "pasukanputih",
    "jakarta",
    "disnakertransgi",
    "dinsos",
    "dinkes",
    "dukcapil",
    "bp3mi",
    "kp2mi",
)


class AgencyNamePasswordValidator:
    """Refuse passwords built on an agency's name or the system's own name."""

    def _words(self) -> set[str]:
        from garda.accounts.models import Agency

        words = set(_OBVIOUS)
        for _name, short in Agency.objects.values_list("name", "short_name"):
            words.add(short.lower().replace(" ", ""))
        return {w for w in words if len(w) >= 4}

    def validate(self, password, user=None):
        squashed = password.lower().replace(" ", "")
        if any(word in squashed for word in self._words()):
            raise ValidationError(
                _("This password contains the name of an agency or of this system."),
                code="password_agency_name",
            )

    def get_help_text(self):
        return _("Your password cannot contain the name of an agency or of this system.")
