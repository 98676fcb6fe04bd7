"""Job orders through the API: recruiters (their company's), officers (verify, reject),
supervisors (read), admins. The same access functions and services as the pages;
errors in the project's one format:

- 422: bad input (an unknown destination, a negative wage, a missing reason);
- 409: the order's state forbids the move (code "not_allowed": a draft cannot be
  verified), a stale `version` ("version_conflict"), or verification refused by the
  checks ("checks_failed", with the failing `checks` and the warnings that need a
  reason, `warnings_need_reason`);
- 404: an order the caller may not see or change (a `denied` audit row); 403: a role
  that never handles job orders, or a move the caller's role may not make.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.destinations.models import RequirementSet
from garda.jobs import access, checks, facts
from garda.jobs.models import JobOrder, PlacementAgency
from garda.jobs.schemas import (
    ChecksOut,
    JobOrderIn,
    JobOrderListOut,
    JobOrderOut,
    JobOrderPatch,
    OrderFilter,
    OrderReasonIn,
    VerifyIn,
)
from garda.jobs.services import orders as services
from garda.jobs.services.common import VersionConflict
from garda.pagination import Pagination

router = Router(tags=["job orders"])

READERS = tuple(sorted(access.ORDER_ROLES))
WRITERS = tuple(sorted(access.WRITE_ROLES))
VERIFIERS = tuple(sorted(access.VERIFY_ROLES))


def _bad(field: str, message) -> DjangoValidationError:
    return DjangoValidationError({field: DjangoValidationError(message, code="invalid")})


def order_data(user, values: dict) -> services.OrderData:
    """The API's body as the service's OrderData: ids become the objects the caller
    may name (an employer they cannot see is refused like a missing one)."""
    values = dict(values)
    agency_id = values.pop("agency_id", None)
    employer_id = values.pop("employer_id", None)
    partner_id = values.pop("partner_id", None)
    set_id = values.pop("requirement_set_id", None)
    course_ids = values.pop("required_course_ids", None) or []
    values.pop("version", None)
    values["worker_costs"] = [
        {"item": c["item"], "amount": str(c["amount"]), "currency": c["currency"]}
        for c in values.get("worker_costs") or []
    ]
    for name in ("destination", "wage_currency"):
        if values.get(name):
            values[name] = values[name].strip().upper()
    errors = {}
    if agency_id is not None and user.role != "recruiter":  # a recruiter's is their own
        values["agency"] = PlacementAgency.objects.filter(pk=agency_id).first()
        if values["agency"] is None:
            errors["agency_id"] = _("No placement company has this id.")
    if employer_id is not None:
        values["employer"] = access.visible_employers(user).filter(pk=employer_id).first()
        if values["employer"] is None:
            errors["employer_id"] = _("No employer you can see has this id.")
    if partner_id is not None:
        values["partner"] = access.visible_partners(user).filter(pk=partner_id).first()
        if values["partner"] is None:
            errors["partner_id"] = _("No foreign partner you can see has this id.")
    if set_id is not None:
        values["requirement_set"] = RequirementSet.objects.filter(pk=set_id).first()
        if values["requirement_set"] is None:
            errors["requirement_set_id"] = _("No requirement set has this id.")
    if course_ids:
        from garda.training.models import Course

        values["required_courses"] = list(Course.objects.filter(pk__in=set(course_ids)))
        if len(values["required_courses"]) != len(set(course_ids)):
            errors["required_course_ids"] = _("No course has one of these ids.")
    if errors:
        raise DjangoValidationError(
            {k: DjangoValidationError(v, code="invalid") for k, v in errors.items()}
        )
    for name in ("food", "lodging", "transport", "ticket_paid_by", "wage_period"):
        if values.get(name) is None:
            values.pop(name, None)
    return services.OrderData(**values)


def _current(order: JobOrder) -> dict:
    """The order's values in OrderData's names (PATCH starts from them)."""
    values = {}
    for name in services.FIELDS:
        if name in ("agency", "employer", "partner", "requirement_set"):
            values[f"{name}_id"] = getattr(order, f"{name}_id")
        elif name == "required_courses":
            values["required_course_ids"] = list(
                order.required_courses.values_list("pk", flat=True)
            )
        else:
            values[name] = getattr(order, name)
    values["worker_costs"] = list(order.worker_costs or [])
    return values


def conflict(detail: str, code: str, field: str = "status", **extra) -> Status:
    body = error_body(detail, [{"field": field, "code": code, "message": detail}])
    body.update(extra)
    return Status(409, body)


def refused(exc: services.MoveRefused) -> Status:
    return conflict(
        str(exc.message) + " " + _("Nothing was changed."), "not_allowed", status=exc.order.status
    )


def stale(exc: VersionConflict) -> Status:
    return conflict(
        _("Someone else changed this order since you read it: read it again. Nothing was changed."),
        "version_conflict",
        field="version",
        version=exc.current.version,
    )


def _detail(pk) -> JobOrder:
    return JobOrder.objects.get(pk=pk)


@router.post("/job-orders", response={201: JobOrderOut}, summary="Write a job order (a draft)")
def job_order_create(request: HttpRequest, payload: JobOrderIn):
    ensure_role(request.auth, *WRITERS, what="api job_order_create")
    order = services.order_create(actor=request.auth, data=order_data(request.auth, payload.dict()))
    return Status(201, _detail(order.pk))


@router.get(
    "/job-orders", response=list[JobOrderListOut], summary="The job orders the caller may see"
)
@paginate(Pagination, page_size=25)
def job_order_list(request: HttpRequest, filters: Query[OrderFilter]):
    ensure_role(request.auth, *READERS, what="api job_order_list")
    qs = access.visible_orders(request.auth)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.destination:
        qs = qs.filter(destination=filters.destination.upper())
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    return qs.order_by("-updated_at", "-id")


@router.get("/job-orders/{order_id}", response=JobOrderOut, summary="One job order")
def job_order_get(request: HttpRequest, order_id: int):
    ensure_role(request.auth, *READERS, what="api job_order_get")
    return access.get_order_for(request.auth, order_id)


@router.patch(
    "/job-orders/{order_id}",
    response={200: JobOrderOut, 409: dict},
    summary="Change a job order (only the fields given); a verified order goes back "
    "for verification",
)
def job_order_update(request: HttpRequest, order_id: int, payload: JobOrderPatch):
    ensure_role(request.auth, *WRITERS, what="api job_order_update")
    order = access.get_order_for(request.auth, order_id, for_write=True)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version", None)
    values = _current(order)
    values.update({k: v for k, v in given.items()})
    if "worker_costs" in given:
        values["worker_costs"] = [dict(c) for c in given["worker_costs"]]
    try:
        order = services.order_update(
            actor=request.auth,
            order=order,
            data=order_data(request.auth, values),
            version=version,
        )
    except VersionConflict as exc:
        return stale(exc)
    except services.MoveRefused as exc:
        return refused(exc)
    return _detail(order.pk)


@router.get(
    "/job-orders/{order_id}/checks",
    response=ChecksOut,
    summary="The fair-recruitment checks of the order, run now against today's rules",
)
def job_order_checks(request: HttpRequest, order_id: int):
    ensure_role(request.auth, *READERS, what="api job_order_checks")
    order = access.get_order_for(request.auth, order_id)
    found = facts.order_checks(order)
    return {"checks": [c.as_dict() for c in found], "verdict": checks.verdict(found)}


def _moved(fn, request, order_id: int, **kwargs):
    order = access.get_order_for(request.auth, order_id)
    try:
        order = fn(actor=request.auth, order=order, **kwargs)
    except VersionConflict as exc:
        return stale(exc)
    except services.MoveRefused as exc:
        return refused(exc)
    return _detail(order.pk)


@router.post(
    "/job-orders/{order_id}/submit",
    response={200: JobOrderOut, 409: dict},
    summary="Send a draft (or a rejected order, fixed) for verification",
)
def job_order_submit(request: HttpRequest, order_id: int, payload: OrderReasonIn | None = None):
    ensure_role(request.auth, *WRITERS, what="api job_order_submit")
    order = access.get_order_for(request.auth, order_id, for_write=True)
    return _moved(
        services.order_submit, request, order.pk, version=payload.version if payload else None
    )


@router.post(
    "/job-orders/{order_id}/verify",
    response={200: JobOrderOut, 409: dict},
    summary="Verify and publish an order: 409 with the failed checks otherwise",
)
def job_order_verify(request: HttpRequest, order_id: int, payload: VerifyIn | None = None):
    ensure_role(request.auth, *VERIFIERS, what="api job_order_verify")
    order = access.get_order_for(request.auth, order_id)
    payload = payload or VerifyIn()
    try:
        order = services.order_verify(
            actor=request.auth,
            order=order,
            accepted_warnings=payload.accepted_warnings,
            version=payload.version,
        )
    except VersionConflict as exc:
        return stale(exc)
    except services.MoveRefused as exc:
        return refused(exc)
    except services.ChecksFailed as exc:
        if exc.failed:
            detail = _(
                "The order fails %(n)s check(s): it cannot be published. Nothing was changed."
            ) % {"n": len(exc.failed)}
        else:
            detail = _("Say why each warning is acceptable before publishing. Nothing was changed.")
        return conflict(
            detail,
            "checks_failed",
            field="checks",
            checks=[c for c in exc.checks if c["result"] != checks.PASS],
            warnings_need_reason=exc.unexplained,
        )
    return _detail(order.pk)


@router.post(
    "/job-orders/{order_id}/reject",
    response={200: JobOrderOut, 409: dict},
    summary="Reject a submitted order, with the reasons",
)
def job_order_reject(request: HttpRequest, order_id: int, payload: OrderReasonIn):
    ensure_role(request.auth, *VERIFIERS, what="api job_order_reject")
    return _moved(
        services.order_reject, request, order_id, reason=payload.reason, version=payload.version
    )


@router.post(
    "/job-orders/{order_id}/close",
    response={200: JobOrderOut, 409: dict},
    summary="Close a published order (its positions are filled)",
)
def job_order_close(request: HttpRequest, order_id: int, payload: OrderReasonIn | None = None):
    ensure_role(request.auth, *WRITERS, what="api job_order_close")
    payload = payload or OrderReasonIn()
    return _moved(
        services.order_close, request, order_id, reason=payload.reason, version=payload.version
    )


@router.post(
    "/job-orders/{order_id}/cancel",
    response={200: JobOrderOut, 409: dict},
    summary="Cancel an order, with the reason",
)
def job_order_cancel(request: HttpRequest, order_id: int, payload: OrderReasonIn):
    ensure_role(request.auth, *WRITERS, what="api job_order_cancel")
    return _moved(
        services.order_cancel, request, order_id, reason=payload.reason, version=payload.version
    )
