"""The one check before any part of a person's record goes to another agency
(docs/privacy.md, "Sharing": the contract referrals follow).

    decision = may_share(person, agency, purpose)
    if decision.allowed:
        record = sharing_record(actor=..., person=..., agency=..., purpose=..., parts=[...])

UU 27/2022 art. 20 and 22: sharing rests on the person's consent, given for that
purpose and naming the receiver, and withdrawing it (art. 9) stops the processing it
covered. A SHARING consent (people.Consent) names the agencies it allows. So:

- allowed: an active (not withdrawn) SHARING consent of the person names `agency`,
  and the agency is active; the decision carries that consent, which the sharing
  record keeps;
- refused, with the reason in words: no sharing consent, the consent was withdrawn,
  the agency is not named, the agency is inactive, the record was merged away.

An officer may share without consent only by an override with a written reason
(services.sharing.sharing_record with override_reason: audited, the supervisors
told, listed on the supervisors' sharing page).

Withdrawing a consent ends every live sharing under it, in the withdrawal's own
transaction (on_consent_withdrawn, connected in apps.py to the registry's signal).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from garda.accounts.models import Agency
from garda.people.models import Consent, Person


@dataclass(frozen=True)
class Decision:
    allowed: bool
    code: str  # "consent", "no_consent", "withdrawn", "agency_not_named", ...
    reason: str  # in words, for the officer
    consent: Consent | None = None

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = "consent"
NO_CONSENT = "no_consent"
WITHDRAWN = "withdrawn"
NOT_NAMED = "agency_not_named"
AGENCY_INACTIVE = "agency_inactive"
MERGED = "person_merged"
NO_PURPOSE = "no_purpose"


def may_share(person: Person, agency: Agency, purpose: str) -> Decision:
    """Whether `person`'s data may go to `agency` for `purpose` on their consent (two
    queries). A refusal says why; an override is the caller's separate, audited step."""
    if not (purpose or "").strip():
        return Decision(False, NO_PURPOSE, _("Say what the data is shared for."))
    if person.merged_into_id is not None:
        return Decision(False, MERGED, _("This record was merged into another one."))
    if not agency.is_active:
        return Decision(False, AGENCY_INACTIVE, _("This agency is no longer active."))
    consents = list(
        Consent.objects.filter(person=person, purpose=Consent.Purpose.SHARING)
        .prefetch_related("agencies")
        .order_by("-given_at", "-id")
    )
    active = [c for c in consents if c.withdrawn_at is None]
    for consent in active:
        if any(a.pk == agency.pk for a in consent.agencies.all()):
            return Decision(
                True, ALLOWED, _("The person agreed to share with this agency."), consent
            )
    named_before = any(
        any(a.pk == agency.pk for a in c.agencies.all()) for c in consents if c not in active
    )
    if named_before:
        return Decision(
            False, WITHDRAWN, _("The person withdrew their consent to share with this agency.")
        )
    if active:
        return Decision(
            False, NOT_NAMED, _("The person's consent to share does not name this agency.")
        )
    return Decision(False, NO_CONSENT, _("The person has not agreed to share their data."))


def on_consent_withdrawn(sender, *, consent: Consent, actor, **kwargs) -> None:
    """The registry's consent_withdrawn signal: end the live sharing under `consent`."""
    from garda.privacy.services.sharing import sharing_end_for_consent

    sharing_end_for_consent(consent=consent, actor=actor)
