"""Legal holds: the list (with the form to place one) and lifting one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from garda.accounts.decorators import role_required
from garda.compliance.access import HOLD_ROLES, get_hold_for, resolve_target, visible_holds
from garda.compliance.forms import HoldForm, LiftForm
from garda.compliance.services.holds import hold_lift, hold_place
from garda.viewutils import add_service_errors

LIST_LIMIT = 200


@role_required(*HOLD_ROLES)
@require_http_methods(["GET", "POST"])
def hold_list(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person, case = resolve_target(request.user, form.cleaned_data["reference"])
            hold_place(
                actor=request.user,
                person=person,
                case=case,
                reason=form.cleaned_data["reason"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Hold placed: the purge leaves this record alone."))
            return redirect("compliance:holds")
    holds = list(visible_holds(request.user).order_by("-placed_at", "-id")[:LIST_LIMIT])
    status = 400 if form.errors else 200
    return render(
        request,
        "compliance/holds.html",
        {"form": form, "holds": holds, "lift_form": LiftForm()},
        status=status,
    )


@role_required(*HOLD_ROLES)
@require_POST
def hold_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
    hold = get_hold_for(request.user, pk)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["lift_reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Hold lifted."))
            return redirect("compliance:holds")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("compliance:holds")
