"""The referral pages: the list (a partner's inbox: their agency's referrals; staff:
the referrals of the cases they see), the form "Rujuk ke instansi lain" from a case,
one referral (staff: status, answers, an answer recorded on the agency's behalf;
partner: the request, accept or decline, then the referred sections and the report),
and the actions (POST, then back to the referral's page).

Pages work without JavaScript: plain forms, POST, redirect. A form with a mistake
shows the page again (400) with the message at the field."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.gate import deny
from garda.cases.access import get_case_for
from garda.pagination import CappedPaginator
from garda.privacy.sharing import may_share
from garda.referrals import display
from garda.referrals.access import (
    REFERRAL_ROLES,
    STAFF_ROLES,
    get_referral_for,
    in_window,
    read_referral_case_for,
    read_referral_for,
    read_referrals,
)
from garda.referrals.forms import DeclineForm, OnBehalfForm, ReasonForm, ReferralForm, ReportForm
from garda.referrals.models import Referral, Status
from garda.referrals.policy import current as current_policy
from garda.referrals.services import referrals as services
from garda.viewutils import add_service_errors

PAGE_SIZE = 25
# The on-behalf fields of the decline form, apart from the acceptance's on one page.
DECLINE_ID = "decline_%s"


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


# --- the list ----------------------------------------------------------------------------


@role_required(*REFERRAL_ROLES)
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    qs = read_referrals(request.user).select_related("case", "agency")
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    page = CappedPaginator(qs.order_by("-requested_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [display.row(r) for r in page.object_list]
    return render(
        request,
        "referrals/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Status.choices,
            "is_partner": request.user.role == roles.PARTNER,
        },
    )


# --- referring ---------------------------------------------------------------------------


def _consent_text(case, agency) -> str:
    if case.person_id is None:
        return _(
            "This case is not linked to a person in the registry: there is no consent. "
            "It can only be referred with a reason for sharing without consent."
        )
    if agency is None:
        return _("Choose the agency: the person's consent to share is checked for it.")
    return may_share(case.person, agency, _("Referral")).reason


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for(request.user, case_pk, for_write=True)
    if not services.may_refer(request.user, case):
        deny(request.user, "referrals.referral_create", target=case)
    form = ReferralForm(request.POST or None, case=case)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            due_at = data["due_at"] or current_policy().answer_by(
                data["service_type"], timezone.now()
            )
            try:
                referral = services.referral_create(
                    actor=request.user,
                    case=case,
                    agency=data["agency"],
                    service_type=data["service_type"],
                    request=data["request"],
                    due_at=due_at,
                    sections=data["sections"],
                    override_reason=data["override_reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Referral %(reference)s sent to %(agency)s.")
                    % {"reference": referral.reference, "agency": referral.agency.name},
                )
                return redirect("referrals:detail", referral.pk)
        status = 400
    agency = getattr(form, "cleaned_data", {}).get("agency")
    return render(
        request,
        "referrals/create.html",
        {
            "case": case,
            "form": form,
            "consent_text": _consent_text(case, agency),
            "periods": display.periods(),
        },
        status=status,
    )


# --- one referral ------------------------------------------------------------------------


def _context(request: HttpRequest, referral: Referral, **forms) -> dict:
    user = request.user
    is_partner = user.role == roles.PARTNER
    may_handle = not is_partner and services.may_refer(user, referral.case)
    context = {
        "referral": referral,
        "info": display.detail(referral),
        "events": display.events(referral),
        "is_partner": is_partner,
        "may_handle": may_handle,
        "version": referral.version,
    }
    answering = referral.status == Status.REQUESTED
    if is_partner:
        if in_window(referral):
            context["case_data"] = display.case_data(read_referral_case_for(user, referral))
        if answering:
            context["decline_form"] = forms.get("decline_form") or DeclineForm()
        if referral.status == Status.ACCEPTED:
            context["report_form"] = forms.get("report_form") or ReportForm()
    elif may_handle:
        if answering:
            context["behalf_form"] = forms.get("behalf_form") or OnBehalfForm()
            context["decline_form"] = forms.get("decline_form") or DeclineForm()
            context["decline_behalf_form"] = forms.get("decline_behalf_form") or OnBehalfForm(
                auto_id=DECLINE_ID
            )
            context["cancel_form"] = forms.get("cancel_form") or ReasonForm()
        if referral.status == Status.ACCEPTED:
            context["behalf_form"] = forms.get("behalf_form") or OnBehalfForm()
            context["report_form"] = forms.get("report_form") or ReportForm()
        if referral.status in (Status.ACCEPTED, Status.REPORTED, Status.DECLINED):
            context["close_form"] = forms.get("close_form") or ReasonForm()
    if any(f is not None and f.errors for f in forms.values()):
        context["form"] = next(f for f in forms.values() if f is not None and f.errors)
    return context


@role_required(*REFERRAL_ROLES)
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = read_referral_for(request.user, pk)
    return render(request, "referrals/detail.html", _context(request, referral))


def _again(request, referral, **forms) -> HttpResponse:
    referral = get_referral_for(request.user, referral.pk)
    context = _context(request, referral, **forms)
    return render(request, "referrals/detail.html", context, status=400)


def _on_behalf(request, auto_id: str = "id_%s"):
    """(OnBehalf or None, the bound form): staff record an answer on the agency's
    behalf (who there answered, and how); a partner answers as themself."""
    if request.user.role == roles.PARTNER:
        return None, None
    behalf = OnBehalfForm(request.POST, auto_id=auto_id)
    if not behalf.is_valid():
        return None, behalf
    return services.OnBehalf(**behalf.cleaned_data), behalf


def _act(request, referral, call, success: str, **forms) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        form = next(iter(forms.values()))
        add_service_errors(form, exc)
        return _again(request, referral, **forms)
    except services.VersionConflict:
        messages.error(
            request,
            _(
                "Someone else changed this referral since you read it: read it again. "
                "Nothing was changed."
            ),
        )
    except services.StateConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("referrals:detail", referral.pk)


@role_required(*REFERRAL_ROLES)
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    on_behalf, behalf = _on_behalf(request)
    if behalf is not None and on_behalf is None:
        return _again(request, referral, behalf_form=behalf)
    return _act(
        request,
        referral,
        lambda: services.referral_accept(
            actor=request.user, referral=referral, version=_version(request), on_behalf=on_behalf
        ),
        _("Referral accepted."),
        behalf_form=behalf or OnBehalfForm(),
    )


@role_required(*REFERRAL_ROLES)
@require_POST
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    form = DeclineForm(request.POST)
    on_behalf, behalf = _on_behalf(request, DECLINE_ID)
    if (behalf is not None and on_behalf is None) or not form.is_valid():
        return _again(request, referral, decline_form=form, decline_behalf_form=behalf)
    return _act(
        request,
        referral,
        lambda: services.referral_decline(
            actor=request.user,
            referral=referral,
            reason=form.cleaned_data["reason"],
            version=_version(request),
            on_behalf=on_behalf,
        ),
        _("Referral declined."),
        decline_form=form,
    )


@role_required(*REFERRAL_ROLES)
@require_POST
def referral_report(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    form = ReportForm(request.POST)
    on_behalf, behalf = _on_behalf(request)
    if (behalf is not None and on_behalf is None) or not form.is_valid():
        return _again(request, referral, report_form=form, behalf_form=behalf)
    return _act(
        request,
        referral,
        lambda: services.referral_report(
            actor=request.user,
            referral=referral,
            version=_version(request),
            on_behalf=on_behalf,
            **form.cleaned_data,
        ),
        _("Service reported: the planned service on the case is marked done."),
        report_form=form,
    )


def _finish(request, pk, service, form_name: str, success: str) -> HttpResponse:
    referral = get_referral_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _again(request, referral, **{form_name: form})
    return _act(
        request,
        referral,
        lambda: service(
            actor=request.user,
            referral=referral,
            reason=form.cleaned_data["reason"],
            version=_version(request),
        ),
        success,
        **{form_name: form},
    )


@role_required(*STAFF_ROLES)
@require_POST
def referral_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _finish(
        request,
        pk,
        services.referral_close,
        "close_form",
        _("Referral closed: the agency's access to the case has ended."),
    )


@role_required(*STAFF_ROLES)
@require_POST
def referral_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _finish(request, pk, services.referral_cancel, "cancel_form", _("Referral withdrawn."))
