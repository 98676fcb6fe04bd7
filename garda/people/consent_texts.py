"""The words a person agrees to when they give a consent in Garda, by purpose, in the
version the consent records (Consent.text_version). UU 27/2022 (UU PDP) art. 20-22:
consent names its purpose and is given in writing or recorded; art. 9: it may be
withdrawn at any time. A change of these words is a new version: the old consents
keep the version they were given under."""

from django.utils.translation import gettext_lazy as _

from garda.people.models import Consent

CURRENT_VERSION = "2026-1"

TEXTS = {
    CURRENT_VERSION: {
        Consent.Purpose.PROCESSING: _(
            "I agree that Pasukan Putih DKI Jakarta processes my personal data (identity, "
            "address, contacts, education, documents and training) to prepare my placement "
            "abroad and to protect me before, during and after it."
        ),
        Consent.Purpose.SHARING: _(
            "I agree that Pasukan Putih DKI Jakarta shares my personal data with the "
            "agencies named below, only for my placement and my protection."
        ),
    },
}


def consent_text(purpose: str, version: str) -> str:
    """The words of `purpose` in `version`; "" for a version Garda does not hold (a
    consent recorded through the API under another system's text)."""
    return TEXTS.get(version, {}).get(purpose, "")
