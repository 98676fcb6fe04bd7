"""Legal holds: placing one stops the purge for a person (and all that is theirs) or a
case (and its person); lifting one is recorded, never deleted (docs/compliance.md)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.models import Case
from garda.compliance.access import HOLD_ROLES
from garda.compliance.models import LegalHold
from garda.people.models import Person

MAX_REASON = 500


def _clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({field: _("Say why, in a few words.")})
    if len(reason) > MAX_REASON:
        raise ValidationError({field: _("Keep the reason under 500 characters.")})
    return reason


def hold_place(
    *,
    actor: User,
    person: Person | None = None,
    case: Case | None = None,
    reason: str,
    ends_on: date | None = None,
) -> LegalHold:
    """Hold `person` or `case` (exactly one), read through the caller's access check."""
    if actor.role not in HOLD_ROLES:
        deny(actor, "compliance.hold_place")
    if (person is None) == (case is None):
        raise ValidationError(_("Choose a person or a case."))
    reason = _clean_reason(reason)
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("The end date cannot be in the past.")})
    with transaction.atomic():
        hold = LegalHold.objects.create(
            person=person, case=case, reason=reason, ends_on=ends_on, placed_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=hold,
            changed_fields=["person" if person else "case", "reason", "ends_on"],
            reason=f"hold on {'person ' + str(person.pk) if person else 'case ' + str(case.pk)}",
        )
    return hold


def hold_lift(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    """Lift `hold` (read through get_hold_for); the row stays, with who and why."""
    if actor.role not in HOLD_ROLES:
        deny(actor, "compliance.hold_lift")
    reason = _clean_reason(reason, "lift_reason")
    with transaction.atomic():
        locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if locked.lifted_at is not None:
            raise ValidationError(_("This hold was already lifted."))
        locked.lifted_at = timezone.now()
        locked.lifted_by = actor
        locked.lift_reason = reason
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=locked,
            changed_fields=["lifted_at", "lifted_by", "lift_reason"],
            reason="hold lifted",
        )
    return locked
