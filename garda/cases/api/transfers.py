"""The transfers API (docs/cases.md, "Transfers"): offer a case to another agency,
ask its owner for it, answer (accept, decline, withdraw), the inbox, and the old
owner's trail. The same access functions and services as the pages.

- 201: an offer or a request recorded; 200: an answer recorded;
- 409: the state forbids it: already answered ("decided"), a transfer already
  pending ("pending"), a stale `version` ("version_conflict"), the case closed, not
  held, waiting on a closing approval, or handed elsewhere meanwhile;
- 422: bad input (no reason, the same agency, an officer of another agency);
- 404 (with a denied row): a case or transfer the caller is no party to; 403: an
  answer the caller's role or agency may not give."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts.access import ensure_role
from garda.accounts.models import Agency, User
from garda.audit.gate import deny_not_found
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import (
    OBJECT_TYPE,
    TRANSFER_TYPE,
    get_case_for,
    get_transfer_for,
    read_trail_for,
    small_int,
    visible_transfers,
)
from garda.cases.api.cases import STAFF, conflict, field_error, renamed, stale
from garda.cases.models import Case, Transfer
from garda.cases.services import transfers as service
from garda.cases.services.common import VersionConflict
from garda.cases.trail import trail_for
from garda.pagination import Pagination

router = Router(tags=["case transfers"])

# A service's refusal that is about the state of things, not the input: 409.
STATE_CODES = {
    "decided",
    "pending",
    "moved",
    "closed",
    "unowned",
    "approval_pending",
    "not_transferable",
}
NAMES = {"agency": "agency_id", "owner": "owner_id"}


class TransferOfferIn(Schema):
    agency_id: int
    reason: str = Field(..., max_length=500)
    owner_id: int | None = Field(None, description="an officer of the receiving agency")
    version: int | None = Field(None, description="the case's version you read")


class TransferRequestIn(Schema):
    agency_id: int | None = Field(None, description="by default the caller's agency")
    reason: str = Field(..., max_length=500)


class TransferAcceptIn(Schema):
    owner_id: int | None = Field(
        None, description="the officer who will hold the case (a supervisor names one)"
    )
    version: int | None = None


class TransferDeclineIn(Schema):
    reason: str = Field(..., max_length=500)


class TransferAgencyOut(Schema):
    id: int
    name: str
    short_name: str


class TransferOut(Schema):
    id: int
    case_id: int
    case_reference: str = Field(..., alias="case.reference")
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    waits_on: str = Field(..., description="owner: the case's side; receiver: the agency")
    from_agency: TransferAgencyOut | None
    to_agency: TransferAgencyOut
    to_owner_id: int | None
    reason: str
    requested_by_id: int
    requested_at: datetime
    offered_at: datetime | None
    decided_at: datetime | None
    decline_reason: str

    @staticmethod
    def resolve_from_agency(obj, context) -> Agency | None:
        """A request the owner's side has not answered names the case's agency only to
        that agency: the asker typed a case number, which is not a window on who holds
        it (docs/security.md, issue 14)."""
        user = context["request"].auth if context else None
        if obj.waits_on_owner and getattr(user, "agency_id", None) != obj.from_agency_id:
            return None
        return obj.from_agency

    @staticmethod
    def resolve_waits_on(obj) -> str:
        if not obj.is_pending:
            return ""
        return "owner" if obj.waits_on_owner else "receiver"


class TransferTrailMoveOut(Schema):
    at: datetime
    from_stage: str
    to_stage: str
    reason: str


class TransferTrailNoteOut(Schema):
    created_at: datetime
    text: str
    shared: bool


class TransferTrailItemOut(Schema):
    title: str
    due_at: datetime
    done_at: datetime | None


class TransferTrailOut(Schema):
    case_id: int
    case_reference: str
    transferred_at: datetime
    to_agency: TransferAgencyOut
    reason: str
    moves: list[TransferTrailMoveOut]
    notes: list[TransferTrailNoteOut]
    tasks: list[TransferTrailItemOut]
    services: list[TransferTrailItemOut]


def _refused(exc: DjangoValidationError):
    codes = {e.code for errs in getattr(exc, "error_dict", {}).values() for e in errs}
    if codes & STATE_CODES:
        field = next(iter(exc.error_dict))
        return conflict(" ".join(exc.messages), field, sorted(codes & STATE_CODES)[0])
    raise renamed(exc, NAMES) from None


def _agency(pk) -> Agency | None:
    if pk is None:
        return None
    agency = Agency.objects.filter(pk=pk).first()
    if agency is None:
        raise field_error("agency_id", _("Choose the agency that should take the case."), "invalid")
    return agency


def _officer(pk) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise field_error(
            "owner_id", _("Choose an active officer of the receiving agency."), "not_an_officer"
        )
    return user


def _out(pk: int) -> Transfer:
    return Transfer.objects.select_related("case", "from_agency", "to_agency").get(pk=pk)


@router.post(
    "/cases/{case_id}/transfers",
    response={201: TransferOut, 409: dict},
    summary="Offer a case to another agency, with a reason (who may handle the case)",
)
def transfer_offer(request: HttpRequest, case_id: int, payload: TransferOfferIn):
    ensure_role(request.auth, *STAFF, what="api transfer_offer")
    case = get_case_for(request.auth, case_id, for_write=True)
    try:
        transfer = service.transfer_offer(
            actor=request.auth,
            case=case,
            agency=_agency(payload.agency_id),
            reason=payload.reason,
            owner=_officer(payload.owner_id),
            version=payload.version,
        )
    except VersionConflict as exc:
        return stale(exc)
    except DjangoValidationError as exc:
        return _refused(exc)
    return Status(201, _out(transfer.pk))


@router.post(
    "/cases/{case_id}/transfer-requests",
    response={201: TransferOut, 409: dict},
    summary="Ask the owner of a case to transfer it to your agency or a named one",
)
def transfer_request(request: HttpRequest, case_id: int, payload: TransferRequestIn):
    ensure_role(request.auth, *STAFF, what="api transfer_request")
    # The asker need not see the case (it is another agency's): they know its number.
    case = Case.objects.filter(pk=small_int(case_id)).first()
    if case is None:
        deny_not_found(request.auth, OBJECT_TYPE, case_id, "api transfer_request")
    try:
        transfer = service.transfer_request(
            actor=request.auth,
            case=case,
            reason=payload.reason,
            agency=_agency(payload.agency_id),
        )
    except DjangoValidationError as exc:
        return _refused(exc)
    return Status(201, _out(transfer.pk))


@router.get(
    "/transfers",
    response=list[TransferOut],
    summary="The transfers waiting that concern the caller (to answer, or started by them)",
)
@paginate(Pagination, page_size=25)
def transfer_inbox(request: HttpRequest):
    ensure_role(request.auth, *STAFF, what="api transfer_inbox")
    audit_record(
        actor=request.auth, action=AuditEvent.Action.VIEW, object_type=TRANSFER_TYPE, reason="list"
    )
    return (
        visible_transfers(request.auth)
        .filter(status=Transfer.State.REQUESTED)
        .select_related("case", "from_agency", "to_agency")
        .order_by("requested_at", "id")
    )


def _answer(request, transfer_id: int, action):
    transfer = get_transfer_for(request.auth, transfer_id)
    try:
        action(transfer)
    except VersionConflict as exc:
        return stale(exc)
    except DjangoValidationError as exc:
        return _refused(exc)
    return _out(transfer.pk)


@router.post(
    "/transfers/{transfer_id}/accept",
    response={200: TransferOut, 409: dict},
    summary="Accept a transfer (the receiving agency), or agree to a request (the owner)",
)
def transfer_accept(request: HttpRequest, transfer_id: int, payload: TransferAcceptIn):
    ensure_role(request.auth, *STAFF, what="api transfer_accept")
    owner = _officer(payload.owner_id)
    return _answer(
        request,
        transfer_id,
        lambda t: service.transfer_accept(
            actor=request.auth, transfer=t, owner=owner, version=payload.version
        ),
    )


@router.post(
    "/transfers/{transfer_id}/decline",
    response={200: TransferOut, 409: dict},
    summary="Decline a transfer, with a reason",
)
def transfer_decline(request: HttpRequest, transfer_id: int, payload: TransferDeclineIn):
    ensure_role(request.auth, *STAFF, what="api transfer_decline")
    return _answer(
        request,
        transfer_id,
        lambda t: service.transfer_decline(actor=request.auth, transfer=t, reason=payload.reason),
    )


@router.post(
    "/transfers/{transfer_id}/cancel",
    response={200: TransferOut, 409: dict},
    summary="Withdraw a transfer still waiting (who started it, or the case's side)",
)
def transfer_cancel(request: HttpRequest, transfer_id: int):
    ensure_role(request.auth, *STAFF, what="api transfer_cancel")
    return _answer(
        request,
        transfer_id,
        lambda t: service.transfer_cancel(actor=request.auth, transfer=t),
    )


@router.get(
    "/cases/{case_id}/trail",
    response=TransferTrailOut,
    summary="A case handed over, as its previous officer or their supervisor sees it",
)
def transfer_trail(request: HttpRequest, case_id: int):
    ensure_role(request.auth, *STAFF, what="api transfer_trail")
    case, transfer = read_trail_for(request.auth, case_id)
    trail = trail_for(request.auth, case, transfer)
    return {
        "case_id": case.pk,
        "case_reference": case.reference,
        "transferred_at": transfer.decided_at,
        "to_agency": transfer.to_agency,
        "reason": transfer.reason,
        "moves": trail.moves,
        "notes": trail.notes,
        "tasks": trail.tasks,
        "services": [
            {"title": s.get_type_display(), "due_at": s.due_at, "done_at": s.done_at}
            for s in trail.services
        ],
    }
