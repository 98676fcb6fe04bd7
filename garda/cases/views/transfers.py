"""Transfers on the staff pages (docs/cases.md, "Transfers"): the offer from the case
page, the transfers page (what waits on the user, what they started, the request form,
the cases handed over), the answers (POST, then back), and the old owner's trail.

Every object is read through `cases/access.py` (404 and a denied row otherwise); the
services check the finer rights (403 and a denied row)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.accounts.models import Agency, User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import (
    TRANSFER_TYPE,
    get_case_for,
    get_transfer_for,
    read_trail_for,
    trail_cases,
    visible_cases,
    visible_transfers,
)
from garda.cases.models import Case, Status, Transfer
from garda.cases.services import transfers as service
from garda.cases.services.common import VersionConflict
from garda.cases.trail import trail_for
from garda.viewutils import add_service_errors

STAFF_ROLES = (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN)
PAGE_SIZE = 25


def _agency_label(agency: Agency) -> str:
    return f"{agency.name} ({agency.short_name})"


class TransferOfferForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Agency that takes the case"), queryset=Agency.objects.none()
    )
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        max_length=500,
        help_text=gettext_lazy("For example: the worker lives in Central Java now."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Agency.objects.order_by("name")
        if exclude is not None:
            qs = qs.exclude(pk=exclude)
        self.fields["agency"].queryset = qs
        self.fields["agency"].label_from_instance = _agency_label


class TransferRequestForm(TransferOfferForm):
    reference = forms.CharField(
        label=gettext_lazy("Case number"),
        max_length=20,
        help_text=gettext_lazy("For example KS-2026-000042."),
    )
    field_order = ["reference", "agency", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = False
        self.fields["agency"].empty_label = gettext_lazy("My agency")
        self.fields.pop("version")


class TransferAcceptForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Officer who will hold the case"),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args, transfer: Transfer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            is_active=True, groups__name=roles.OFFICER, agency_id=transfer.to_agency_id
        ).order_by("full_name", "email")
        self.fields["owner"].label_from_instance = lambda u: u.full_name or u.email


class TransferDeclineForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why not"), max_length=500)


# --- on the case page -----------------------------------------------------------------


def case_page_context(user: User, case: Case, handle: bool, given: dict) -> dict:
    """What the case page shows of transfers: the one pending, what the user may do
    with it, and the offer form (views/staff.py calls this)."""
    pending = (
        case.transfers.filter(status=Transfer.State.REQUESTED)
        .select_related("to_agency", "to_owner", "requested_by")
        .first()
    )
    context: dict = {"transfer": pending}
    if pending is not None:
        pending.case = case  # the rights below read the case already loaded
        context["transfer_may_cancel"] = service.may_cancel(user, pending)
        if service.may_answer(user, pending):
            context["transfer_accept_form"] = given.get(
                "transfer_accept_form"
            ) or TransferAcceptForm(transfer=pending)
        if service.may_refuse(user, pending):
            context["transfer_decline_form"] = (
                given.get("transfer_decline_form") or TransferDeclineForm()
            )
    elif handle and case.status == Status.OPEN and case.owner_id is not None:
        context["transfer_offer_form"] = given.get("transfer_offer_form") or TransferOfferForm(
            exclude=case.agency_id, initial={"version": case.version}, prefix="transfer"
        )
    return context


def _render_case(request, case: Case, form_name: str, form) -> HttpResponse:
    from garda.cases.views.staff import render_detail

    return render_detail(request, case, status=400, **{form_name: form})


def _refusal(request, exc: Exception) -> None:
    if isinstance(exc, VersionConflict):
        messages.error(
            request,
            _("The case was changed by someone else meanwhile: check it below, then try again."),
        )
    else:
        messages.error(request, " ".join(exc.messages))


@role_required(*STAFF_ROLES)
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's side hands the case to another agency (the form on the case page)."""
    case = get_case_for(request.user, pk, for_write=True)
    form = TransferOfferForm(request.POST, exclude=case.agency_id, prefix="transfer")
    if not form.is_valid():
        return _render_case(request, case, "transfer_offer_form", form)
    data = form.cleaned_data
    try:
        service.transfer_offer(
            actor=request.user,
            case=case,
            agency=data["agency"],
            reason=data["reason"],
            version=data["version"],
        )
    except VersionConflict as exc:
        _refusal(request, exc)
    except ValidationError as exc:
        if set(getattr(exc, "error_dict", {})) & set(form.fields):
            add_service_errors(form, exc)
            return _render_case(request, case, "transfer_offer_form", form)
        _refusal(request, exc)
    else:
        messages.success(
            request,
            _("The case is offered to %(agency)s: it moves when they accept.")
            % {"agency": data["agency"].short_name},
        )
    return redirect(reverse("cases:detail", args=[case.pk]) + "#transfer")


# --- the transfers page ---------------------------------------------------------------


def _inbox(user: User):
    return (
        visible_transfers(user)
        .filter(status=Transfer.State.REQUESTED)
        .select_related(
            "case", "case__owner", "to_agency", "from_agency", "to_owner", "requested_by"
        )
        .order_by("requested_at", "id")
    )


def _page_context(request: HttpRequest, request_form=None) -> dict:
    user = request.user
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, object_type=TRANSFER_TYPE, reason="list"
    )
    pending = list(_inbox(user)[:200])
    officers: dict = {}
    for row in pending:
        row.may_answer = service.may_answer(user, row)
        row.may_refuse = service.may_refuse(user, row)
        row.may_cancel = service.may_cancel(user, row)
        if row.may_answer and row.waits_on_receiver:
            row.accept_form = TransferAcceptForm(transfer=row, auto_id=f"t{row.pk}-%s")
            # One read of each agency's officers, whatever the number of offers.
            if row.to_agency_id not in officers:
                field = row.accept_form.fields["owner"]
                officers[row.to_agency_id] = list(field.choices)
            row.accept_form.fields["owner"].choices = officers[row.to_agency_id]
        row.decline_form = TransferDeclineForm(auto_id=f"d{row.pk}-%s")
    waiting = [t for t in pending if t.may_answer or t.may_refuse]
    started = [
        t for t in pending if t not in waiting and (t.may_cancel or t.requested_by_id == user.pk)
    ]
    # The number only: where the case is now is not theirs to know.
    handed = trail_cases(user).only("pk", "reference").order_by("-id")
    page = Paginator(handed, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "waiting": waiting,
        "started": started,
        "handed": page,
        "request_form": request_form or TransferRequestForm(),
        "may_name_officer": user.role in (roles.SUPERVISOR, roles.ADMIN),
    }


@role_required(*STAFF_ROLES)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/staff/transfers.html", _page_context(request))


@role_required(*STAFF_ROLES)
@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    """Ask the owner's side of a case (by its number) to transfer it."""
    user = request.user
    form = TransferRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        reference = data["reference"].strip().upper()
        case = Case.objects.filter(reference=reference).first()
        if case is None:
            form.add_error("reference", _("No case with this number: check the number."))
        else:
            try:
                service.transfer_request(
                    actor=user, case=case, reason=data["reason"], agency=data["agency"]
                )
            except ValidationError as exc:
                errors = getattr(exc, "error_dict", {})
                if "case" in errors:
                    form.add_error("reference", errors.pop("case"))
                if errors:
                    add_service_errors(form, ValidationError(errors))
            else:
                messages.success(
                    request,
                    _("Your request for case %(reference)s was sent to its owner.")
                    % {"reference": case.reference},
                )
                return redirect("cases:transfers")
    context = _page_context(request, request_form=form)
    context["form"] = form
    return render(request, "cases/staff/transfers.html", context, status=400)


def _case_or_inbox(user: User, transfer: Transfer) -> HttpResponse:
    """Back to the case when the user may open it (now), else to the transfers page."""
    if visible_cases(user).filter(pk=transfer.case_id).exists():
        return redirect(reverse("cases:detail", args=[transfer.case_id]) + "#transfer")
    return redirect("cases:transfers")


def _answer(request, transfer: Transfer, action, success: str) -> HttpResponse:
    try:
        action()
    except (ValidationError, VersionConflict) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, success)
    return _case_or_inbox(request.user, transfer)


@role_required(*STAFF_ROLES)
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    transfer = get_transfer_for(user, pk)
    form = TransferAcceptForm(request.POST, transfer=transfer)
    if not form.is_valid():
        messages.error(request, _("Choose an active officer of the receiving agency."))
        return _case_or_inbox(user, transfer)
    success = (
        _("The request is agreed: the case is offered to %(agency)s.")
        if transfer.offered_at is None
        else _("Accepted: the case is now with %(agency)s.")
    ) % {"agency": transfer.to_agency.short_name}
    return _answer(
        request,
        transfer,
        lambda: service.transfer_accept(
            actor=user, transfer=transfer, owner=form.cleaned_data["owner"]
        ),
        success,
    )


@role_required(*STAFF_ROLES)
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    transfer = get_transfer_for(user, pk)
    form = TransferDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why (a few words)."))
        return _case_or_inbox(user, transfer)
    return _answer(
        request,
        transfer,
        lambda: service.transfer_decline(
            actor=user, transfer=transfer, reason=form.cleaned_data["reason"]
        ),
        _("Declined: the other side is told why."),
    )


@role_required(*STAFF_ROLES)
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    transfer = get_transfer_for(user, pk)
    return _answer(
        request,
        transfer,
        lambda: service.transfer_cancel(actor=user, transfer=transfer),
        _("The transfer is withdrawn."),
    )


# --- the old owner's trail ------------------------------------------------------------


@role_required(roles.OFFICER, roles.SUPERVISOR)
@require_GET
def trail(request: HttpRequest, pk: int) -> HttpResponse:
    """A case handed over, as its previous officer (or their supervisor) may still see
    it: their part up to the transfer, read-only."""
    case, transfer = read_trail_for(request.user, pk)
    return render(
        request, "cases/staff/trail.html", {"trail": trail_for(request.user, case, transfer)}
    )
