"""The worker's pages (phone-first, no JavaScript): my stay abroad (report, update,
end) and the check-in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from garda.abroad.access import current_stay
from garda.abroad.forms import CheckInForm, EndForm, StayForm
from garda.abroad.models import CheckIn
from garda.abroad.services.checkins import checkin_answer, open_check_in
from garda.abroad.services.stays import stay_end, stay_report, stay_update, stay_values
from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.crypto import mask
from garda.people.access import read_own_person
from garda.viewutils import add_service_errors


def _own(request):
    person = read_own_person(request.user, reason="stay abroad")
    if person is None:
        messages.info(request, _("Complete your profile first."))
    return person


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    person = _own(request)
    if person is None:
        return redirect("people:me")
    stay = current_stay(person)
    initial = stay_values(stay) if stay else {}
    form = StayForm(
        request.POST or None,
        initial=initial,
        person=person,
        has_passport=bool(stay and stay.passport_number),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if stay is None:
                stay_report(
                    actor=request.user, person=person, data=form.stay_data(keep_passport=False)
                )
                messages.success(request, _("Your stay abroad is recorded. Thank you."))
            else:
                stay.person = person
                stay_update(actor=request.user, stay=stay, data=form.stay_data(keep_passport=True))
                messages.success(request, _("Your stay abroad is updated."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("abroad:mine")
    context = {
        "form": form,
        "stay": stay,
        "passport": mask(stay.passport_number) if stay else "",
        "end_form": EndForm(),
        "open_check_in": open_check_in(stay) if stay else None,
    }
    return render(request, "abroad/mine.html", context, status=400 if form.errors else 200)


@role_required(roles.WORKER)
@require_POST
def my_end(request: HttpRequest) -> HttpResponse:
    person = _own(request)
    if person is None:
        return redirect("people:me")
    stay = current_stay(person)
    if stay is None:
        messages.info(request, _("You have not reported a stay abroad."))
        return redirect("abroad:mine")
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            stay.person = person
            stay_end(actor=request.user, stay=stay, reason=form.cleaned_data["end_reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your stay is closed. Welcome home, or report the new one.")
            )
            return redirect("abroad:mine")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("abroad:mine")


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    person = _own(request)
    if person is None:
        return redirect("people:me")
    stay = current_stay(person)
    if stay is None:
        return render(request, "abroad/check_in.html", {"stay": None})
    stay.person = person
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answered = checkin_answer(
                actor=request.user,
                stay=stay,
                well=form.cleaned_data["well"],
                help=form.cleaned_data["help"],
                answers=form.answers(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if answered.case_id:
                messages.success(
                    request,
                    _(
                        "Thank you. An officer will contact you. Your report is %(reference)s "
                        "under My reports."
                    )
                    % {"reference": answered.case.reference},
                )
            elif answered.answers.get("help") == "yes":
                messages.success(request, _("Thank you. An officer will contact you."))
            else:
                messages.success(request, _("Thank you. Stay safe, and answer again any time."))
            return redirect("abroad:mine")
    last = (
        CheckIn.objects.filter(stay=stay, answered_at__isnull=False)
        .order_by("-answered_at")
        .first()
    )
    context = {"form": form, "stay": stay, "asked": open_check_in(stay), "last": last}
    return render(request, "abroad/check_in.html", context, status=400 if form.errors else 200)
