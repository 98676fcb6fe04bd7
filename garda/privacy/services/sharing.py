"""Recording and ending the sharing of a person's data (sharing.py has the rule)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.people.models import Consent, Person
from garda.privacy.models import SharingRecord
from garda.privacy.sharing import may_share

SHARING_ROLES = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
# The parts of a record a sharing may name (referrals choose among them).
PARTS = ("profile", "identity", "contact", "family", "documents", "readiness", "training", "case")
ENDED_BY_WITHDRAWAL = "consent withdrawn"


def sharing_record(
    *,
    actor: User,
    person: Person,
    agency: Agency,
    purpose: str,
    parts: Iterable[str],
    override_reason: str = "",
) -> SharingRecord:
    """Record that `parts` of `person`'s record go to `agency` for `purpose`.

    On the person's consent (sharing.may_share allows it): the record names the
    consent. Without it, only with `override_reason` (for example a life in danger,
    UU 27/2022 art. 20(2)(d)): the record keeps the reason and the officer, the
    audit row says "override", and the supervisors are told. Refused otherwise
    (ValidationError naming the field), with nothing written."""
    if actor is None or actor.role not in SHARING_ROLES:
        deny(actor, "privacy.sharing_record", target=person)
    parts = list(dict.fromkeys(parts))
    purpose = (purpose or "").strip()
    override_reason = (override_reason or "").strip()
    errors = {}
    if not parts or any(p not in PARTS for p in parts):
        errors["parts"] = _("Choose what is shared.")
    if not purpose:
        errors["purpose"] = _("Say what the data is shared for.")
    elif len(purpose) > 200:
        errors["purpose"] = _("At most 200 characters.")
    if "\x00" in purpose + override_reason:
        errors["purpose"] = _("Null characters are not allowed.")
    if errors:
        raise ValidationError(errors)
    decision = may_share(person, agency, purpose)
    if not decision.allowed and not override_reason:
        raise ValidationError(
            {
                "override_reason": ValidationError(
                    _(
                        "%(refusal)s To share anyway, write why it cannot wait for the "
                        "person's consent."
                    )
                    % {"refusal": decision.reason},
                    code=decision.code,
                )
            }
        )
    override = not decision.allowed
    with transaction.atomic():
        record = SharingRecord(
            person=person,
            agency=agency,
            purpose=purpose,
            parts=parts,
            consent=decision.consent if not override else None,
            override_reason=override_reason if override else "",
            shared_by=actor,
        )
        record.full_clean()
        record.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SHARE,
            target=person,
            changed_fields=[],
            reason=f"override: sharing {record.pk}" if override else f"sharing {record.pk}",
        )
        if override:
            _tell_supervisors(actor, person, record)
    return record


def _tell_supervisors(actor: User, person: Person, record: SharingRecord) -> None:
    supervisors = User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True).select_related(
        "agency"
    )
    if actor.agency_id is not None:
        own = supervisors.filter(agency_id=actor.agency_id)
        supervisors = own if own.exists() else supervisors
    for supervisor in supervisors:
        notify(
            user=supervisor,
            title=_("Data shared without consent: %(reference)s") % {"reference": person.reference},
            body=_(
                "%(officer)s shared data of %(reference)s with %(agency)s without the "
                "person's consent. Check the reason on the sharing page."
            )
            % {
                "officer": actor.full_name or actor.email,
                "reference": person.reference,
                "agency": record.agency.name,
            },
            url=reverse("privacy:sharing_list"),
            email=False,
        )


def sharing_end(*, actor: User | None, record: SharingRecord, reason: str) -> SharingRecord:
    """End one live sharing (the receiving agency loses access: docs/privacy.md)."""
    if actor is not None and actor.role not in SHARING_ROLES:
        deny(actor, "privacy.sharing_end", target=record.person)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ValidationError({"reason": _("Say why the sharing ends.")})
    with transaction.atomic():
        ended = SharingRecord.objects.filter(pk=record.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=actor, ended_reason=reason
        )
        if not ended:
            raise ValidationError(_("This sharing has already ended."), code="already_ended")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=record,
            changed_fields=["ended_at"],
            reason="sharing ended",
        )
    record.refresh_from_db()
    return record


def sharing_end_for_consent(*, consent: Consent, actor: User | None) -> int:
    """End every live sharing under `consent` (its withdrawal): one update, one audit
    row per record ended. Returns how many ended."""
    with transaction.atomic():
        live = list(
            SharingRecord.objects.select_for_update()
            .filter(consent=consent, ended_at__isnull=True)
            .values_list("pk", flat=True)
        )
        if not live:
            return 0
        SharingRecord.objects.filter(pk__in=live).update(
            ended_at=timezone.now(), ended_by=actor, ended_reason=ENDED_BY_WITHDRAWAL
        )
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(row, ["ended_at"]) for row in SharingRecord.objects.filter(pk__in=live)],
            reason=ENDED_BY_WITHDRAWAL,
        )
    return len(live)
