"""The job order pages: the list (a recruiter's company's orders; every order for
officers, supervisors and admins), writing and editing an order, one order with its
checks and history, and the moves (submit, verify, reject, close, cancel) as small
POST forms on the order's page.

Every page reads through `jobs/access.py` (another company's order is a 404 with a
denied row) and writes through `services/orders.py`, whose refusals come back as a
message on the order's page; nothing is written when a move is refused."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.destinations.models import Destination, Scheme
from garda.jobs import access, checks
from garda.jobs.forms.orders import JobOrderForm
from garda.jobs.models import JobOrder
from garda.jobs.services import orders as service
from garda.jobs.services.common import VersionConflict
from garda.pagination import CappedPaginator

S = JobOrder.Status
LIST_ROLES = tuple(sorted(access.ORDER_ROLES))
WRITE_ROLES = tuple(sorted(access.WRITE_ROLES))
VERIFY_ROLES = tuple(sorted(access.VERIFY_ROLES))
PAGE_SIZE = 25
HISTORY_LIMIT = 200
ALL = "all"

STATUS_TAGS = {
    S.DRAFT: "tag-grey",
    S.SUBMITTED: "tag-yellow",
    S.VERIFIED: "tag-green",
    S.REJECTED: "tag-red",
    S.CLOSED: "tag-grey",
    S.CANCELLED: "tag-grey",
}
CHANGED_ELSEWHERE = gettext_lazy(
    "Someone else changed this order meanwhile: nothing was saved. Reload the page to "
    "see their changes, then try again."
)


def _status_label(code: str) -> str:
    try:
        return str(S(code).label)
    except ValueError:
        return code


# --- the list ---------------------------------------------------------------------------


def _status_choices(user) -> list[tuple[str, str]]:
    return [*S.choices, (ALL, _("All"))]


def _default_status(user) -> str:
    # Officers come to the list to verify: the orders waiting for them first.
    return S.SUBMITTED if user.role == roles.OFFICER else ALL


def _search(qs: QuerySet[JobOrder], q: str) -> QuerySet[JobOrder]:
    q = (q or "").strip()[:100]
    if not q:
        return qs
    return qs.filter(
        Q(reference__icontains=q) | Q(number__icontains=q) | Q(agency__name__icontains=q)
    )


@role_required(*LIST_ROLES)
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    choices = _status_choices(user)
    status = request.GET.get("status") or _default_status(user)
    if status not in dict(choices):
        status = _default_status(user)
    q = (request.GET.get("q") or "").strip()[:100]
    qs = access.visible_orders(user)
    if status != ALL:
        qs = qs.filter(status=status)
    qs = _search(qs, q).select_related("agency").order_by("-created_at", "-id")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(Destination.objects.values_list("code", "name"))
    for order in page.object_list:
        order.status_label = _status_label(order.status)
        order.status_tag = STATUS_TAGS.get(order.status, "tag-grey")
        order.failed_count = len(checks.failed(order.checks or []))
        order.destination_name = names.get(order.destination, order.destination)
    return render(
        request,
        "jobs/order_list.html",
        {
            "page": page,
            "status": status,
            "status_choices": choices,
            "q": q,
            "filtered": bool(q) or status != _default_status(user),
            "may_create": user.role in access.WRITE_ROLES,
            "is_recruiter": user.role == roles.RECRUITER,
        },
    )


# --- writing and editing ---------------------------------------------------------------------


def _render_form(request, form, order=None, status=200) -> HttpResponse:
    return render(
        request,
        "jobs/order_form.html",
        {
            "form": form,
            "order": order,
            "verified": order is not None and order.status == S.VERIFIED,
            "is_recruiter": request.user.role == roles.RECRUITER,
            "company": access.recruiter_agency(request.user)
            if request.user.role == roles.RECRUITER
            else None,
        },
        status=status,
    )


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def order_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = JobOrderForm(request.POST, user=user)
        if form.is_valid():
            try:
                order = service.order_create(actor=user, data=form.order_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Job order %(ref)s is saved as a draft. Send it for verification "
                        "when it is complete."
                    )
                    % {"ref": order.reference},
                )
                return redirect("jobs:order_detail", pk=order.pk)
        return _render_form(request, form, status=400)
    return _render_form(request, JobOrderForm(user=user))


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    order = access.get_order_for(user, pk, for_write=True)
    if order.status not in service.EDITABLE:
        messages.error(
            request,
            _("A job order that is %(status)s cannot be changed any more.")
            % {"status": _status_label(order.status).lower()},
        )
        return redirect("jobs:order_detail", pk=order.pk)
    if request.method == "POST":
        form = JobOrderForm(request.POST, user=user, order=order)
        if form.is_valid():
            was_verified = order.status == S.VERIFIED
            try:
                order = service.order_update(
                    actor=user,
                    order=order,
                    data=form.order_data(),
                    version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except VersionConflict:
                form.add_error(None, CHANGED_ELSEWHERE)
                return _render_form(request, form, order, status=409)
            except service.MoveRefused as exc:
                messages.error(request, exc.message)
                return redirect("jobs:order_detail", pk=order.pk)
            else:
                if was_verified and order.status == S.SUBMITTED:
                    messages.warning(
                        request,
                        _(
                            "The changes are saved. The order is off the vacancy board until "
                            "an officer verifies it again."
                        ),
                    )
                else:
                    messages.success(request, _("The changes are saved."))
                return redirect("jobs:order_detail", pk=order.pk)
        return _render_form(request, form, order, status=400)
    return _render_form(request, JobOrderForm(user=user, order=order), order)


# --- one order -----------------------------------------------------------------------------------


def _history(order: JobOrder) -> list[dict]:
    rows = order.events.select_related("actor").order_by("-created_at", "-id")[:HISTORY_LIMIT]
    out = []
    for row in rows:
        out.append(
            {
                "at": row.created_at,
                "actor": row.actor,
                "from": _status_label(row.from_status) if row.from_status else "",
                "to": _status_label(row.to_status),
                "reason": row.reason,
            }
        )
    return out


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(value, value)) if value else ""


def render_detail(
    request: HttpRequest, order: JobOrder, *, status: int = 200, **given
) -> HttpResponse:
    user = request.user
    may_edit = access.may_edit(user, order)
    may_verify = access.may_verify(user)
    found = given.pop("checks", None)
    if found is None:
        found = order.checks or []
    warnings = checks.warnings(found)
    destination = Destination.objects.filter(code=order.destination).first()
    scheme = Scheme.objects.filter(code=order.scheme).first()
    accepted = [
        {"code": code, "reason": reason, "message": _accepted_message(order, code)}
        for code, reason in (order.accepted_warnings or {}).items()
    ]
    context = {
        "order": order,
        "status_label": _status_label(order.status),
        "status_tag": STATUS_TAGS.get(order.status, "tag-grey"),
        "destination_name": destination.display_name if destination else order.destination,
        "scheme_name": scheme.display_name if scheme else order.scheme,
        "labels": {
            "sector": _choice_label(JobOrder._meta.get_field("sector").choices, order.sector),
            "wage_period": _choice_label(JobOrder.WagePeriod.choices, order.wage_period),
            "food": _choice_label(JobOrder.Provision.choices, order.food),
            "lodging": _choice_label(JobOrder.Provision.choices, order.lodging),
            "transport": _choice_label(JobOrder.Provision.choices, order.transport),
            "ticket_paid_by": _choice_label(JobOrder.TicketPaidBy.choices, order.ticket_paid_by),
        },
        "wage": _money(order.wage_amount.normalize()) if order.wage_amount is not None else "",
        "costs": [
            {**cost, "amount": _money(cost.get("amount"))} for cost in order.worker_costs or []
        ],
        "checks": found,
        "failed": checks.failed(found),
        "warnings": warnings,
        "accepted": accepted,
        "history": _history(order),
        "may_edit": may_edit and order.status in service.EDITABLE,
        "may_submit": may_edit and order.status in service.MOVES["submit"][0],
        "may_verify": may_verify and order.status in service.MOVES["verify"][0],
        "may_close": may_edit and order.status in service.MOVES["close"][0],
        "may_cancel": may_edit and order.status in service.MOVES["cancel"][0],
        "is_open": order.is_open,
        "errors": {},
        "values": {},
        "unexplained": [],
    }
    context.update(given)
    return render(request, "jobs/order_detail.html", context, status=status)


def _money(value) -> str:
    try:
        return number_format(Decimal(str(value)), decimal_pos=None, force_grouping=True)
    except (InvalidOperation, ValueError, TypeError):
        return str(value or "")


def _accepted_message(order: JobOrder, code: str) -> str:
    for check in order.checks or []:
        if check.get("code") == code:
            return check.get("message", "")
    return ""


@role_required(*LIST_ROLES)
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_for(request.user, pk)
    return render_detail(request, order)


# --- the moves ------------------------------------------------------------------------------------


def _version(request: HttpRequest) -> int | None:
    raw = (request.POST.get("version") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _back(order: JobOrder) -> HttpResponse:
    return redirect(reverse("jobs:order_detail", args=[order.pk]))


def _move(request, order, action, *, success: str, form: str = "") -> HttpResponse:
    """Call the service; its refusals come back as messages (nothing written), or as
    errors beside the reason of the form `form`."""
    try:
        action()
    except service.MoveRefused as exc:
        messages.error(request, exc.message)
    except VersionConflict:
        messages.error(request, str(CHANGED_ELSEWHERE))
    except ValidationError as exc:
        if form:
            return render_detail(
                request,
                _fresh(order),
                status=400,
                errors={form: exc.messages},
                values={form: request.POST.get("reason", "")},
            )
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return _back(order)


def _fresh(order: JobOrder) -> JobOrder:
    return JobOrder.objects.select_related("agency", "employer", "partner").get(pk=order.pk)


@role_required(*WRITE_ROLES)
@require_POST
def order_submit(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_for(request.user, pk, for_write=True)
    return _move(
        request,
        order,
        lambda: service.order_submit(actor=request.user, order=order, version=_version(request)),
        success=_(
            "The order is sent for verification: an officer checks it before it is published."
        ),
    )


@role_required(*VERIFY_ROLES)
@require_POST
def order_verify(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_for(request.user, pk)
    reasons = {
        key.removeprefix("reason_"): value.strip()[:500]
        for key, value in request.POST.items()
        if key.startswith("reason_") and value.strip()
    }
    try:
        service.order_verify(
            actor=request.user,
            order=order,
            accepted_warnings=reasons,
            version=_version(request),
        )
    except service.ChecksFailed as exc:
        if exc.failed:
            messages.error(
                request,
                _(
                    "The order cannot be published: a check failed. The company must "
                    "fix the order first."
                ),
            )
        if exc.unexplained:
            messages.error(
                request,
                _("Say why each warning may be accepted before publishing the order."),
            )
        return render_detail(
            request,
            _fresh(order),
            status=400,
            checks=exc.checks,
            unexplained=exc.unexplained,
            values={"verify": reasons},
        )
    except service.MoveRefused as exc:
        messages.error(request, exc.message)
    except VersionConflict:
        messages.error(request, str(CHANGED_ELSEWHERE))
    else:
        messages.success(request, _("Verified: the job is published on the vacancy board."))
    return _back(order)


@role_required(*VERIFY_ROLES)
@require_POST
def order_reject(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_for(request.user, pk)
    return _move(
        request,
        order,
        lambda: service.order_reject(
            actor=request.user,
            order=order,
            reason=request.POST.get("reason", ""),
            version=_version(request),
        ),
        success=_("The order is rejected: the company is told why."),
        form="reject",
    )


@role_required(*WRITE_ROLES)
@require_POST
def order_close(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_for(request.user, pk, for_write=True)
    return _move(
        request,
        order,
        lambda: service.order_close(
            actor=request.user,
            order=order,
            reason=request.POST.get("reason", ""),
            version=_version(request),
        ),
        success=_("The order is closed: it is off the vacancy board."),
        form="close",
    )


@role_required(*WRITE_ROLES)
@require_POST
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_for(request.user, pk, for_write=True)
    return _move(
        request,
        order,
        lambda: service.order_cancel(
            actor=request.user,
            order=order,
            reason=request.POST.get("reason", ""),
            version=_version(request),
        ),
        success=_("The order is cancelled."),
        form="cancel",
    )
