"""A family member follows a case with their own secret (UU 18/2017: the family's
right to information on the worker's condition and problems), unless the worker
restricts it; in a death case the family is the party the process serves and the
restriction does not apply (docs/family.md, "The rules").

Every write is atomic and audited (field names, never values); the secret is
returned once and never stored, only its keyed hash.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.cases.access import may_handle, new_tracking_secret
from garda.cases.models import Case
from garda.cases.services.common import error, require_reason, tell
from garda.family.access import is_restricted, own_person, secret_index
from garda.family.models import FamilyAccess, FamilyPreference
from garda.family.steps import is_death
from garda.people.models import FamilyContact

MAX_REASON = 500
REPLACED = "replaced by a new secret"
RESTRICTED = "restricted by the worker"


def family_access_issue(
    *, actor: User, case: Case, contact: FamilyContact
) -> tuple[FamilyAccess, str]:
    """Give `contact` (a named family contact of the case's person) their own secret
    for `case`; returns (access, secret), the secret shown once. A live access of
    the same contact is ended first (a lost secret is replaced, not added to).

    Refused (403, audited) to anyone who may not handle the case; refused with a
    message when the case has no person, the contact is not theirs, or the worker
    restricted following and the case is not a death."""
    if not may_handle(actor, case):
        deny(actor, "family.family_access_issue", target=case)
    if case.person_id is None:
        raise error(
            "contact_id",
            _("Link the case to the person in the registry first: family contacts are theirs."),
            "no_person",
        )
    if contact is None or contact.person_id != case.person_id:
        raise error(
            "contact_id",
            _("Choose one of the family contacts of the person concerned."),
            "invalid_choice",
        )
    death = is_death(case)
    if not death and is_restricted(case.person):
        raise error(
            "contact_id",
            _("The worker has asked that their family not follow their cases."),
            "restricted",
        )
    now = timezone.now()
    secret = new_tracking_secret()
    with transaction.atomic():
        old = list(
            FamilyAccess.objects.select_for_update().filter(
                case=case, contact=contact, revoked_at__isnull=True
            )
        )
        for row in old:
            row.revoked_at, row.revoked_by, row.revoke_reason = now, actor, REPLACED
            row.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=row,
                changed_fields=["revoked_at", "revoke_reason"],
                reason="replaced",
            )
        access = FamilyAccess.objects.create(
            case=case, contact=contact, secret_index=secret_index(secret), issued_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=access,
            changed_fields=["case", "contact", "secret_index"],
            reason="death" if death else "",
        )
        worker = case.person.user if case.person.user_id else None
        if worker is not None:
            tell(
                worker,
                gettext_lazy("A family member may now follow case %(reference)s"),
                {"reference": case.reference},
                body=gettext_lazy(
                    "An officer gave a member of your family a code to follow the stage of "
                    "this case and the messages shared with you. You can stop it on the "
                    "page “My family”."
                ),
                url=reverse("family:mine"),
            )
    return access, secret


def family_access_revoke(*, actor: User, access: FamilyAccess, reason: str) -> FamilyAccess:
    """End a family member's access (their secret stops working at once)."""
    if not may_handle(actor, access.case):
        deny(actor, "family.family_access_revoke", target=access)
    reason = require_reason(reason)
    with transaction.atomic():
        row = FamilyAccess.objects.select_for_update().get(pk=access.pk)
        if row.revoked_at is not None:
            raise error("reason", _("This access has already ended."), "ended")
        row.revoked_at, row.revoked_by, row.revoke_reason = timezone.now(), actor, reason
        row.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=row,
            changed_fields=["revoked_at", "revoke_reason"],
        )
    row.case = access.case
    row.contact = access.contact
    return row


def family_restrict(*, worker: User, restricted: bool) -> FamilyPreference:
    """The worker's choice: with `restricted`, their family may no longer follow
    their cases; the live accesses of every case about them that is not a death are
    ended at once (audited, the officers holding those cases told). Lifting the
    restriction brings no access back: an officer issues a new secret."""
    if getattr(worker, "role", None) != roles.WORKER:
        deny(worker, "family.family_restrict")
    person = own_person(worker)
    if person is None:
        raise error(
            "restricted", _("Complete your profile first: the choice is kept on it."), "no_person"
        )
    now = timezone.now()
    with transaction.atomic():
        pref, created = FamilyPreference.objects.select_for_update().get_or_create(
            person=person, defaults={"restricted": restricted, "changed_by": worker}
        )
        if not created and pref.restricted == restricted:
            return pref
        if not created:
            pref.restricted, pref.changed_at, pref.changed_by = restricted, now, worker
            pref.save(update_fields=["restricted", "changed_at", "changed_by"])
        audit_record(
            actor=worker,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            target=pref,
            changed_fields=["restricted"],
        )
        if restricted:
            _end_live_accesses(worker, person, now)
    return pref


def _end_live_accesses(worker: User, person, now) -> None:
    live = list(
        FamilyAccess.objects.select_for_update(of=("self",))
        .filter(case__person=person, revoked_at__isnull=True)
        .select_related("case__owner")
    )
    ended = [row for row in live if not is_death(row.case)]
    if not ended:
        return
    FamilyAccess.objects.filter(pk__in=[row.pk for row in ended]).update(
        revoked_at=now, revoked_by=worker, revoke_reason=RESTRICTED
    )
    audit_record_many(
        actor=worker,
        action=AuditEvent.Action.UPDATE,
        targets=[(row, ["revoked_at", "revoke_reason"]) for row in ended],
        reason="restricted",
    )
    told = set()
    for row in ended:
        case = row.case
        if case.owner_id is None or case.pk in told:
            continue
        told.add(case.pk)
        tell(
            case.owner,
            gettext_lazy("Family following ended on case %(reference)s"),
            {"reference": case.reference},
            body=gettext_lazy(
                "The worker asked that their family not follow their cases: the family's "
                "codes for this case no longer work."
            ),
            url=reverse("cases:detail", args=[case.pk]),
        )
