"""The cases API for staff (officers, supervisors, admins): intake, the list, one case
and its workflow (move, assign, severity, reopen, the person concerned, closing
approvals). Notes, screening, tasks, services and the timeline are in api/record.py;
the worker's own cases in api/mine.py. The same access functions and services as the
pages; errors in the project's one format:

- 422: bad input (a missing reason, a field the intake form refuses);
- 409: the case's state forbids it: a move that skips a stage (code "skipped_stage"),
  a stale `version` ("version_conflict"), an approval already decided ("decided");
- 202: the close was recorded as a request a supervisor must approve;
- 404: a case the caller may not see or handle (a `denied` audit row); 403: a role
  that never handles cases, or an action the caller's role may not take.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from garda.accompaniment.access import officers
from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body, form_errors
from garda.cases import forms, screening, workflow
from garda.cases.access import (
    CASE_ROLES,
    get_case_for,
    get_case_part_for,
    may_handle,
    read_case_for,
    read_cases,
)
from garda.cases.models import Approval, Case, CaseKind, Clock, Stage
from garda.cases.models import Status as CaseStatus
from garda.cases.partners import CaseReferredOut, read_referred_case
from garda.cases.schemas import (
    ApprovalDecisionIn,
    ApprovalOut,
    AssignIn,
    CaseCreatedOut,
    CaseFilter,
    CaseIn,
    CaseListOut,
    CaseOut,
    CaseReasonIn,
    MoveIn,
    MovePendingOut,
    PersonLinkIn,
    ReportIn,
    SeverityIn,
    allowed_stages,
)
from garda.cases.services import handling, intake
from garda.cases.services.common import VersionConflict
from garda.pagination import Pagination
from garda.people.access import get_person_for

router = Router(tags=["cases"])

STAFF = tuple(sorted(CASE_ROLES))


# --- shared by the cases API's modules ------------------------------------------------


def field_error(field: str, message, code: str) -> DjangoValidationError:
    return DjangoValidationError({field: DjangoValidationError(message, code=code)})


def renamed(exc: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """A service's error keyed by the API's field names (officer -> officer_id)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


def report_data(payload: ReportIn, form_class, **defaults) -> intake.ReportData:
    """The report in `payload` checked by the page's form (`defaults` fill fields left
    out) and its screening answers by `screening.check`; one 422 naming every bad
    field otherwise."""
    values = payload.dict(exclude={"answers"})
    data = {k: v for k, v in defaults.items() if v}
    data.update({k: v for k, v in values.items() if v not in (None, "")})
    form = form_class(data=data)
    errors = {}
    if not form.is_valid():
        errors.update(form_errors(form).error_dict)
    try:
        answers = screening.check(payload.answers or {})
    except screening.ScreeningError:
        answers = {}
        errors["answers"] = [
            DjangoValidationError(_("An answer does not match the questions."), code="invalid")
        ]
    if errors:
        raise DjangoValidationError(errors)
    return form.report_data(answers=answers)


def conflict(detail: str, field: str, code: str, **extra) -> Status:
    body = error_body(detail, [{"field": field, "code": code, "message": detail}])
    body.update(extra)
    return Status(409, body)


def skipped(exc: workflow.SkippedStage) -> Status:
    if exc.wanted == "reopen":
        detail = _("Only a closed case can be reopened.")
    else:
        moves = [Stage(s).label for s in workflow.STAGES if s in workflow.allowed(exc.current)]
        detail = _(
            "Stages cannot be skipped: a case at “%(current)s” moves to %(allowed)s. "
            "Nothing was changed."
        ) % {
            "current": Stage(exc.current).label,
            "allowed": ", ".join(f"“{m}”" for m in moves) or "—",
        }
    return conflict(detail, "stage", "skipped_stage", stage=exc.current)


def stale(exc: VersionConflict) -> Status:
    return conflict(
        _("Someone else changed this case since you read it: read it again. Nothing was changed."),
        "version",
        "version_conflict",
        version=exc.current.version,
    )


def case_detail(user, pk) -> Case:
    """The case as the detail answer shows it (kinds, clocks, owner, pending approval,
    the moves the caller may make), read afresh after a write."""
    case = (
        Case.objects.select_related("owner", "agency", "country")
        .prefetch_related("kinds", "clocks")
        .get(pk=pk)
    )
    return decorate(user, case)


def decorate(user, case: Case) -> Case:
    case.pending_approval_id = (
        Approval.objects.filter(case=case, decision=Approval.Decision.PENDING)
        .values_list("pk", flat=True)
        .first()
    )
    case.allowed_stages = allowed_stages(case, may_handle(user, case))
    return case


# --- intake and the list --------------------------------------------------------------


@router.post(
    "/cases",
    response={201: CaseCreatedOut},
    summary="Record a report from the hotline, a walk-in, a family member, an embassy "
    "or another agency",
)
def case_create(request: HttpRequest, payload: CaseIn):
    ensure_role(request.auth, *STAFF, what="api case_create")
    data = report_data(payload, forms.CaseForm)
    case, secret = intake.case_open(actor=request.auth, data=data, channel=payload.channel)
    case = case_detail(request.auth, case.pk)
    case.tracking_secret = secret or None
    return Status(201, case)


def filtered(qs, filters: CaseFilter, user):
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(Exists(CaseKind.objects.filter(case=OuterRef("pk"), kind=filters.kind)))
    if filters.mine:
        qs = qs.filter(owner=user)
    if filters.clock:
        now = timezone.now()
        running = Clock.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
        if filters.clock == "breached":
            clocks = running.filter(due_at__lt=now)
        else:
            clocks = running.filter(risk_at__lte=now, due_at__gte=now)
        qs = qs.filter(Exists(clocks), status=CaseStatus.OPEN)
    return qs


@router.get("/cases", response=list[CaseListOut], summary="The cases the caller may see")
@paginate(Pagination, page_size=25)
def case_list(request: HttpRequest, filters: Query[CaseFilter]):
    ensure_role(request.auth, *STAFF, what="api case_list")
    qs = filtered(read_cases(request.auth), filters, request.auth)
    return qs.select_related("owner", "agency").prefetch_related(
        "kinds", Prefetch("clocks", queryset=Clock.objects.order_by("due_at", "id"))
    )


# --- one case -------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}",
    response=CaseOut | CaseReferredOut,
    summary="One case, with its clocks (a partner: the sections referred to their agency)",
)
def case_get(request: HttpRequest, case_id: int):
    if request.auth.role == roles.PARTNER:
        return read_referred_case(request.auth, case_id)
    ensure_role(request.auth, *STAFF, what="api case_get")
    case = read_case_for(request.auth, case_id)
    return decorate(request.auth, case)


@router.post(
    "/cases/{case_id}/move",
    response={200: CaseOut, 202: MovePendingOut, 409: dict},
    summary="Move a case one stage on, with a reason",
)
def case_move(request: HttpRequest, case_id: int, payload: MoveIn):
    ensure_role(request.auth, *STAFF, what="api case_move")
    case = get_case_for(request.auth, case_id, for_write=True)
    try:
        handling.case_move(
            actor=request.auth,
            case=case,
            stage=payload.stage,
            reason=payload.reason,
            version=payload.version,
            closing_reason=payload.closing_reason or "",
        )
    except workflow.SkippedStage as exc:
        return skipped(exc)
    except VersionConflict as exc:
        return stale(exc)
    except handling.ApprovalPending as exc:
        return Status(
            202,
            {
                "detail": _(
                    "Closing this case needs a supervisor's approval: the request is sent."
                ),
                "approval_id": exc.approval.pk,
            },
        )
    return case_detail(request.auth, case_id)


@router.post(
    "/cases/{case_id}/assign",
    response={200: CaseOut, 409: dict},
    summary="Give a case to an officer (supervisors, admins; an officer takes a case nobody holds)",
)
def case_assign(request: HttpRequest, case_id: int, payload: AssignIn):
    ensure_role(request.auth, *STAFF, what="api case_assign")
    case = get_case_for(request.auth, case_id, for_write=True)
    officer = officers().filter(pk=payload.officer_id).first()
    if officer is None:
        raise field_error(
            "officer_id", _("Choose an active officer (Pasukan Putih)."), "not_an_officer"
        )
    try:
        handling.case_assign(
            actor=request.auth,
            case=case,
            officer=officer,
            reason=payload.reason,
            version=payload.version,
        )
    except VersionConflict as exc:
        return stale(exc)
    except DjangoValidationError as exc:
        raise renamed(exc, {"officer": "officer_id"}) from None
    return case_detail(request.auth, case_id)


@router.post(
    "/cases/{case_id}/severity",
    response=CaseOut,
    summary="Change a case's severity, with a reason (supervisors, admins)",
)
def case_severity(request: HttpRequest, case_id: int, payload: SeverityIn):
    ensure_role(request.auth, *STAFF, what="api case_severity")
    case = get_case_for(request.auth, case_id, for_write=True)
    handling.case_severity_change(
        actor=request.auth, case=case, severity=payload.severity, reason=payload.reason
    )
    return case_detail(request.auth, case_id)


@router.post(
    "/cases/{case_id}/reopen",
    response={200: CaseOut, 409: dict},
    summary="Open a closed case again, with a reason",
)
def case_reopen(request: HttpRequest, case_id: int, payload: CaseReasonIn):
    ensure_role(request.auth, *STAFF, what="api case_reopen")
    case = get_case_for(request.auth, case_id, for_write=True)
    try:
        handling.case_reopen(actor=request.auth, case=case, reason=payload.reason)
    except workflow.SkippedStage as exc:
        return skipped(exc)
    return case_detail(request.auth, case_id)


@router.post(
    "/cases/{case_id}/person",
    response=CaseOut,
    summary="Link the case to the registry person it is about, or add a provisional one",
)
def case_person(request: HttpRequest, case_id: int, payload: PersonLinkIn):
    ensure_role(request.auth, *STAFF, what="api case_person")
    case = get_case_for(request.auth, case_id, for_write=True)
    if payload.person_id is not None:
        person = get_person_for(request.auth, payload.person_id)
        intake.case_link_person(actor=request.auth, case=case, person=person)
    elif payload.provisional:
        intake.case_register_person(actor=request.auth, case=case)
    else:
        raise field_error(
            "person_id",
            _("Choose the person from the registry, or add a provisional one."),
            "required",
        )
    return case_detail(request.auth, case_id)


@router.post(
    "/case-approvals/{approval_id}/decision",
    response={200: ApprovalOut, 409: dict},
    summary="Approve or refuse closing a case (supervisors, admins)",
)
def approval_decision(request: HttpRequest, approval_id: int, payload: ApprovalDecisionIn):
    ensure_role(request.auth, *STAFF, what="api approval_decision")
    approval = get_case_part_for(
        request.auth, Approval, approval_id, what="api approval_decision", for_write=False
    )
    try:
        approval = handling.approval_decide(
            actor=request.auth, approval=approval, approve=payload.approve, comment=payload.comment
        )
    except DjangoValidationError as exc:
        codes = {e.code for errs in getattr(exc, "error_dict", {}).values() for e in errs}
        if "decided" in codes:
            return conflict(_("This request was already decided."), "decision", "decided")
        raise
    return (
        Approval.objects.select_related("case", "requested_by", "decided_by")
        .filter(pk=approval.pk)
        .get()
    )
