"""A repatriation (docs/repatriation.md, "The API"): started from a case, its steps
(done in order, or not needed), its travel details, its signed statements and their
printable PDF, cancelled. The same access functions and services as the pages.

- 201: a repatriation or a statement recorded; 200: a step done, details changed;
- 409: the state forbids it: an earlier required step is open ("step_blocked", with
  `blocking_step`), the hand-over step asked to be done by a click
  ("statement_required": record the signed statement), a step already done, a
  repatriation completed or cancelled ("not_live"), a stale `version`;
- 422: bad input (an unknown reason, a hand-over to the family without a witness);
- 404 (with a denied row): a case or repatriation the caller does not see; 403: a
  role that never handles repatriations."""

from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from garda.accounts.access import ensure_role
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import (
    get_case_for,
    get_repatriation_for,
    get_repatriation_step_for,
    read_case_for,
)
from garda.cases.api.cases import STAFF, conflict, field_error
from garda.cases.models import Repatriation, RepatriationStep
from garda.cases.repatriation_words import decorate_steps, progress, with_steps
from garda.cases.services import repatriation as service
from garda.cases.services.common import VersionConflict
from garda.cases.statement_pdf import get_statement_for, statement_response
from garda.places.models import Region

router = Router(tags=["repatriation"])

# A service's refusal that is about the state of things, not the input: 409.
# Refusals about the state of things (409), not the input (422); evacuations too.
STATE_CODES = {"done", "statement_required", "exists", "closed", "not_cancellable", "live"}


class RepatriationIn(Schema):
    reason: str = Field(
        ...,
        description="contract_trouble, deportation, illness, death, evacuation or case_decision",
    )


class RepatriationTravelIn(Schema):
    payer: str | None = Field(None, description="company, employer, government, ...")
    payer_name: str | None = Field(None, max_length=200)
    flight: str | None = Field(None, max_length=20)
    debarkation: str | None = Field(None, description="cgk, hlp, priok or other")
    arrives_at: datetime | None = None
    needs: list[str] | None = None
    met_by_id: int | None = None
    home_region_id: str | None = Field(None, description="the regency or city code")
    lacks_capacity: bool | None = None
    version: int | None = Field(None, description="the repatriation's version you read")


class StepDoneIn(Schema):
    note: str = Field("", max_length=500)


class RepatriationReasonIn(Schema):
    reason: str = Field(..., max_length=500)


class StepUpdateIn(Schema):
    owner_id: int | None = None
    due_at: datetime | None = None


class StatementIn(Schema):
    kind: str = Field(..., description="handover_family, handover_social or refusal")
    signed_on: date
    place: str = Field(..., max_length=200)
    signed_by: str = Field(
        "",
        description="a refusal: worker (the worker signs, when able to) or family (a family "
        "member, named with their relationship, when the worker lacks capacity); "
        "empty on a hand-over",
    )
    signatory_name: str = Field(
        "", max_length=200, description="who receives, or the family member who signs"
    )
    signatory_relation: str = Field("", max_length=100)
    witness_name: str = Field("", max_length=200)
    witness_office: str = Field("", max_length=200)
    remarks: str = Field("", max_length=2000)


class RepatriationOfficerOut(Schema):
    id: int
    name: str


class RepatriationStepOut(Schema):
    id: int
    code: str
    label: str
    position: int
    party: str
    party_label: str
    required: bool
    status: str
    status_label: str = Field(..., alias="get_status_display")
    blocked_by: str = Field("", description="the earlier required step still open")
    due_at: datetime
    owner: RepatriationOfficerOut | None
    done_at: datetime | None
    note: str

    @staticmethod
    def resolve_owner(obj) -> dict | None:
        if obj.owner_id is None:
            return None
        return {"id": obj.owner_id, "name": obj.owner.full_name or obj.owner.email}


class StatementOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    signed_on: date
    place: str
    signatory_name: str
    signatory_relation: str
    signed_by: str = Field(..., description="a refusal: worker or family; empty otherwise")
    witness_name: str
    witness_office: str
    remarks: str
    recorded_at: datetime
    pdf: str

    @staticmethod
    def resolve_pdf(obj) -> str:
        return f"/api/v1/repatriation-statements/{obj.pk}/pdf"


class RepatriationOut(Schema):
    id: int
    reference: str
    case_id: int | None
    evacuation_id: int | None
    name: str
    reason: str
    reason_label: str = Field(..., alias="get_reason_display")
    status: str
    status_label: str = Field(..., alias="get_status_display")
    steps_done: int
    steps_total: int
    payer: str
    payer_name: str
    flight: str
    debarkation: str
    arrives_at: datetime | None
    arrived_at: datetime | None
    needs: list[str]
    met_by_id: int | None
    home_region_id: str | None
    lacks_capacity: bool
    created_at: datetime
    completed_at: datetime | None
    cancel_reason: str
    version: int
    steps: list[RepatriationStepOut]
    statements: list[StatementOut]


def _out(pk: int) -> dict:
    """The repatriation as the API shows it, read afresh (four queries)."""
    rep = with_steps(Repatriation.objects.filter(pk=pk)).prefetch_related("statements").get()
    steps = decorate_steps(list(rep.steps.all()))
    rep.steps_done, rep.steps_total = progress(steps)
    return {**_fields(rep), "steps": steps, "statements": list(rep.statements.all())}


def _fields(rep: Repatriation) -> dict:
    return {
        name: getattr(rep, name)
        for name in (
            "id",
            "reference",
            "case_id",
            "evacuation_id",
            "name",
            "reason",
            "status",
            "payer",
            "payer_name",
            "flight",
            "debarkation",
            "arrives_at",
            "arrived_at",
            "needs",
            "met_by_id",
            "home_region_id",
            "lacks_capacity",
            "created_at",
            "completed_at",
            "cancel_reason",
            "version",
            "steps_done",
            "steps_total",
        )
    } | {
        "get_reason_display": rep.get_reason_display(),
        "get_status_display": rep.get_status_display(),
    }


def refused(exc: Exception):
    """A service's refusal as the API's answer: 409 for the state, else 422."""
    if isinstance(exc, service.StepBlocked):
        return conflict(
            exc.message,
            "step",
            "step_blocked",
            blocking_step={"id": exc.blocking.pk, "code": exc.blocking.code},
        )
    if isinstance(exc, service.NotLive):
        return conflict(
            _("This repatriation is completed or cancelled: nothing more can be changed."),
            "status",
            "not_live",
        )
    if isinstance(exc, VersionConflict):
        return conflict(
            _(
                "Someone else changed this repatriation since you read it: read it again. "
                "Nothing was changed."
            ),
            "version",
            "version_conflict",
        )
    codes = {e.code for errs in getattr(exc, "error_dict", {}).values() for e in errs}
    if codes & STATE_CODES:
        field = next(iter(exc.error_dict))
        return conflict(" ".join(exc.messages), field, sorted(codes & STATE_CODES)[0])
    raise exc


REFUSALS = (service.StepBlocked, service.NotLive, VersionConflict, DjangoValidationError)


def _read(request, repatriation_id) -> Repatriation:
    ensure_role(request.auth, *STAFF, what="api repatriation")
    return get_repatriation_for(request.auth, repatriation_id)


@router.post(
    "/cases/{case_id}/repatriations",
    response={201: RepatriationOut, 409: dict},
    summary="Start a repatriation from a case, with its reason: the template's steps",
)
def repatriation_start(request: HttpRequest, case_id: int, payload: RepatriationIn):
    ensure_role(request.auth, *STAFF, what="api repatriation_start")
    case = get_case_for(request.auth, case_id, for_write=True)
    try:
        rep = service.repatriation_start(actor=request.auth, case=case, reason=payload.reason)
    except REFUSALS as exc:
        return refused(exc)
    return Status(201, _out(rep.pk))


@router.get(
    "/cases/{case_id}/repatriations",
    response=list[RepatriationOut],
    summary="A case's repatriations with their steps and statements, newest first",
)
def repatriation_list(request: HttpRequest, case_id: int):
    ensure_role(request.auth, *STAFF, what="api repatriation_list")
    case = read_case_for(request.auth, case_id, reason="repatriations")
    reps = list(
        with_steps(case.repatriations.all())
        .prefetch_related("statements")
        .order_by("-created_at", "-id")
    )
    out = []
    for rep in reps:
        steps = decorate_steps(list(rep.steps.all()))
        rep.steps_done, rep.steps_total = progress(steps)
        out.append({**_fields(rep), "steps": steps, "statements": list(rep.statements.all())})
    return out


@router.get(
    "/repatriations/{repatriation_id}",
    response=RepatriationOut,
    summary="One repatriation: its steps in order, travel details and statements",
)
def repatriation_detail(request: HttpRequest, repatriation_id: int):
    rep = _read(request, repatriation_id)
    audit_record(actor=request.auth, action=AuditEvent.Action.VIEW, target=rep)
    return _out(rep.pk)


def _user(pk, field: str) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise field_error(field, _("Choose an active officer (Pasukan Putih)."), "invalid")
    return user


@router.patch(
    "/repatriations/{repatriation_id}",
    response={200: RepatriationOut, 409: dict},
    summary="Travel details: who pays, flight, point and time of arrival, needs, ...",
)
def repatriation_update(request: HttpRequest, repatriation_id: int, payload: RepatriationTravelIn):
    rep = _read(request, repatriation_id)
    values = payload.dict(exclude_unset=True)
    version = values.pop("version", None)
    if "met_by_id" in values:
        values["met_by"] = _user(values.pop("met_by_id"), "met_by_id")
    if "home_region_id" in values:
        pk = values.pop("home_region_id")
        values["home_region"] = Region.objects.filter(pk=pk).first() if pk else None
        if pk and values["home_region"] is None:
            raise field_error(
                "home_region_id", _("Choose the home city or regency from the list."), "invalid"
            )
    for key in ("payer", "payer_name", "flight", "debarkation"):
        if key in values and values[key] is None:
            values[key] = ""
    if values.get("needs") is None:
        values.pop("needs", None)
    if values.get("lacks_capacity") is None:
        values.pop("lacks_capacity", None)
    try:
        service.repatriation_update(actor=request.auth, repatriation=rep, version=version, **values)
    except REFUSALS as exc:
        return refused(exc)
    return _out(rep.pk)


@router.post(
    "/repatriations/{repatriation_id}/statements",
    response={201: StatementOut, 409: dict},
    summary="Record a signed statement: hand-over to the family or social services, or "
    "a refusal of rehabilitation",
)
def statement_record(request: HttpRequest, repatriation_id: int, payload: StatementIn):
    rep = _read(request, repatriation_id)
    try:
        statement = service.statement_record(actor=request.auth, repatriation=rep, **payload.dict())
    except REFUSALS as exc:
        return refused(exc)
    return Status(201, statement)


@router.get(
    "/repatriation-statements/{statement_id}/pdf",
    summary="The printable signed statement (berita acara), in Indonesian",
)
def statement_pdf(request: HttpRequest, statement_id: int):
    ensure_role(request.auth, *STAFF, what="api repatriation_statement_pdf")
    return statement_response(request.auth, get_statement_for(request.auth, statement_id))


@router.post(
    "/repatriations/{repatriation_id}/cancel",
    response={200: RepatriationOut, 409: dict},
    summary="Cancel a repatriation not yet arrived, with a reason",
)
def repatriation_cancel(request: HttpRequest, repatriation_id: int, payload: RepatriationReasonIn):
    rep = _read(request, repatriation_id)
    try:
        service.repatriation_cancel(actor=request.auth, repatriation=rep, reason=payload.reason)
    except REFUSALS as exc:
        return refused(exc)
    return _out(rep.pk)


# --- steps ----------------------------------------------------------------------------


def _step(request, step_id) -> RepatriationStep:
    ensure_role(request.auth, *STAFF, what="api repatriation_step")
    return get_repatriation_step_for(request.auth, step_id)


@router.post(
    "/repatriation-steps/{step_id}/complete",
    response={200: RepatriationOut, 409: dict},
    summary="Mark a step done (409 while an earlier required step is open)",
)
def step_complete(request: HttpRequest, step_id: int, payload: StepDoneIn | None = None):
    step = _step(request, step_id)
    try:
        service.step_complete(actor=request.auth, step=step, note=payload.note if payload else "")
    except REFUSALS as exc:
        return refused(exc)
    return _out(step.repatriation_id)


@router.post(
    "/repatriation-steps/{step_id}/not-needed",
    response={200: RepatriationOut, 409: dict},
    summary="An optional step this person does not need, with a reason",
)
def step_not_needed(request: HttpRequest, step_id: int, payload: RepatriationReasonIn):
    step = _step(request, step_id)
    try:
        service.step_not_needed(actor=request.auth, step=step, reason=payload.reason)
    except REFUSALS as exc:
        return refused(exc)
    return _out(step.repatriation_id)


@router.patch(
    "/repatriation-steps/{step_id}",
    response={200: RepatriationOut, 409: dict},
    summary="Who follows a step up (an officer) and by when",
)
def step_update(request: HttpRequest, step_id: int, payload: StepUpdateIn):
    step = _step(request, step_id)
    try:
        service.step_update(
            actor=request.auth,
            step=step,
            owner=_user(payload.owner_id, "owner_id"),
            due_at=payload.due_at,
        )
    except REFUSALS as exc:
        return refused(exc)
    return _out(step.repatriation_id)
