"""Employers and foreign partners (recruiters, officers and admins write; supervisors
read the lists), and the problematic list (officers read it; supervisors and admins
list and delist). Read through `jobs/access.py` (a party the user may not see is a 404
with a denied row), written through `services/parties.py`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.jobs import access
from garda.jobs.forms.parties import (
    DelistForm,
    EmployerForm,
    ListingForm,
    PartnerForm,
    PartyFilterForm,
    country_names,
)
from garda.jobs.models import Employer, ForeignPartner, name_key
from garda.jobs.services import parties as services
from garda.pagination import CappedPaginator
from garda.viewutils import add_service_errors

PAGE_SIZE = 25
WRITERS = (roles.RECRUITER, roles.OFFICER, roles.ADMIN)
READERS = (*WRITERS, roles.SUPERVISOR)
LIST_READERS = (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN)
LIST_KEEPERS = (roles.SUPERVISOR, roles.ADMIN)
ACTIVE, PAST = "active", "past"


def _party_page(request, qs, model, template: str) -> HttpResponse:
    form = PartyFilterForm(request.GET or None)
    values = form.values()
    q = (values.get("q") or "").strip()
    if q:
        key = name_key(q)
        qs = qs.filter(
            Q(name__icontains=q) | Q(name_key__contains=key) if key else Q(name__icontains=q)
        )
    if values.get("country"):
        qs = qs.filter(country=values["country"].code)
    field = "employer" if model is Employer else "partner"
    qs = qs.annotate(listed=access.listed_now(field)).order_by("name", "pk")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = country_names(p.country for p in page.object_list)
    for party in page.object_list:
        party.country_name = names.get(party.country, party.country)
    return render(
        request,
        template,
        {
            "filters": form,
            "page": page,
            "filtered": any(values.values()),
            "may_write": request.user.role in WRITERS,
        },
    )


def _party_form(request, *, form_class, instance, save, template, done_url, saved_message):
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(form.data_out())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, saved_message)
                return redirect(done_url)
    else:
        form = form_class.for_instance(instance) if instance is not None else form_class()
    return render(
        request,
        template,
        {"form": form, "instance": instance},
        status=400 if request.method == "POST" else 200,
    )


# --- employers ---------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    return _party_page(
        request, access.visible_employers(request.user), Employer, "jobs/employer_list.html"
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def employer_create(request: HttpRequest) -> HttpResponse:
    return _party_form(
        request,
        form_class=EmployerForm,
        instance=None,
        save=lambda data: services.employer_save(actor=request.user, data=data),
        template="jobs/employer_form.html",
        done_url="jobs:employer_list",
        saved_message=_("The employer is saved."),
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def employer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    employer = access.get_employer_for(request.user, pk)
    return _party_form(
        request,
        form_class=EmployerForm,
        instance=employer,
        save=lambda data: services.employer_save(actor=request.user, data=data, employer=employer),
        template="jobs/employer_form.html",
        done_url="jobs:employer_list",
        saved_message=_("The employer is saved."),
    )


# --- foreign partners --------------------------------------------------------------


@role_required(*READERS)
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    return _party_page(
        request, access.visible_partners(request.user), ForeignPartner, "jobs/partner_list.html"
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    return _party_form(
        request,
        form_class=PartnerForm,
        instance=None,
        save=lambda data: services.partner_save(actor=request.user, data=data),
        template="jobs/partner_form.html",
        done_url="jobs:partner_list",
        saved_message=_("The partner is saved."),
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = access.get_partner_for(request.user, pk)
    return _party_form(
        request,
        form_class=PartnerForm,
        instance=partner,
        save=lambda data: services.partner_save(actor=request.user, data=data, partner=partner),
        template="jobs/partner_form.html",
        done_url="jobs:partner_list",
        saved_message=_("The partner is saved."),
    )


# --- the problematic list ----------------------------------------------------------


@role_required(*LIST_READERS)
@require_GET
def listing_list(request: HttpRequest) -> HttpResponse:
    which = request.GET.get("show") or ACTIVE
    if which not in (ACTIVE, PAST):
        which = ACTIVE
    qs = access.visible_listings(request.user).select_related("delisted_by")
    qs = qs.filter(delisted_on__isnull=which == ACTIVE).order_by("-listed_on", "-id")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = country_names(row.country for row in page.object_list)
    for row in page.object_list:
        row.country_name = names.get(row.country, row.country)
        row.party = row.employer or row.partner
    return render(
        request,
        "jobs/listing_list.html",
        {
            "page": page,
            "show": which,
            "may_keep": request.user.role in LIST_KEEPERS,
        },
    )


@role_required(*LIST_KEEPERS)
@require_http_methods(["GET", "POST"])
def listing_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ListingForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.listing_add(
                    actor=request.user,
                    reason=d["reason"],
                    source=d["source"],
                    listed_on=d["listed_on"],
                    employer=d["employer"],
                    partner=d["partner"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Put on the problematic list: their published job orders have left "
                        "the vacancy board."
                    ),
                )
                return redirect("jobs:listing_list")
    else:
        form = ListingForm()
    return render(
        request,
        "jobs/listing_create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@role_required(*LIST_KEEPERS)
@require_http_methods(["GET", "POST"])
def listing_delist(request: HttpRequest, pk: int) -> HttpResponse:
    listing = access.get_listing_for(request.user, pk)
    if request.method == "POST":
        form = DelistForm(request.POST)
        if form.is_valid():
            try:
                services.listing_remove(
                    actor=request.user,
                    listing=listing,
                    reason=form.cleaned_data["reason"],
                    delisted_on=form.cleaned_data["delisted_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Taken off the problematic list."))
                return redirect("jobs:listing_list")
    else:
        form = DelistForm()
    party = listing.employer or listing.partner
    return render(
        request,
        "jobs/listing_delist.html",
        {
            "form": form,
            "listing": listing,
            "party": party,
            "country_name": country_names([listing.country]).get(listing.country, ""),
        },
        status=400 if request.method == "POST" else 200,
    )
