"""The referrals API (docs/referrals.md, "API"): the same access functions and services
as the pages. Errors in the project's one format:

- 422: bad input (the field named, in the caller's language), nothing written;
- 409: a stale `version` ("version_conflict") or a state that forbids the step
  ("wrong_state": answering twice, withdrawing an accepted referral);
- 404: a referral or case the caller may not see or handle (a `denied` row);
- 403: a role that never handles referrals, or a step the caller may not take.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.accounts.models import Agency
from garda.apiutils import error_body
from garda.audit.gate import deny
from garda.cases.access import get_case_for
from garda.pagination import Pagination
from garda.referrals.access import (
    REFERRAL_ROLES,
    STAFF_ROLES,
    get_referral_for,
    in_window,
    read_referral_for,
    read_referrals,
)
from garda.referrals.models import Referral
from garda.referrals.services import referrals as services

router = Router(tags=["referrals"])

ALL = tuple(sorted(REFERRAL_ROLES))
STAFF = tuple(sorted(STAFF_ROLES))
NAMES = {"agency": "agency_id", "service_type": "service"}


# --- schemas --------------------------------------------------------------------------


class ReferralIn(Schema):
    agency_id: int | None = Field(None, description="required: the receiving agency")
    service: str | None = Field(None, description="required: a planned-service type code")
    request: str | None = Field(None, description="required: what is asked", max_length=20000)
    due_at: datetime | None = Field(None, description="required: the answer is due by then")
    sections: list[str] | None = Field(None, description="required: section codes")
    consent_id: int | None = Field(None, description="the person's SHARING consent")
    override_reason: str | None = Field(
        None, description="why it is shared without consent", max_length=20000
    )


class ReferralStepIn(Schema):
    """`version` as read (optional); `channel` and `given_by_name` when the case's
    officer records the agency's answer given outside Garda (required then)."""

    version: int | None = None
    channel: str | None = Field(None, description="phone, letter, email, meeting")
    given_by_name: str | None = Field(None, max_length=1000)


class ReferralDeclineIn(ReferralStepIn):
    reason: str | None = Field(None, description="required", max_length=20000)


class ReferralReportIn(ReferralStepIn):
    what: str | None = Field(None, description="required", max_length=20000)
    delivered_on: date | None = Field(None, description="required")
    delivered_by_name: str | None = Field(None, description="required", max_length=1000)
    outcome: str | None = Field(None, description="required", max_length=20000)


class ReferralReasonIn(Schema):
    version: int | None = None
    reason: str | None = Field(None, description="required", max_length=20000)


class ReferralAgencyRef(Schema):
    id: int
    name: str
    short_name: str


class ReferralEventOut(Schema):
    kind: str
    at: datetime
    actor: str | None
    channel: str
    given_by_name: str

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return (obj.actor.full_name or obj.actor.email) if obj.actor_id else None


class ReferralListOut(Schema):
    id: int
    reference: str
    case_id: int
    case_reference: str
    agency: ReferralAgencyRef
    service: str
    status: str
    due_at: datetime
    report_due_at: datetime | None
    requested_at: datetime
    version: int

    @staticmethod
    def resolve_case_reference(obj) -> str:
        return obj.case.reference

    @staticmethod
    def resolve_service(obj) -> str:
        return obj.service_type


class ReferralOut(ReferralListOut):
    request: str
    sections: list[str]
    ground: str = Field(description="consent or override")
    override_reason: str | None = Field(description="staff only")
    sharing_live: bool = Field(description="whether the agency may read the sections")
    answered_at: datetime | None
    decline_reason: str
    delivered_what: str
    delivered_on: date | None
    delivered_by_name: str
    outcome: str
    reported_at: datetime | None
    closed_at: datetime | None
    close_reason: str
    events: list[ReferralEventOut]

    @staticmethod
    def resolve_ground(obj) -> str:
        return "override" if obj.override_reason else "consent"

    @staticmethod
    def resolve_override_reason(obj) -> str | None:
        return None if getattr(obj, "for_partner", False) else obj.override_reason

    @staticmethod
    def resolve_sharing_live(obj) -> bool:
        return in_window(obj) or (
            obj.status == "requested" and (obj.sharing_id is None or obj.sharing.ended_at is None)
        )

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.select_related("actor").order_by("at", "id"))


# --- helpers --------------------------------------------------------------------------


def _renamed(exc: DjangoValidationError) -> DjangoValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError({NAMES.get(k, k): v for k, v in exc.error_dict.items()})


def _conflict(detail: str, code: str, **extra) -> Status:
    body = error_body(detail, [{"field": "status", "code": code, "message": detail}])
    body.update(extra)
    return Status(409, body)


def _detail(user, pk) -> Referral:
    referral = get_referral_for(user, pk)
    referral.for_partner = user.role == roles.PARTNER
    return referral


def _run(user, referral: Referral, call):
    try:
        call()
    except services.VersionConflict as exc:
        return _conflict(
            _(
                "Someone else changed this referral since you read it: read it again. "
                "Nothing was changed."
            ),
            "version_conflict",
            version=exc.current.version,
        )
    except services.StateConflict as exc:
        return _conflict(exc.message, "wrong_state")
    except DjangoValidationError as exc:
        raise _renamed(exc) from None
    return _detail(user, referral.pk)


def _on_behalf(user, payload: ReferralStepIn) -> services.OnBehalf | None:
    if user.role == roles.PARTNER:
        return None
    return services.OnBehalf(payload.channel or "", payload.given_by_name or "")


# --- operations -----------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/referrals",
    response={201: ReferralOut},
    summary="Refer a case to another agency for a service (the case's handler)",
)
def referral_create(request: HttpRequest, case_id: int, payload: ReferralIn):
    ensure_role(request.auth, *STAFF, what="api referral_create")
    case = get_case_for(request.auth, case_id, for_write=True)
    agency = None
    if payload.agency_id is not None:
        agency = Agency.objects.filter(pk=payload.agency_id).first()
    try:
        referral = services.referral_create(
            actor=request.auth,
            case=case,
            agency=agency,
            service_type=payload.service or "",
            request=payload.request or "",
            due_at=payload.due_at,
            sections=payload.sections or [],
            consent_id=payload.consent_id,
            override_reason=payload.override_reason or "",
        )
    except DjangoValidationError as exc:
        raise _renamed(exc) from None
    return Status(201, _detail(request.auth, referral.pk))


@router.get(
    "/cases/{case_id}/referrals",
    response=list[ReferralListOut],
    summary="The referrals of a case (staff who may see the case)",
)
@paginate(Pagination, page_size=25)
def case_referral_list(request: HttpRequest, case_id: int):
    ensure_role(request.auth, *STAFF, what="api case_referral_list")
    case = get_case_for(request.auth, case_id)
    return read_referrals(request.auth).filter(case=case).select_related("case", "agency")


@router.get(
    "/referrals",
    response=list[ReferralListOut],
    summary="Referrals: a partner's agency's, or those of the cases staff may see",
)
@paginate(Pagination, page_size=25)
def referral_list(request: HttpRequest, status: str | None = None):
    ensure_role(request.auth, *ALL, what="api referral_list")
    qs = read_referrals(request.auth).select_related("case", "agency")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-id")


@router.get("/referrals/{referral_id}", response=ReferralOut, summary="One referral")
def referral_get(request: HttpRequest, referral_id: int):
    ensure_role(request.auth, *ALL, what="api referral_get")
    referral = read_referral_for(request.auth, referral_id)
    referral.for_partner = request.auth.role == roles.PARTNER
    return referral


@router.post(
    "/referrals/{referral_id}/accept",
    response={200: ReferralOut, 409: dict},
    summary="Accept a referral (a partner of the receiving agency; the case's officer "
    "on its behalf)",
)
def referral_accept(request: HttpRequest, referral_id: int, payload: ReferralStepIn | None = None):
    ensure_role(request.auth, *ALL, what="api referral_accept")
    payload = payload or ReferralStepIn()
    referral = get_referral_for(request.auth, referral_id)
    return _run(
        request.auth,
        referral,
        lambda: services.referral_accept(
            actor=request.auth,
            referral=referral,
            version=payload.version,
            on_behalf=_on_behalf(request.auth, payload),
        ),
    )


@router.post(
    "/referrals/{referral_id}/decline",
    response={200: ReferralOut, 409: dict},
    summary="Decline a referral, with a reason",
)
def referral_decline(request: HttpRequest, referral_id: int, payload: ReferralDeclineIn):
    ensure_role(request.auth, *ALL, what="api referral_decline")
    referral = get_referral_for(request.auth, referral_id)
    return _run(
        request.auth,
        referral,
        lambda: services.referral_decline(
            actor=request.auth,
            referral=referral,
            reason=payload.reason or "",
            version=payload.version,
            on_behalf=_on_behalf(request.auth, payload),
        ),
    )


@router.post(
    "/referrals/{referral_id}/report",
    response={200: ReferralOut, 409: dict},
    summary="Report the service delivered (what, when, by whom, outcome)",
)
def referral_report(request: HttpRequest, referral_id: int, payload: ReferralReportIn):
    ensure_role(request.auth, *ALL, what="api referral_report")
    referral = get_referral_for(request.auth, referral_id)
    return _run(
        request.auth,
        referral,
        lambda: services.referral_report(
            actor=request.auth,
            referral=referral,
            what=payload.what or "",
            delivered_on=payload.delivered_on,
            delivered_by_name=payload.delivered_by_name or "",
            outcome=payload.outcome or "",
            version=payload.version,
            on_behalf=_on_behalf(request.auth, payload),
        ),
    )


def _finish(request, referral_id: int, payload: ReferralReasonIn, service, what: str):
    ensure_role(request.auth, *STAFF, what=what)
    referral = get_referral_for(request.auth, referral_id)
    if not services.may_refer(request.auth, referral.case):
        deny(request.auth, what, target=referral)
    return _run(
        request.auth,
        referral,
        lambda: service(
            actor=request.auth,
            referral=referral,
            reason=payload.reason or "",
            version=payload.version,
        ),
    )


@router.post(
    "/referrals/{referral_id}/close",
    response={200: ReferralOut, 409: dict},
    summary="Close an answered referral: the agency's access ends (the case's handler)",
)
def referral_close(request: HttpRequest, referral_id: int, payload: ReferralReasonIn):
    return _finish(request, referral_id, payload, services.referral_close, "api referral_close")


@router.post(
    "/referrals/{referral_id}/cancel",
    response={200: ReferralOut, 409: dict},
    summary="Withdraw a referral before the agency accepts it (the case's handler)",
)
def referral_cancel(request: HttpRequest, referral_id: int, payload: ReferralReasonIn):
    return _finish(request, referral_id, payload, services.referral_cancel, "api referral_cancel")
