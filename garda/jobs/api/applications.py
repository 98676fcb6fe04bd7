"""Applications through the API (docs/applications.md, "API"): the worker applies,
answers a nomination, withdraws and reads their own; officers nominate; recruiters
(their company's orders), officers and admins move applications along the pipeline;
supervisors read. The same access functions and services as the pages.

- 201: an application (`applied`) or a nomination (`nominated`);
- 409: the order is closed (`order_closed`), a second application (`already_applied`),
  a person who may not apply (`person_not_eligible`), a skipped step (`wrong_state`),
  every position taken (`no_position_left`), a stale `version` (`version_conflict`),
  a step the placement records (`placement_step`);
- 422: bad input (a missing reason, an unknown status);
- 404 (with a `denied` row): an order, person or application the caller may not see;
  403: a role that never does this.

A POST to /job-orders/{id}/applications is the worker's own act, for themself: an
officer proposes a person with /nominations instead, and the worker's acceptance is
what shows their data to the company.
"""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.audit.gate import deny
from garda.jobs import access
from garda.jobs.access import applications as app_access
from garda.jobs.applicants import (
    applicant_rows,
    company_writers,
    reason_for,
    with_selection_data,
)
from garda.jobs.models import Application
from garda.jobs.services import applications as services
from garda.jobs.services.common import VersionConflict
from garda.pagination import MAX_PAGE, MAX_PAGE_SIZE, capped_count
from garda.people.access import get_person_for

router = Router(tags=["applications"])

A = Application.Status
READERS = tuple(sorted(app_access.READ_ROLES))
MOVERS = tuple(sorted(app_access.MOVE_ROLES))
NOMINATORS = tuple(sorted(app_access.NOMINATE_ROLES))
WITHDRAWERS = tuple(sorted(app_access.WITHDRAW_ROLES))
# Who answers a nomination: the worker, or an officer or admin on their word.
ANSWERERS = WITHDRAWERS
ONE_READERS = tuple(sorted(app_access.READ_ROLES | {roles.WORKER}))
PAGE_SIZE = 25


class JobsApplicationIn(Schema):
    person_id: int


class JobsApplicationMoveIn(Schema):
    status: str = Field(..., max_length=16, description="the step to move to")
    reason: str = Field("", max_length=500, description="needed to reject or withdraw")
    version: int | None = Field(None, description="the version read (optimistic locking)")


class JobsApplicationReasonIn(Schema):
    reason: str = Field("", max_length=500)
    version: int | None = None


class JobsApplicationOut(Schema):
    id: int
    order_id: int
    status: str
    status_label: str
    status_reason: str
    source: str
    version: int
    created_at: datetime
    status_changed_at: datetime


class JobsApplicationEventOut(Schema):
    from_status: str
    to_status: str
    reason: str
    created_at: datetime


class JobsApplicantOut(JobsApplicationOut):
    """An applicant as the selection reads them: never an identity number, an
    address, a phone, a document or a health result."""

    name: str
    age: int | None
    sex: str
    region: str = Field(description="the regency (kabupaten/kota) they live in")
    skills: list[str]
    certificates: list[str]
    languages: list[str]
    readiness_percent: int | None = Field(
        description="readiness for the order's destination, scheme and sector (null: "
        "not computed yet)"
    )


class JobsApplicantPageOut(Schema):
    items: list[JobsApplicantOut]
    count: int
    count_capped: bool = False


class JobsApplicationDetailOut(JobsApplicantOut):
    events: list[JobsApplicationEventOut]


class JobsMyApplicationOut(JobsApplicationOut):
    order_reference: str
    occupation_title: str
    destination: str
    company: str
    events: list[JobsApplicationEventOut]


class JobsMyApplicationPageOut(Schema):
    items: list[JobsMyApplicationOut]
    count: int
    count_capped: bool = False


class JobsApplicationPageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    status: str = Field("", max_length=16)


# --- answers -------------------------------------------------------------------------------


def conflict(detail: str, code: str, field: str = "status", **extra) -> Status:
    body = error_body(detail, [{"field": field, "code": code, "message": detail}])
    body.update(extra)
    return Status(409, body)


def _refused(exc: services.MoveRefused) -> Status:
    return conflict(
        exc.message + " " + _("Nothing was changed."), exc.code, status=exc.application.status
    )


def _stale(exc: VersionConflict) -> Status:
    return conflict(
        _(
            "Someone else moved this application since you read it: read it again. "
            "Nothing was changed."
        ),
        "version_conflict",
        field="version",
        version=exc.current.version,
    )


def _apply_refused(exc: services.ApplyRefused) -> Status:
    extra = {"application_id": exc.application.pk} if exc.application is not None else {}
    field = "person_id" if exc.code != "order_closed" else "order_id"
    return conflict(exc.message + " " + _("Nothing was changed."), exc.code, field=field, **extra)


def _plain(app: Application) -> dict:
    return {
        "id": app.pk,
        "order_id": app.order_id,
        "status": app.status,
        "status_label": app.get_status_display(),
        "status_reason": app.status_reason,
        "source": app.source,
        "version": app.version,
        "created_at": app.created_at,
        "status_changed_at": app.status_changed_at,
    }


def _events(user, app: Application) -> list[dict]:
    """The history; for a recruiter, the reasons their company did not write in
    neutral words (applicants.reason_for)."""
    writers = company_writers(user)
    return [
        {
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": reason_for(writers, e.to_status, e.reason, e.actor_id),
            "created_at": e.created_at,
        }
        for e in app.events.order_by("created_at", "id")
    ]


def _detail(user, pk: int) -> dict:
    app = with_selection_data(Application.objects.filter(pk=pk)).get()
    [row] = applicant_rows(user, [app])
    data = vars(row).copy()
    data.pop("application")
    data["events"] = _events(user, app)
    return data


def _answer(fn):
    """Call a move; its refusals as the module's docstring says."""
    try:
        app = fn()
    except VersionConflict as exc:
        return _stale(exc)
    except services.MoveRefused as exc:
        return _refused(exc)
    except services.ApplyRefused as exc:
        return _apply_refused(exc)
    return _plain(app)


# --- starting ------------------------------------------------------------------------------


@router.post(
    "/job-orders/{order_id}/applications",
    response={201: JobsApplicationOut, 409: dict},
    summary="Apply for a published job (the worker, for themself)",
)
def application_create(request: HttpRequest, order_id: int, payload: JobsApplicationIn):
    user = request.auth
    ensure_role(user, roles.WORKER, what="api application_create")
    person = get_person_for(user, payload.person_id)
    order = _order_for_worker(user, order_id)
    try:
        app = services.application_create(actor=user, order=order, person=person)
    except services.ApplyRefused as exc:
        return _apply_refused(exc)
    return Status(201, _plain(app))


def _order_for_worker(user, order_id: int):
    """An order a worker may apply to: any they could have seen on the board (a
    closed one answers 409 `order_closed`, not 404); a draft or an order waiting for
    verification is a 404."""
    from garda.audit.gate import deny_not_found
    from garda.jobs.models import JobOrder

    shown = (JobOrder.Status.VERIFIED, JobOrder.Status.CLOSED, JobOrder.Status.CANCELLED)
    order = JobOrder.objects.filter(pk=order_id, status__in=shown).first()
    if order is None:
        deny_not_found(user, "jobs.joborder", order_id, "api application_create")
    return order


@router.post(
    "/job-orders/{order_id}/nominations",
    response={201: JobsApplicationOut, 409: dict},
    summary="Propose a person for a published job (officers); the worker accepts or declines",
)
def application_nominate(request: HttpRequest, order_id: int, payload: JobsApplicationIn):
    user = request.auth
    ensure_role(user, *NOMINATORS, what="api application_nominate")
    order = access.get_order_for(user, order_id)
    person = get_person_for(user, payload.person_id)
    try:
        app = services.application_nominate(actor=user, order=order, person=person)
    except services.ApplyRefused as exc:
        return _apply_refused(exc)
    return Status(201, _plain(app))


# --- reading -----------------------------------------------------------------------------------


@router.get(
    "/job-orders/{order_id}/applications",
    response=JobsApplicantPageOut,
    summary="The applications of an order, with the data selection needs",
)
def application_list(request: HttpRequest, order_id: int, query: Query[JobsApplicationPageIn]):
    user = request.auth
    ensure_role(user, *READERS, what="api application_list")
    order = access.get_order_for(user, order_id)
    qs = app_access.order_applications(user, order)
    if query.status:
        qs = qs.filter(status=query.status)
    qs = qs.order_by("-created_at", "-id")
    count, capped = capped_count(qs)
    start = (query.page - 1) * query.page_size
    page = with_selection_data(qs)[start : start + query.page_size]
    items = []
    for row in applicant_rows(user, page):
        data = vars(row).copy()
        data.pop("application")
        items.append(data)
    return {"items": items, "count": count, "count_capped": capped}


@router.get(
    "/applications/{application_id}",
    response=JobsApplicationDetailOut,
    summary="One application with its history",
)
def application_get(request: HttpRequest, application_id: int):
    user = request.auth
    ensure_role(user, *ONE_READERS, what="api application_get")
    app = app_access.get_application_for(user, application_id)
    return _detail(user, app.pk)


@router.get(
    "/me/applications",
    response=JobsMyApplicationPageOut,
    summary="The worker's own applications and nominations, with their history",
)
def my_applications(request: HttpRequest, query: Query[JobsApplicationPageIn]):
    user = request.auth
    ensure_role(user, roles.WORKER, what="api my_applications")
    qs = app_access.visible_applications(user)
    if query.status:
        qs = qs.filter(status=query.status)
    qs = qs.select_related("order", "order__agency").order_by("-created_at", "-id")
    count, capped = capped_count(qs)
    start = (query.page - 1) * query.page_size
    page = list(qs.prefetch_related("events")[start : start + query.page_size])
    items = []
    for app in page:
        events = sorted(app.events.all(), key=lambda e: (e.created_at, e.pk))
        items.append(
            {
                **_plain(app),
                "order_reference": app.order.reference,
                "occupation_title": app.order.occupation_title,
                "destination": app.order.destination,
                "company": app.order.agency.name if app.order.agency_id else "",
                "events": [
                    {
                        "from_status": e.from_status,
                        "to_status": e.to_status,
                        "reason": e.reason,
                        "created_at": e.created_at,
                    }
                    for e in events
                ],
            }
        )
    return {"items": items, "count": count, "count_capped": capped}


# --- moving ----------------------------------------------------------------------------------


@router.post(
    "/applications/{application_id}/move",
    response={200: JobsApplicationOut, 409: dict},
    summary="Move an application one step (shortlisted, interviewed, selected), or reject "
    "it (with a reason); an officer may withdraw it for the worker",
)
def application_move(request: HttpRequest, application_id: int, payload: JobsApplicationMoveIn):
    user = request.auth
    ensure_role(user, *MOVERS, what="api application_move")
    app = app_access.get_application_for(user, application_id)
    to = payload.status
    if to in app_access.PLACEMENT_STEPS:
        return conflict(
            _(
                "A signed contract and the departure are recorded on the placement, "
                "not here. Nothing was changed."
            ),
            "placement_step",
            status=app.status,
        )
    if to in A.values and to not in app_access.MOVE_TARGETS:
        if to in (A.APPLIED, A.DECLINED):
            detail = _("Only the worker answers a nomination. Nothing was changed.")
        else:
            detail = _(
                "Nobody makes this step: an application lapses when its order closes. "
                "Nothing was changed."
            )
        return conflict(detail, "wrong_state", status=app.status)
    if to in A.values and not app_access.may_move(user, app, to):
        deny(user, "jobs.application_move:" + to, target=app)
    return _answer(
        lambda: services.application_move(
            actor=user,
            application=app,
            to_status=to,
            reason=payload.reason,
            version=payload.version,
        )
    )


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: JobsApplicationOut, 409: dict},
    summary="Withdraw an application, with the reason (the worker, or an officer for them)",
)
def application_withdraw(
    request: HttpRequest, application_id: int, payload: JobsApplicationReasonIn
):
    user = request.auth
    ensure_role(user, *WITHDRAWERS, what="api application_withdraw")
    app = app_access.get_application_for(user, application_id)
    return _answer(
        lambda: services.application_withdraw(
            actor=user, application=app, reason=payload.reason, version=payload.version
        )
    )


@router.post(
    "/applications/{application_id}/accept",
    response={200: JobsApplicationOut, 409: dict},
    summary=(
        "Accept a nomination (the worker; or an officer recording the worker's yes, with "
        "`reason` saying how and when): the application is made"
    ),
)
def nomination_accept(
    request: HttpRequest, application_id: int, payload: JobsApplicationReasonIn | None = None
):
    user = request.auth
    ensure_role(user, *ANSWERERS, what="api nomination_accept")
    app = app_access.get_application_for(user, application_id)
    version = payload.version if payload else None
    reason = payload.reason if payload else ""
    return _answer(
        lambda: services.nomination_accept(
            actor=user, application=app, version=version, reason=reason
        )
    )


@router.post(
    "/applications/{application_id}/decline",
    response={200: JobsApplicationOut, 409: dict},
    summary="Decline a nomination (the worker, or an officer recording it), with the reason",
)
def nomination_decline(request: HttpRequest, application_id: int, payload: JobsApplicationReasonIn):
    user = request.auth
    ensure_role(user, *ANSWERERS, what="api nomination_decline")
    app = app_access.get_application_for(user, application_id)
    return _answer(
        lambda: services.nomination_decline(
            actor=user, application=app, reason=payload.reason, version=payload.version
        )
    )
