"""The family app's API (docs/family.md, "API"):

- `GET /cases/{id}/family-access`: the family of a case as staff who may see it are
  shown it (contacts, live and ended accesses, the restriction, death steps);
- `POST /cases/{id}/family-access` `{"contact_id"}` → 201 with the secret, once
  (staff who may handle the case; 404 with a denied row otherwise);
- `POST /family-access/{id}/revoke` `{"reason"}`;
- `GET/PUT /me/family-preference` `{"restricted"}` (the worker).

The family member follows the case through the public tracking API
(`GET /reports/{reference}?secret=`), which answers their secret as the reporter's.
"""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import get_case_for, read_case_for
from garda.family.access import (
    family_reporters,
    get_access_for,
    is_restricted,
    own_accesses,
    own_person,
)
from garda.family.display import case_family
from garda.family.models import FamilyAccess, FamilyPreference
from garda.family.services.following import (
    MAX_REASON,
    family_access_issue,
    family_access_revoke,
    family_restrict,
)
from garda.people.models import FamilyContact

router = Router(tags=["family"])
STAFF_ROLES = (roles.ADMIN, roles.SUPERVISOR, roles.OFFICER)


class FamilyAccessIn(Schema):
    contact_id: int = Field(ge=1, le=2**63 - 1, description="a family contact of the person")


class FamilyRevokeIn(Schema):
    reason: str = Field(max_length=MAX_REASON)


class FamilyPreferenceIn(Schema):
    restricted: bool = Field(description="true: the family may not follow my cases")


class FamilyAccessOut(Schema):
    id: int
    case_reference: str
    contact_id: int
    contact_name: str
    relation: str
    issued_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class FamilyIssuedOut(FamilyAccessOut):
    secret: str = Field(description="shown once: Garda keeps only its hash")


class FamilyContactOut(Schema):
    id: int
    name: str
    relation: str
    access_id: int | None = Field(description="the live access, if any")


class FamilyStepOut(Schema):
    code: str = Field(description="remains, certificate, insurance, belongings, estate")
    label: str
    state: str = Field(description="done, planned, not_recorded")
    at: datetime | None


class FamilyCaseOut(Schema):
    case_reference: str
    death: bool = Field(description="a death case: the family is the party it serves")
    restricted: bool = Field(description="the worker asked that their family not follow")
    may_issue: bool
    contacts: list[FamilyContactOut]
    accesses: list[FamilyAccessOut]
    steps: list[FamilyStepOut]


class FamilyReporterOut(Schema):
    case_reference: str
    relationship: str = Field(description="the reporter's relationship (parent, spouse...)")
    reported_at: datetime


class FamilyPreferenceOut(Schema):
    restricted: bool
    changed_at: datetime | None
    following: list[FamilyAccessOut]
    reporters: list[FamilyReporterOut] = Field(
        description="family members who reported a case and follow it with its own code"
    )


def access_out(access: FamilyAccess, reference: str) -> dict:
    return {
        "id": access.pk,
        "case_reference": reference,
        "contact_id": access.contact_id,
        "contact_name": access.contact.name,
        "relation": access.contact.relation,
        "issued_at": access.issued_at,
        "last_used_at": access.last_used_at,
        "revoked_at": access.revoked_at,
    }


@router.get(
    "/cases/{case_id}/family-access",
    response=FamilyCaseOut,
    summary="The family of a case: contacts, who follows it, the worker's restriction",
)
def family_case(request: HttpRequest, case_id: int):
    user = request.auth
    ensure_role(user, *STAFF_ROLES, what="api family_case")
    case = read_case_for(user, case_id, reason="family")
    family = case_family(user, case)
    live = [row["access"] for row in family["rows"] if row["access"] is not None]
    return {
        "case_reference": case.reference,
        "death": family["death"],
        "restricted": family["restricted"],
        "may_issue": family["may_issue"],
        "contacts": [
            {
                "id": row["contact"].pk,
                "name": row["contact"].name,
                "relation": row["contact"].relation,
                "access_id": row["access"].pk if row["access"] else None,
            }
            for row in family["rows"]
        ],
        "accesses": [access_out(a, case.reference) for a in live + family["ended"]],
        "steps": [
            {"code": s.code, "label": s.label, "state": s.state, "at": s.at}
            for s in family["steps"]
        ],
    }


@router.post(
    "/cases/{case_id}/family-access",
    response={201: FamilyIssuedOut},
    summary="Give a family contact of the person their own code to follow the case",
)
def family_access_create(request: HttpRequest, case_id: int, payload: FamilyAccessIn):
    user = request.auth
    ensure_role(user, *STAFF_ROLES, what="api family_access_create")
    case = get_case_for(user, case_id, for_write=True)
    contact = FamilyContact.objects.filter(pk=payload.contact_id).first()
    access, secret = family_access_issue(actor=user, case=case, contact=contact)
    return Status(201, {**access_out(access, case.reference), "secret": secret})


@router.post(
    "/family-access/{access_id}/revoke",
    response=FamilyAccessOut,
    summary="End a family member's access to a case (their code stops working)",
)
def family_access_end(request: HttpRequest, access_id: int, payload: FamilyRevokeIn):
    user = request.auth
    ensure_role(user, *STAFF_ROLES, what="api family_access_end")
    access = get_access_for(user, access_id, for_write=True)
    ended = family_access_revoke(actor=user, access=access, reason=payload.reason)
    return access_out(ended, access.case.reference)


def _preference_out(user) -> dict:
    person = own_person(user)
    if person is None:
        raise HttpError(409, _("Complete your profile first."))
    pref = FamilyPreference.objects.filter(person=person).first()
    return {
        "restricted": is_restricted(person),
        "changed_at": pref.changed_at if pref else None,
        "following": [access_out(a, a.case.reference) for a in own_accesses(person)],
        "reporters": [
            {
                "case_reference": case.reference,
                "relationship": case.relationship,
                "reported_at": case.created_at,
            }
            for case in family_reporters(person)
        ],
    }


@router.get(
    "/me/family-preference",
    response=FamilyPreferenceOut,
    summary="Whether my family may follow my cases, and who follows which case",
)
def my_family_preference(request: HttpRequest):
    user = request.auth
    ensure_role(user, roles.WORKER, what="api my_family_preference")
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type="family.familyaccess",
        reason="own family",
    )
    return _preference_out(user)


@router.put(
    "/me/family-preference",
    response=FamilyPreferenceOut,
    summary="Allow or restrict my family following my cases (restricting ends their codes)",
)
def my_family_preference_set(request: HttpRequest, payload: FamilyPreferenceIn):
    user = request.auth
    ensure_role(user, roles.WORKER, what="api my_family_preference_set")
    family_restrict(worker=user, restricted=payload.restricted)
    return _preference_out(user)
