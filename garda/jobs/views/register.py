"""The licence register of placement companies (admins only): the list, a new
company, one company with its status history, branches and staff, a decision on its
licence, and the register file's upload. Every page reads through `jobs/access.py`
and writes through `services/register.py`; any other role gets 403 and a denied row.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.gate import deny_not_found
from garda.jobs import access
from garda.jobs.forms.register import (
    AgencyForm,
    BranchForm,
    LoadForm,
    RecruiterForm,
    RegisterFilterForm,
    StatusForm,
)
from garda.jobs.models import AgencyBranch, PlacementAgency, Recruiter, name_key
from garda.jobs.services import register as services
from garda.pagination import CappedPaginator
from garda.viewutils import add_service_errors

PAGE_SIZE = 25
ADMIN_ONLY = (roles.ADMIN,)
STATUS_TAGS = {
    PlacementAgency.Status.ACTIVE: "tag-green",
    PlacementAgency.Status.SUSPENDED: "tag-yellow",
    PlacementAgency.Status.REVOKED: "tag-red",
}


def _filter(qs, values: dict):
    q = (values.get("q") or "").strip()
    if q:
        key = name_key(q)
        match = Q(licence_number__icontains=q)
        if key:
            match |= Q(name_key__contains=key)
        qs = qs.filter(match)
    if values.get("status"):
        qs = qs.filter(status=values["status"])
    return qs


@role_required(*ADMIN_ONLY)
@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    values = form.values()
    qs = _filter(PlacementAgency.objects.all(), values)
    qs = (
        qs.select_related("head_office_region")
        .annotate(n_branches=Count("branches", distinct=True))
        .order_by("name", "pk")
    )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for agency in page.object_list:
        agency.tag = STATUS_TAGS.get(agency.status, "")
        agency.expired = bool(agency.licence_valid_until and agency.licence_valid_until < today)
    return render(
        request,
        "jobs/register_list.html",
        {"filters": form, "page": page, "filtered": any(values.values())},
    )


@role_required(*ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AgencyForm(request.POST)
        if form.is_valid():
            try:
                agency = services.agency_create(actor=request.user, data=form.agency_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The company is registered."))
                return redirect("jobs:agency_manage", pk=agency.pk)
    else:
        form = AgencyForm()
    return render(
        request,
        "jobs/register_create.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _get_agency(request, pk) -> PlacementAgency:
    agency = access.get_agency_for(request.user, pk)
    return PlacementAgency.objects.select_related("head_office_region").get(pk=agency.pk)


def render_manage(request, agency: PlacementAgency, *, status: int = 200, **forms):
    """The company's page: its details (editable), the history of its licence, its
    branches and its staff, each with its form."""
    history = agency.status_changes.select_related("changed_by").order_by("-effective_on", "-id")
    branches = agency.branches.select_related("region").order_by("region_id")
    staff = agency.staff.select_related("user").order_by("user__full_name", "user_id")
    today = timezone.localdate()
    context = {
        "agency": agency,
        "tag": STATUS_TAGS.get(agency.status, ""),
        "licensed": agency.licensed_on(today),
        "expired": bool(agency.licence_valid_until and agency.licence_valid_until < today),
        "history": history,
        "branches": branches,
        "staff": staff,
        "form": forms.get("form") or AgencyForm(agency=agency),
        "status_form": forms.get("status_form") or StatusForm(initial={"effective_on": today}),
        "branch_form": forms.get("branch_form") or BranchForm(),
        "recruiter_form": forms.get("recruiter_form") or RecruiterForm(),
    }
    return render(request, "jobs/register_manage.html", context, status=status)


@role_required(*ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def agency_manage(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    if request.method != "POST":
        return render_manage(request, agency)
    form = AgencyForm(request.POST, agency=agency)
    if form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, data=form.agency_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The company's details are saved."))
            return redirect("jobs:agency_manage", pk=agency.pk)
    return render_manage(request, agency, status=400, form=form)


@role_required(*ADMIN_ONLY)
@require_POST
def agency_status(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.agency_status_change(
                actor=request.user,
                agency=agency,
                status=d["status"],
                effective_on=d["effective_on"],
                reason=d["reason"],
                source=d["source"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The licence status is changed."))
            return redirect(reverse("jobs:agency_manage", args=[agency.pk]) + "#status")
    return render_manage(request, agency, status=400, status_form=form)


@role_required(*ADMIN_ONLY)
@require_POST
def branch_add(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    form = BranchForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.branch_add(
                actor=request.user,
                agency=agency,
                region=d["region_value"],
                address=d["address"],
                phone=d["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The branch is added."))
            return redirect(reverse("jobs:agency_manage", args=[agency.pk]) + "#branches")
    return render_manage(request, agency, status=400, branch_form=form)


@role_required(*ADMIN_ONLY)
@require_POST
def branch_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        branch = AgencyBranch.objects.get(pk=pk)
    except AgencyBranch.DoesNotExist:
        deny_not_found(request.user, "jobs.agencybranch", pk, "branch_remove")
    services.branch_remove(actor=request.user, branch=branch)
    messages.success(request, _("The branch is removed."))
    return redirect(reverse("jobs:agency_manage", args=[branch.agency_id]) + "#branches")


@role_required(*ADMIN_ONLY)
@require_POST
def recruiter_add(request: HttpRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    form = RecruiterForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.recruiter_add(
                actor=request.user,
                agency=agency,
                email=d["email"],
                full_name=d["full_name"],
                phone=d["phone"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The account is created: they set their password through “forgot password”."),
            )
            return redirect(reverse("jobs:agency_manage", args=[agency.pk]) + "#staff")
    return render_manage(request, agency, status=400, recruiter_form=form)


@role_required(*ADMIN_ONLY)
@require_POST
def recruiter_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        link = Recruiter.objects.select_related("user").get(pk=pk)
    except Recruiter.DoesNotExist:
        deny_not_found(request.user, "jobs.recruiter", pk, "recruiter_remove")
    if link.user.is_active:
        services.recruiter_remove(actor=request.user, link=link)
        messages.success(request, _("The account is deactivated."))
    else:
        messages.info(request, _("The account was already deactivated."))
    return redirect(reverse("jobs:agency_manage", args=[link.agency_id]) + "#staff")


@role_required(*ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def register_load(request: HttpRequest) -> HttpResponse:
    result = None
    if request.method == "POST":
        form = LoadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = services.agencies_load(actor=request.user, text=form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                if result.errors:
                    form.add_error(
                        "file",
                        _("The file has %(n)s error(s): nothing was loaded.")
                        % {"n": len(result.errors)},
                    )
    else:
        form = LoadForm()
    failed = request.method == "POST" and bool(form.errors)
    return render(
        request,
        "jobs/register_load.html",
        {
            "form": form,
            "result": None if failed else result,
            "errors": result and result.errors,
            "columns": ",".join(services.COLUMNS),
        },
        status=400 if failed else 200,
    )
