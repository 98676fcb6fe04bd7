"""The staff's pages: a person's stay taken by an officer, the countries overview and
the list per country (officers, supervisors, admins; an embassy's partners for
their own country)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from garda.abroad import policy
from garda.abroad.access import (
    LIST_ROLES,
    STAFF_ROLES,
    current_stay,
    current_stays,
    get_country_for,
    get_stay_person_for,
    list_countries,
    read_country_stays,
    read_stays_of,
)
from garda.abroad.forms import StayForm
from garda.abroad.services.stays import stay_report, stay_update, stay_values
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.crypto import mask
from garda.pagination import CappedPaginator
from garda.places.models import Country
from garda.viewutils import add_service_errors

PAGE_SIZE = 50


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def person_stay(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_stay_person_for(request.user, pk)
    stay = current_stay(person)
    form = StayForm(
        request.POST or None,
        initial=stay_values(stay) if stay else {},
        person=person,
        has_passport=bool(stay and stay.passport_number),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if stay is None:
                stay_report(
                    actor=request.user, person=person, data=form.stay_data(keep_passport=False)
                )
            else:
                stay.person = person
                stay_update(actor=request.user, stay=stay, data=form.stay_data(keep_passport=True))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The stay abroad is recorded."))
            return redirect("abroad:person_stay", pk=person.pk)
    stays = read_stays_of(request.user, person)
    rows = [{"stay": s, "passport": mask(s.passport_number)} for s in stays]
    check_ins = []
    if stay is not None:
        check_ins = list(stay.check_ins.select_related("case").order_by("-asked_at", "-id")[:10])
    context = {"person": person, "stay": stay, "rows": rows, "form": form, "check_ins": check_ins}
    return render(request, "abroad/person_stay.html", context, status=400 if form.errors else 200)


@role_required(*LIST_ROLES)
@require_GET
def countries(request: HttpRequest) -> HttpResponse:
    allowed = list_countries(request.user, "GET abroad:countries")
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="abroad.stay",
        reason="countries overview",
    )
    qs = current_stays()
    if allowed is not None:
        qs = qs.filter(country_id__in=allowed)
    counts = dict(qs.values_list("country_id").annotate(n=Count("id")).order_by())
    rows = [
        {"country": c, "count": counts[c.pk]}
        for c in Country.objects.filter(pk__in=counts).order_by("name_id")
    ]
    return render(request, "abroad/countries.html", {"rows": rows})


@role_required(*LIST_ROLES)
@require_GET
def country(request: HttpRequest, code: str) -> HttpResponse:
    found = get_country_for(request.user, code, "GET abroad:country")
    raw = request.GET.get("no_contact", "")
    # ASCII digits only ("²".isdigit() is true), and few of them.
    days = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else None
    days = days if days and days <= 3650 else None
    qs = read_country_stays(request.user, found, no_contact_days=days)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "country": found,
        "page": page,
        "days": days,
        "default_days": policy.current().no_contact_days,
        "staff": request.user.role in STAFF_ROLES,
        "today": timezone.localdate(),
    }
    return render(request, "abroad/country.html", context)
