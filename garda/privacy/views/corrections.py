"""Correction requests: the worker's list and form (/privacy/me/corrections/), the
officers' queue and a request with its decision (/privacy/corrections/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.pagination import CappedPaginator
from garda.people.access import read_own_person
from garda.people.services.registry import IDENTITY_NUMBERS, identity_reveal_check
from garda.privacy.access import (
    STAFF_ROLES,
    get_correction_for,
    may_decide,
    own_person,
    read_correction_for,
    read_corrections,
)
from garda.privacy.forms import CorrectionForm, DecisionForm
from garda.privacy.models import CorrectionRequest
from garda.privacy.services.corrections import (
    OTHER,
    correction_accept,
    correction_reject,
    correction_request,
    current_value,
    field_label,
    shown_value,
    value_text,
)
from garda.viewutils import add_service_errors

PAGE_SIZE = 25


def _row(request: CorrectionRequest) -> dict:
    return {
        "request": request,
        "field": field_label(request.field),
        "value": shown_value(request, request.requested_value),
        "is_other": request.field == OTHER,
    }


# --- the worker ------------------------------------------------------------------------


@role_required(roles.WORKER)
@require_GET
def my_corrections(request: HttpRequest) -> HttpResponse:
    person = read_own_person(request.user, reason="correction requests")
    rows = []
    if person is not None:
        rows = [
            _row(r)
            for r in CorrectionRequest.objects.filter(person=person).order_by("-created_at", "-id")
        ]
    return render(request, "privacy/my_corrections.html", {"person": person, "rows": rows})


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_correction_new(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    if person is None:
        messages.info(request, _("Complete your profile first."))
        return redirect("people:me")
    form = CorrectionForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correction_request(
                actor=request.user,
                person=person,
                field=data["field"],
                requested_value=data["requested_value"],
                description=data["description"],
                reason=data["reason"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your request is sent. An officer will check it and answer you here.")
            )
            return redirect("privacy:my_corrections")
    status = 400 if form.errors else 200
    return render(request, "privacy/my_correction_form.html", {"form": form}, status=status)


# --- the officers ----------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show") if request.GET.get("show") in ("decided",) else "pending"
    qs = read_corrections(request.user).select_related("person")
    if show == "pending":
        qs = qs.filter(status=CorrectionRequest.Status.PENDING).order_by("created_at", "id")
    else:
        qs = qs.exclude(status=CorrectionRequest.Status.PENDING).order_by("-decided_at", "-id")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(r) for r in page.object_list]
    return render(request, "privacy/queue.html", {"page": page, "rows": rows, "show": show})


def _detail(request: HttpRequest, correction: CorrectionRequest, *, form=None, status=200):
    user = request.user
    person = correction.person
    identity = correction.field in IDENTITY_NUMBERS
    if identity:
        # Identity numbers in clear: only for those who may reveal them, audited.
        identity_reveal_check(actor=user, person=person)
        audit_record(
            actor=user,
            action=AuditEvent.Action.REVEAL,
            target=person,
            changed_fields=[correction.field],
            reason="correction request",
        )
    current = current_value(person, correction.field)
    context = {
        "c": correction,
        "person": person,
        "field": field_label(correction.field),
        "is_other": correction.field == OTHER,
        "current": current if identity else value_text(correction.field, current),
        "requested": (
            correction.requested_value
            if identity
            else value_text(correction.field, correction.requested_value)
        ),
        "locked": person.identity_verified,
        "events": list(correction.events.select_related("actor").order_by("created_at", "id")),
        "may_decide": correction.is_pending and may_decide(user, correction),
        "form": form or DecisionForm(),
    }
    return render(request, "privacy/correction.html", context, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, read_correction_for(request.user, pk))


@role_required(*STAFF_ROLES)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_correction_for(request.user, pk, for_decision=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "accept":
                correction_accept(actor=request.user, request=correction, note=note)
                messages.success(request, _("Accepted. The person is told."))
            else:
                correction_reject(actor=request.user, request=correction, reason=note)
                messages.success(request, _("Rejected. The person is told why."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("privacy:corrections")
    correction = get_correction_for(request.user, pk)
    return _detail(request, correction, form=form, status=400)
