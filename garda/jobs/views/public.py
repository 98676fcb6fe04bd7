"""The public doors of the jobs app (no login; docs/jobs.md): for workers and their
families, in plain words, on a phone, without JavaScript.

- the vacancy board (`vacancies`, `vacancy`): verified orders whose closing date has
  not passed, filtered by destination, sector, job and scheme; any other order is a
  404 (the public is not logged);
- "is this agency licensed?" (`agency_lookup`, `agency_public`): the licence
  register by name or licence number, the status today in words, and what to do
  when a company is not found, suspended or revoked;
- "is this job real?" (`job_check`): what a worker was offered, through the same
  fair-recruitment checks as a job order (`checks.run` over `facts.public_facts`).
  Nothing typed is stored: only the count of each check's result per day
  (`JobCheckTally`). Throttled per client address with the API (throttles.py).

The API (`garda/jobs/api/public.py`) answers with the same helpers.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from garda import pagecache
from garda.destinations.models import Destination, Scheme, Sector
from garda.jobs import access, checks, facts, throttles
from garda.jobs.forms.public import JobCheckForm, VacancyFilterForm
from garda.jobs.models import AgencyBranch, JobCheckTally, JobOrder, PlacementAgency
from garda.pagination import CappedPaginator
from garda.places.forms import place_label, short_name

PAGE_SIZE = 20
MATCHING_LIMIT = 10


# --- words ------------------------------------------------------------------------


def _day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def wage_words(order: JobOrder) -> str:
    """ "HKD 5.200 per bulan" ("" when no wage is given)."""
    if order.wage_amount is None:
        return ""
    return (
        f"{checks.money(order.wage_amount, order.wage_currency)} {order.get_wage_period_display()}"
    )


def licence_state(agency: PlacementAgency | None, today=None) -> dict:
    """A company's licence today, in words: {"label", "tag", "ok", "detail", "status"}."""
    today = today or timezone.localdate()
    if agency is None:
        return {
            "status": "g2g",
            "label": _("Government-to-government placement: no company is involved"),
            "tag": "tag-blue",
            "ok": True,
            "detail": "",
        }
    status = agency.status
    if status == PlacementAgency.Status.REVOKED:
        label, tag, ok = _("Licence revoked: may not recruit workers"), "tag-red", False
    elif status == PlacementAgency.Status.SUSPENDED:
        label, tag, ok = (
            _("Suspended (tunda layanan): may not take new workers"),
            "tag-red",
            False,
        )
    elif agency.licence_valid_until and agency.licence_valid_until < today:
        label, tag, ok = (
            _("Licence expired on %(day)s") % {"day": _day(agency.licence_valid_until)},
            "tag-red",
            False,
        )
        status = "expired"
    else:
        label, tag, ok = _("Licensed (active)"), "tag-green", True
    detail = ""
    if not ok and agency.status != PlacementAgency.Status.ACTIVE:
        parts = []
        if agency.status_since:
            parts.append(_("Since %(day)s.") % {"day": _day(agency.status_since)})
        if agency.status_reason:
            parts.append(f"{_('Reason:')} {agency.status_reason}")
        detail = " ".join(parts)
    elif ok and agency.licence_valid_until:
        detail = _("Licence valid until %(day)s") % {"day": _day(agency.licence_valid_until)}
    return {"status": status, "label": label, "tag": tag, "ok": ok, "detail": detail}


def _names() -> dict[str, str]:
    return {d.code: d.display_name for d in Destination.objects.only("code", "name", "name_en")}


def destination_name(code: str, names: dict | None = None) -> str:
    names = names if names is not None else _names()
    return names.get(code, code)


# --- the vacancy board --------------------------------------------------------------


def board(values: dict) -> QuerySet[JobOrder]:
    """The published vacancies with the filters given (codes)."""
    qs = access.vacancies().select_related("agency")
    if values.get("destination"):
        qs = qs.filter(destination=values["destination"])
    if values.get("sector"):
        qs = qs.filter(sector=values["sector"])
    if values.get("occupation"):
        qs = qs.filter(occupation_code=values["occupation"])
    if values.get("scheme"):
        qs = qs.filter(scheme=values["scheme"])
    if values.get("company"):
        qs = qs.filter(agency_id=values["company"])
    return qs.order_by("-verified_at", "-id")


def fill_vacancies(orders, names: dict, today=None) -> None:
    """The words of each row of the board (no query per row)."""
    for order in orders:
        order.destination_name = names.get(order.destination, order.destination)
        order.wage_words = wage_words(order)
        order.licence = licence_state(order.agency, today)


@require_GET
@pagecache.public_page("jobs")
def vacancy_list(request: HttpRequest) -> HttpResponse:
    names_all = list(Destination.objects.only("code", "name", "name_en", "is_published"))
    names = {d.code: d.display_name for d in names_all}
    published = sorted(
        ((d.code, d.display_name) for d in names_all if d.is_published), key=lambda p: p[1]
    )
    filters = VacancyFilterForm(request.GET or None, destinations=published)
    values = filters.values()
    company = request.GET.get("company") or ""
    if company.isdigit() and len(company) < 12:
        values["company"] = int(company)
    page = CappedPaginator(board(values), PAGE_SIZE).get_page(request.GET.get("page"))
    fill_vacancies(page.object_list, names)
    context = {"filters": filters, "page": page, "filtered": bool(values)}
    return render(request, "jobs/public_vacancies.html", context)


def terms(order: JobOrder) -> list[tuple[str, str]]:
    """The terms of a vacancy as (what, in words); what is not given says so."""
    unknown = _("Not stated")
    rows = []
    if order.hours_per_day and order.days_per_week:
        hours = _("%(h)s hours a day, %(d)s days a week") % {
            "h": order.hours_per_day,
            "d": order.days_per_week,
        }
    else:
        hours = unknown
    rows.append((_("Working hours"), hours))
    if order.rest_days_per_month is not None:
        rest = _("%(n)s days a month") % {"n": order.rest_days_per_month}
    else:
        rest = unknown
    rows.append((_("Rest days"), rest))
    if order.overtime:
        rows.append((_("Overtime pay"), order.overtime))
    if order.leave_days_per_year is not None:
        leave = _("%(n)s paid days a year") % {"n": order.leave_days_per_year}
    else:
        leave = unknown
    rows.append((_("Paid leave"), leave))
    rows.append((_("Food"), order.get_food_display() or unknown))
    rows.append((_("Lodging"), order.get_lodging_display() or unknown))
    if order.transport:
        rows.append((_("Transport to work"), order.get_transport_display()))
    rows.append((_("Insurance"), order.insurance or unknown))
    if order.contract_months:
        contract = _("%(n)s months") % {"n": order.contract_months}
    else:
        contract = unknown
    rows.append((_("Contract length"), contract))
    rows.append((_("Tickets paid by"), order.get_ticket_paid_by_display() or unknown))
    return rows


def costs_words(order: JobOrder) -> tuple[str, list[str]]:
    """What the worker pays: a sentence, and the costs listed (if any)."""
    listed = [
        f"{c.get('item') or '?'}: {checks.money(c.get('amount'), c.get('currency') or '')}"
        for c in checks._charged(order.worker_costs)
    ]
    if order.fee_free and not listed:
        return _(
            "This is a fee-free job: the worker pays nothing for the placement. If anyone "
            "asks you for money for it, do not pay and report it."
        ), []
    if not listed:
        return _("The worker pays nothing: no cost is charged to the worker."), []
    return _("The worker pays only these costs. Nobody may ask you for anything else."), listed


@require_GET
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_vacancy(pk)
    scheme = Scheme.objects.filter(code=order.scheme).first()
    costs_text, costs_list = costs_words(order)
    context = {
        "order": order,
        "destination_name": destination_name(order.destination),
        "scheme_name": scheme.display_name if scheme else order.scheme,
        "wage": wage_words(order),
        "terms": terms(order),
        "costs_text": costs_text,
        "costs_list": costs_list,
        "checks": order.checks or [],
        "licence": licence_state(order.agency),
        # Issue 15: "Lamar pekerjaan ini" for a signed-in worker (views/applications.py).
        "apply": _apply_state(request.user, order),
    }
    return render(request, "jobs/public_vacancy.html", context)


def _apply_state(user, order: JobOrder) -> dict | None:
    """None for anyone but a signed-in worker; else whether they may apply (a record
    in the registry) and their application to this order, if any."""
    from garda.accounts import roles
    from garda.jobs.models import Application

    if not getattr(user, "is_authenticated", False) or user.role != roles.WORKER:
        return None
    mine = Application.objects.filter(order=order, person__user=user).first()
    has_person = mine is not None or user_has_person(user)
    return {"application": mine, "has_person": has_person}


def user_has_person(user) -> bool:
    from garda.people.access import visible_people

    return visible_people(user).filter(user=user).exists()


# --- "is this agency licensed?" -------------------------------------------------------


@require_GET
def agency_lookup(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    page = None
    advice = False
    if q:
        page = CappedPaginator(access.public_agencies(q), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        today = timezone.localdate()
        for agency in page.object_list:
            agency.licence = licence_state(agency, today)
        advice = not page.paginator.count or any(not a.licence["ok"] for a in page.object_list)
    context = {"q": q, "page": page, "advice": advice}
    return render(request, "jobs/public_agencies.html", context)


def branch_rows(agency: PlacementAgency) -> list[str]:
    rows = []
    for branch in AgencyBranch.objects.filter(agency=agency).select_related(
        "region", "region__parent"
    ):
        label = place_label(branch.region)
        parent = branch.region.parent
        if parent is not None and branch.region.level != "province":
            label = f"{label}, {short_name(parent)}"
        rows.append({"region": label, "address": branch.address, "phone": branch.phone})
    return rows


def region_words(region) -> str:
    if region is None:
        return ""
    label = place_label(region)
    parent = getattr(region, "parent", None)
    if parent is not None and region.level != "province":
        label = f"{label}, {short_name(parent)}"
    return label


@require_GET
def agency_public(request: HttpRequest, pk: int) -> HttpResponse:
    agency = access.get_public_agency(pk)
    licence = licence_state(agency)
    context = {
        "agency": agency,
        "licence": licence,
        "head_office": region_words(agency.head_office_region),
        "branches": branch_rows(agency),
        "advice": not licence["ok"],
        "vacancy_count": access.vacancies().filter(agency=agency).count(),
    }
    return render(request, "jobs/public_agency.html", context)


# --- "is this job real?" ----------------------------------------------------------------

VERDICT_WORDS = {
    "ok": (
        lambda: _("No problem found in what you typed"),
        lambda: _(
            "Garda found nothing wrong in what you typed. This is not a guarantee: check "
            "the contract before you sign, and never hand over your passport."
        ),
        "tag-green",
    ),
    "warning": (
        lambda: _("Be careful: something needs checking"),
        lambda: _(
            "Some of what you typed needs checking. Read each point below and ask the "
            "manpower office (Disnaker) or the BP3MI before you pay or sign anything."
        ),
        "tag-yellow",
    ),
    "danger": (
        lambda: _("Danger: this offer breaks the rules"),
        lambda: _(
            "What you typed breaks the rules for placing migrant workers. Do not pay, do "
            "not hand over your passport or documents, and ask the manpower office "
            "(Disnaker) or call the help line."
        ),
        "tag-red",
    ),
}


def tally(found: list) -> None:
    """Count each check's result for today (nothing of what was typed)."""
    today = timezone.localdate()
    for check in found:
        key = {"day": today, "code": check.code, "result": check.result}
        if JobCheckTally.objects.filter(**key).update(count=F("count") + 1):
            continue
        try:
            with transaction.atomic():
                JobCheckTally.objects.create(**key, count=1)
        except IntegrityError:  # another request created it first
            JobCheckTally.objects.filter(**key).update(count=F("count") + 1)


def matching_orders(values: dict, agency: PlacementAgency | None) -> QuerySet[JobOrder]:
    """Verified open orders for the same destination (and job, and company if it was
    found): none without a destination."""
    if not values.get("destination"):
        return JobOrder.objects.none()
    qs = access.vacancies().filter(destination=values["destination"])
    if values.get("occupation_code"):
        qs = qs.filter(occupation_code=values["occupation_code"])
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.order_by("-verified_at", "-id")


def check_job(values: dict) -> dict:
    """The answer to "is this job real?" for cleaned values (the page and the API):
    {"verdict", "checks", "matching", "agency", "unchecked"}; the results are tallied."""
    found = checks.run(facts.public_facts(values))
    tally(found)
    agency = facts.find_agency(values.get("agency") or "") if values.get("agency") else None
    matching = list(matching_orders(values, agency).select_related("agency")[:MATCHING_LIMIT])
    unchecked = []
    if values.get("wage_amount") is not None and not any(
        c.code == checks.WAGE_FLOOR for c in found
    ):
        unchecked.append(
            _(
                "The wage was not compared with a minimum wage: choose the destination "
                "and the job (Garda knows the minimum wage of some jobs only)."
            )
        )
    if values.get("worker_costs") and not any(c.code == checks.WORKER_FEE for c in found):
        unchecked.append(
            _("The costs were not checked: choose the job, so Garda knows if it is fee-free.")
        )
    return {
        "verdict": checks.verdict(found),
        "checks": found,
        "matching": matching,
        "agency": agency,
        "unchecked": unchecked,
    }


@require_http_methods(["GET", "POST"])
def job_check(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "jobs/public_job_check.html", {"form": JobCheckForm()})
    form = JobCheckForm(request.POST)
    if throttles.JOB_CHECK.exceeded(request):
        context = {"form": form, "throttled": True}
        return render(request, "jobs/public_job_check.html", context, status=429)
    if not form.is_valid():
        return render(request, "jobs/public_job_check.html", {"form": form}, status=400)
    throttles.JOB_CHECK.hit(request)
    values = form.values()
    answer = check_job(values)
    names = _names()
    fill_vacancies(answer["matching"], names)
    title, meaning, tag = VERDICT_WORDS[answer["verdict"]]
    context = {
        "form": form,
        "answer": answer,
        "verdict": answer["verdict"],
        "verdict_title": title(),
        "verdict_meaning": meaning(),
        "verdict_tag": tag,
        "checks": answer["checks"],
        "agency_licence": licence_state(answer["agency"]) if answer["agency"] else None,
        "destination_name": destination_name(values["destination"], names)
        if values["destination"]
        else "",
        "sector_name": str(Sector(values["sector"]).label) if values["sector"] else "",
    }
    return render(request, "jobs/public_job_check.html", context)
