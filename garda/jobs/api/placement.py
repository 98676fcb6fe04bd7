"""Placements and orientation sessions through the API (docs/placement.md, "API"):
the same access functions and services as the pages.

- 422: bad input (an 11-digit BPJS number that is not, a contract signed tomorrow);
- 409: the placement's state forbids the step (`wrong_state`, `steps_missing`,
  `session_full`, `exists`), or a stale `version` (`version_conflict`);
- 404: a placement the caller may not see (a `denied` row); 403: a role that never
  handles placements, or a section the caller's role may not write.

The BPJS and visa numbers are always masked here (the reveal is the page's audited
POST); the export never has the NIK.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.audit.gate import deny, deny_not_found
from garda.crypto import mask
from garda.jobs import access
from garda.jobs.access.placement import (
    BOARD_ROLES,
    PLACEMENT_ROLES,
    READ_ROLES,
    get_placement_for,
    get_session_for,
    visible_placements,
    visible_sessions,
)
from garda.jobs.models import Application, OrientationSession, Placement
from garda.jobs.services import orientation as sessions
from garda.jobs.services import placement as services
from garda.jobs.services.applications import MoveRefused
from garda.jobs.services.common import VersionConflict
from garda.pagination import Pagination
from garda.people.access import person_read

router = Router(tags=["placements"])

READERS = tuple(sorted(PLACEMENT_ROLES))
OFFICE = (roles.ADMIN, roles.OFFICER)
WRITERS = (roles.ADMIN, roles.OFFICER, roles.RECRUITER)
BOARD = tuple(sorted(BOARD_ROLES))
SESSION_READERS = tuple(sorted(READ_ROLES))


# --- schemas ------------------------------------------------------------------------------


class JobsPlacementDifference(Schema):
    field: str
    order: str
    signed: str
    lower: bool = False
    message: str


class JobsPlacementOut(Schema):
    id: int
    application_id: int
    person_id: int
    person_name: str
    order_id: int
    order_reference: str
    destination: str
    employer_id: int | None
    agency_id: int | None
    status: str
    status_label: str
    contract_signed_on: date | None
    contract_months: int | None
    wage_amount: Decimal | None
    wage_currency: str
    wage_period: str
    differences: list[JobsPlacementDifference]
    bpjs_number: str = Field(description="always masked")
    bpjs_programmes: list[str]
    orientation_session_id: int | None
    orientation_attended_on: date | None
    orientation_place: str
    orientation_certificate: str
    visa_number: str = Field(description="always masked")
    visa_issued_on: date | None
    visa_valid_until: date | None
    departure_date: date | None
    flight: str
    departed_at: datetime | None
    arrived_on: date | None
    ends_on: date | None
    missing_steps: list[str]
    card_valid: bool
    card_url: str = Field("", description="the worker's and the office's only")
    version: int


class JobsPlacementPatch(Schema):
    """Only the fields given change; each group (contract, BPJS, orientation, visa,
    travel) is checked as a whole and all are saved together or none."""

    contract_signed_on: date | None = None
    contract_months: int | None = None
    wage_amount: Decimal | None = None
    wage_currency: str | None = None
    wage_period: str | None = None
    bpjs_number: str | None = None
    bpjs_programmes: list[str] | None = None
    orientation_session_id: int | None = None
    orientation_attended_on: date | None = None
    orientation_place: str | None = None
    orientation_certificate: str | None = None
    visa_number: str | None = None
    visa_issued_on: date | None = None
    visa_valid_until: date | None = None
    departure_date: date | None = None
    flight: str | None = None
    version: int | None = None


class JobsPlacementDepartIn(Schema):
    departed_at: datetime | None = None
    version: int | None = None


class JobsPlacementArriveIn(Schema):
    arrived_on: date | None = None
    version: int | None = None


class JobsPlacementCancelIn(Schema):
    reason: str
    by_worker: bool = False
    version: int | None = None


class JobsPlacementFilter(Schema):
    page: int = Field(1, ge=1, le=10000)
    page_size: int = Field(25, ge=1, le=100)
    status: str | None = None
    departure_from: date | None = None
    departure_to: date | None = None


class JobsOrientationSessionIn(Schema):
    starts_at: datetime
    place: str
    capacity: int
    destination: str = ""
    batch_id: int | None = None
    notes: str = ""


class JobsOrientationSessionPatch(Schema):
    starts_at: datetime | None = None
    place: str | None = None
    capacity: int | None = None
    destination: str | None = None
    batch_id: int | None = None
    notes: str | None = None


class JobsOrientationSessionOut(Schema):
    id: int
    starts_at: datetime
    place: str
    capacity: int
    taken: int
    destination: str
    batch_id: int | None
    notes: str


# --- helpers ----------------------------------------------------------------------------------


def conflict(detail: str, code: str, field: str = "status", **extra) -> Status:
    body = error_body(detail, [{"field": field, "code": code, "message": detail}])
    body.update(extra)
    return Status(409, body)


def _refused(exc) -> Status:
    if isinstance(exc, VersionConflict):
        return conflict(
            _(
                "Someone else changed this placement since you read it: read it again. "
                "Nothing was changed."
            ),
            "version_conflict",
            field="version",
            version=exc.current.version,
        )
    if isinstance(exc, MoveRefused):
        return conflict(
            _("The application is not at a step this allows. Nothing was changed."), exc.code
        )
    return conflict(str(exc.message) + " " + _("Nothing was changed."), exc.code)


def placement_out(user, p: Placement) -> dict:
    from garda.jobs.views.card import card_url

    shows_card = user.role in (roles.WORKER, *BOARD_ROLES)
    return {
        "id": p.pk,
        "application_id": p.application_id,
        "person_id": p.person_id,
        "person_name": p.person.full_name,
        "order_id": p.order_id,
        "order_reference": p.order.reference,
        "destination": p.order.destination,
        "employer_id": p.employer_id,
        "agency_id": p.agency_id,
        "status": p.status,
        "status_label": str(Placement.Status(p.status).label),
        "contract_signed_on": p.contract_signed_on,
        "contract_months": p.contract_months,
        "wage_amount": p.wage_amount,
        "wage_currency": p.wage_currency,
        "wage_period": p.wage_period,
        "differences": [
            {**d, "order": str(d.get("order", "")), "signed": str(d.get("signed", ""))}
            for d in p.differences or []
        ],
        "bpjs_number": mask(p.bpjs_number),
        "bpjs_programmes": p.bpjs_programmes or [],
        "orientation_session_id": p.orientation_id,
        "orientation_attended_on": p.orientation_attended_on,
        "orientation_place": p.orientation_place,
        "orientation_certificate": p.orientation_certificate,
        "visa_number": mask(p.visa_number),
        "visa_issued_on": p.visa_issued_on,
        "visa_valid_until": p.visa_valid_until,
        "departure_date": p.departure_date,
        "flight": p.flight,
        "departed_at": p.departed_at,
        "arrived_on": p.arrived_on,
        "ends_on": p.ends_on,
        "missing_steps": services.missing_steps(p),
        "card_valid": services.card_valid(p),
        "card_url": card_url(p) if shows_card and services.card_valid(p) else "",
        "version": p.version,
    }


def _fresh(user, pk) -> dict:
    p = Placement.objects.select_related("person", "order").get(pk=pk)
    return placement_out(user, p)


# --- placements -------------------------------------------------------------------------------


@router.post(
    "/applications/{application_id}/placement",
    response={201: JobsPlacementOut, 409: dict},
    summary="Make a placement from a selected application",
)
def placement_create(request: HttpRequest, application_id: int):
    ensure_role(request.auth, *OFFICE, what="api placement_create")
    app = (
        Application.objects.filter(order__in=access.visible_orders(request.auth))
        .filter(pk=application_id)
        .first()
    )
    if app is None:
        deny_not_found(request.auth, "jobs.application", application_id, "api placement_create")
    try:
        placement = services.placement_create(actor=request.auth, application=app)
    except services.PlacementRefused as exc:
        return _refused(exc)
    return Status(201, _fresh(request.auth, placement.pk))


class JobsPlacementPage(Schema):
    items: list[JobsPlacementOut]
    count: int


@router.get("/placements", response=JobsPlacementPage, summary="The placements the caller may see")
def placement_list(
    request: HttpRequest,
    filters: Query[JobsPlacementFilter],
):
    """Soonest departure first; `page` and `page_size` (at most 100)."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    ensure_role(request.auth, *READERS, what="api placement_list")
    qs = visible_placements(request.auth).select_related("person", "order")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.departure_from:
        qs = qs.filter(departure_date__gte=filters.departure_from)
    if filters.departure_to:
        qs = qs.filter(departure_date__lte=filters.departure_to)
    audit_record(
        actor=request.auth,
        action=AuditEvent.Action.VIEW,
        object_type="jobs.placement",
        reason="api list",
    )
    qs = qs.order_by("departure_date", "pk")
    start = (filters.page - 1) * filters.page_size
    items = [placement_out(request.auth, p) for p in qs[start : start + filters.page_size]]
    return {"items": items, "count": qs.count()}


@router.get(
    "/placements/export.csv",
    summary="Export placements for SISKOP2MI as CSV (masked, no NIK, audited)",
    response={200: None},
)
def placement_export(
    request: HttpRequest,
    status: str = "all",
    since: date | None = None,
    until: date | None = None,
):
    """The layout of docs/placement.md. Officers, supervisors and admins; one
    EXPORT audit row per export, with the row count."""
    from garda.jobs.views.placement import audit_export, csv_response, export_filter

    ensure_role(request.auth, *BOARD, what="api placement_export")
    qs = export_filter(request.auth, status, since, until)
    audit_export(request.auth, qs)
    response: StreamingHttpResponse = csv_response(qs)
    return response


@router.get("/placements/{placement_id}", response=JobsPlacementOut, summary="One placement")
def placement_get(request: HttpRequest, placement_id: int):
    ensure_role(request.auth, *READERS, what="api placement_get")
    placement = get_placement_for(request.auth, placement_id)
    person_read(request.auth, placement.person, reason="placement")
    return placement_out(request.auth, placement)


CONTRACT_KEYS = (
    "contract_signed_on",
    "contract_months",
    "wage_amount",
    "wage_currency",
    "wage_period",
)


@router.patch(
    "/placements/{placement_id}",
    response={200: JobsPlacementOut, 409: dict},
    summary="Record the contract, BPJS, orientation, visa or travel of a placement",
)
def placement_update(request: HttpRequest, placement_id: int, payload: JobsPlacementPatch):
    ensure_role(request.auth, *WRITERS, what="api placement_update")
    user = request.auth
    placement = get_placement_for(user, placement_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version", None)
    groups = {}
    if any(k in given for k in CONTRACT_KEYS):
        groups["contract"] = None
    for section, names in services.SECTIONS.items():
        keys = set(names) | ({"orientation_session_id"} if section == "orientation" else set())
        picked = {k: v for k, v in given.items() if k in keys}
        if picked:
            groups[section] = picked
    for section in groups:
        if not services.may_write_section(user, placement, section):
            deny(user, f"api placement_update {section}", target=placement)
    try:
        with transaction.atomic():
            for section, data in groups.items():
                if section == "contract":
                    contract = services.ContractData(
                        signed_on=given.get("contract_signed_on", placement.contract_signed_on),
                        months=given.get("contract_months", placement.contract_months),
                        wage_amount=given.get("wage_amount", placement.wage_amount),
                        wage_currency=given.get("wage_currency", placement.wage_currency) or "",
                        wage_period=given.get("wage_period", placement.wage_period) or "",
                    )
                    try:
                        placement = services.placement_record_contract(
                            actor=user, placement=placement, data=contract, version=version
                        )
                    except DjangoValidationError as exc:
                        raise _api_names(exc) from None
                else:
                    if "orientation_session_id" in data:
                        pk = data.pop("orientation_session_id")
                        data["orientation"] = (
                            OrientationSession.objects.filter(pk=pk).first() if pk else None
                        )
                        if pk and data["orientation"] is None:
                            from django.core.exceptions import ValidationError

                            raise ValidationError(
                                {"orientation_session_id": _("No orientation session has this id.")}
                            )
                    placement = services.placement_update(
                        actor=user, placement=placement, section=section, data=data, version=version
                    )
                version = None  # checked once, on the first write
    except (services.PlacementRefused, VersionConflict, MoveRefused) as exc:
        return _refused(exc)
    return _fresh(user, placement.pk)


# The contract's service speaks of `signed_on` and `months`; the API of the fields it takes.
CONTRACT_NAMES = {"signed_on": "contract_signed_on", "months": "contract_months"}


def _api_names(exc: DjangoValidationError) -> DjangoValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError({CONTRACT_NAMES.get(k, k): v for k, v in exc.error_dict.items()})


def _step(request, placement_id: int, fn, **kwargs):
    ensure_role(request.auth, *OFFICE, what=f"api {fn.__name__}")
    placement = get_placement_for(request.auth, placement_id)
    try:
        placement = fn(actor=request.auth, placement=placement, **kwargs)
    except (services.PlacementRefused, VersionConflict, MoveRefused) as exc:
        return _refused(exc)
    return _fresh(request.auth, placement.pk)


@router.post(
    "/placements/{placement_id}/depart",
    response={200: JobsPlacementOut, 409: dict},
    summary="Record the departure (the person moves to departed)",
)
def placement_depart(request: HttpRequest, placement_id: int, payload: JobsPlacementDepartIn):
    return _step(
        request,
        placement_id,
        services.placement_depart,
        departed_at=payload.departed_at,
        version=payload.version,
    )


@router.post(
    "/placements/{placement_id}/arrive",
    response={200: JobsPlacementOut, 409: dict},
    summary="Record the arrival (the person moves to abroad)",
)
def placement_arrive(request: HttpRequest, placement_id: int, payload: JobsPlacementArriveIn):
    return _step(
        request,
        placement_id,
        services.placement_arrive,
        arrived_on=payload.arrived_on,
        version=payload.version,
    )


@router.post(
    "/placements/{placement_id}/cancel",
    response={200: JobsPlacementOut, 409: dict},
    summary="Cancel a placement still preparing (with a reason)",
)
def placement_cancel(request: HttpRequest, placement_id: int, payload: JobsPlacementCancelIn):
    return _step(
        request,
        placement_id,
        services.placement_cancel,
        reason=payload.reason,
        by_worker=payload.by_worker,
        version=payload.version,
    )


# --- orientation sessions ------------------------------------------------------------------------


def _session_out(session: OrientationSession) -> dict:
    taken = session.placements.exclude(status=Placement.Status.CANCELLED).count()
    return {
        "id": session.pk,
        "starts_at": session.starts_at,
        "place": session.place,
        "capacity": session.capacity,
        "taken": taken,
        "destination": session.destination,
        "batch_id": session.batch_id,
        "notes": session.notes,
    }


def _batch(batch_id):
    if batch_id is None:
        return None
    from django.core.exceptions import ValidationError

    from garda.training.models import Batch

    batch = Batch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise ValidationError({"batch_id": _("No training batch has this id.")})
    return batch


@router.get(
    "/orientation-sessions",
    response=list[JobsOrientationSessionOut],
    summary="Pre-departure orientation sessions",
)
@paginate(Pagination, page_size=25)
def session_list(request: HttpRequest):
    from django.db.models import Count, Q

    ensure_role(request.auth, *SESSION_READERS, what="api orientation_list")
    qs = visible_sessions(request.auth).annotate(
        taken=Count("placements", filter=~Q(placements__status=Placement.Status.CANCELLED))
    )
    return qs.order_by("-starts_at", "-pk")


@router.post(
    "/orientation-sessions",
    response={201: JobsOrientationSessionOut},
    summary="Plan an orientation session",
)
def session_create(request: HttpRequest, payload: JobsOrientationSessionIn):
    ensure_role(request.auth, *OFFICE, what="api orientation_create")
    data = sessions.SessionData(
        starts_at=payload.starts_at,
        place=payload.place,
        capacity=payload.capacity,
        destination=payload.destination,
        batch=_batch(payload.batch_id),
        notes=payload.notes,
    )
    session = sessions.session_create(actor=request.auth, data=data)
    return Status(201, _session_out(session))


@router.get(
    "/orientation-sessions/{session_id}",
    response=JobsOrientationSessionOut,
    summary="One orientation session",
)
def session_get(request: HttpRequest, session_id: int):
    ensure_role(request.auth, *SESSION_READERS, what="api orientation_get")
    return _session_out(get_session_for(request.auth, session_id))


@router.patch(
    "/orientation-sessions/{session_id}",
    response=JobsOrientationSessionOut,
    summary="Change an orientation session (only the fields given)",
)
def session_update(request: HttpRequest, session_id: int, payload: JobsOrientationSessionPatch):
    ensure_role(request.auth, *OFFICE, what="api orientation_update")
    session = get_session_for(request.auth, session_id, for_write=True)
    given = payload.dict(exclude_unset=True)
    data = sessions.SessionData(
        starts_at=given.get("starts_at", session.starts_at),
        place=given.get("place", session.place) or "",
        capacity=given.get("capacity", session.capacity),
        destination=given.get("destination", session.destination) or "",
        batch=_batch(given["batch_id"]) if "batch_id" in given else session.batch,
        notes=given.get("notes", session.notes) or "",
    )
    session = sessions.session_update(actor=request.auth, session=session, data=data)
    return _session_out(session)


@router.delete(
    "/orientation-sessions/{session_id}",
    response={204: None, 409: dict},
    summary="Delete an orientation session nobody is on",
)
def session_delete(request: HttpRequest, session_id: int):
    ensure_role(request.auth, *OFFICE, what="api orientation_delete")
    session = get_session_for(request.auth, session_id, for_write=True)
    try:
        sessions.session_delete(actor=request.auth, session=session)
    except services.PlacementRefused as exc:
        return _refused(exc)
    return Status(204, None)
