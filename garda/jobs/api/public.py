"""The public doors of the jobs app for other systems (no login): the same rules,
helpers and budget as the pages (views/public.py, throttles.py).

- `GET /vacancies?destination=&sector=&occupation=&scheme=` and `GET /vacancies/{id}`:
  verified orders whose closing date has not passed (any other order: 404);
- `GET /placement-agencies?q=` and `GET /placement-agencies/{id}`: the licence
  register, with the status today;
- `POST /job-check`: "is this job real?" — {"verdict", "checks", "matching_orders"}.
  Nothing typed is stored (only the count of each check's result per day). Invalid
  input: 422 in the API's error format; over the budget (`GARDA_JOB_CHECK_RATE`,
  shared with the page): 429 with Retry-After.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from garda.apiutils import error_body
from garda.jobs import access, throttles
from garda.jobs.forms.public import COST_ROWS, JobCheckForm
from garda.jobs.models import AgencyBranch, PlacementAgency
from garda.jobs.views.public import board, check_job, licence_state, region_words
from garda.pagination import COUNT_CAP, Pagination

router = Router(tags=["jobs"])


# --- schemas ------------------------------------------------------------------------


class AgencyBrief(Schema):
    id: int
    name: str
    licence_number: str
    status: str = Field(description="active, suspended or revoked (the register)")
    licensed_today: bool = Field(description="active and the licence not expired today")


class VacancyOut(Schema):
    id: int
    reference: str
    occupation_code: str = Field(description="ISCO-08 unit group, e.g. 9111")
    occupation_title: str
    destination: str = Field(description="ISO country code, e.g. HK")
    city: str
    sector: str
    scheme: str
    positions: int
    wage_amount: Decimal | None
    wage_currency: str
    wage_period: str = Field(description="month or hour")
    closing_date: date | None
    fee_free: bool
    agency: AgencyBrief | None = Field(description="null for a government-to-government order")


class PublicCheckOut(Schema):
    code: str
    result: str = Field(description="pass, fail or warn")
    message: str


class CostOut(Schema):
    item: str = ""
    amount: str = ""
    currency: str = ""


class VacancyDetailOut(VacancyOut):
    positions_female: int
    positions_male: int
    hours_per_day: int | None
    days_per_week: int | None
    rest_days_per_month: int | None
    overtime: str
    leave_days_per_year: int | None
    food: str
    lodging: str
    transport: str
    insurance: str
    contract_months: int | None
    ticket_paid_by: str
    worker_costs: list[CostOut] = Field(description="the costs charged to the worker")
    min_age: int | None
    max_age: int | None
    skills: str
    certificates: str
    language: str
    language_level: str
    experience_months: int | None
    description: str
    checks: list[PublicCheckOut] = Field(description="the checks it passed when verified")


class PlacementAgencyOut(Schema):
    id: int
    name: str
    licence_number: str
    status: str = Field(description="active, suspended or revoked (the register)")
    status_since: date | None
    status_reason: str
    licence_valid_until: date | None
    licensed_today: bool
    head_office: str = Field(description="the region of the head office, by name")
    branches: list[str] = Field(description="the regions of the branch offices, by name")


class VacancyFilter(Schema):
    destination: str = ""
    sector: str = ""
    occupation: str = ""
    scheme: str = ""


class JobCheckCostIn(Schema):
    item: str = Field("", max_length=100)
    amount: Decimal
    currency: str = Field("IDR", description="ISO currency code")


class JobCheckIn(Schema):
    agency: str = Field("", max_length=200, description="the company's name or licence number")
    employer: str = Field("", max_length=200)
    destination: str = Field("", description="ISO country code, e.g. HK")
    sector: str = ""
    occupation_code: str = Field("", description="ISCO-08 unit group, e.g. 9111")
    wage_amount: Decimal | None = None
    wage_currency: str = ""
    wage_period: str = "month"
    worker_costs: list[JobCheckCostIn] = Field(default_factory=list, description="at most 5 rows")


class JobCheckOut(Schema):
    verdict: str = Field(description="ok, warning or danger")
    checks: list[PublicCheckOut]
    matching_orders: list[int] = Field(description="ids of verified vacancies like it")


# --- the vacancy board ------------------------------------------------------------------


def _agency_brief(agency: PlacementAgency | None, today) -> dict | None:
    if agency is None:
        return None
    return {
        "id": agency.pk,
        "name": agency.name,
        "licence_number": agency.licence_number,
        "status": agency.status,
        "licensed_today": agency.licensed_on(today),
    }


def _vacancy(order, today) -> dict:
    return {
        "id": order.pk,
        "reference": order.reference,
        "occupation_code": order.occupation_code,
        "occupation_title": order.occupation_title,
        "destination": order.destination,
        "city": order.city,
        "sector": order.sector,
        "scheme": order.scheme,
        "positions": order.positions,
        "wage_amount": order.wage_amount,
        "wage_currency": order.wage_currency,
        "wage_period": order.wage_period,
        "closing_date": order.closing_date,
        "fee_free": order.fee_free,
        "agency": _agency_brief(order.agency, today),
    }


class _Rows:
    """A queryset that turns each row of the page into the answer's dict (the
    paginator slices and counts it like the queryset)."""

    def __init__(self, qs, convert):
        self.qs, self.convert = qs, convert

    def __getitem__(self, key):
        return [self.convert(row) for row in self.qs[key]]

    def __len__(self):
        return self.qs[: COUNT_CAP + 1].count()


@router.get(
    "/vacancies",
    auth=None,
    response=list[VacancyOut],
    summary="Verified, open job vacancies (public, no login)",
)
@paginate(Pagination, page_size=20)
def vacancy_list(request: HttpRequest, filters: Query[VacancyFilter]):
    """Job orders verified by an officer whose closing date has not passed, newest
    first; `occupation` is an ISCO-08 code. `page` and `page_size` page them."""
    values = {
        "destination": filters.destination.strip().upper(),
        "sector": filters.sector.strip().lower(),
        "occupation": filters.occupation.strip(),
        "scheme": filters.scheme.strip().lower(),
    }
    today = timezone.localdate()
    return _Rows(board(values), lambda order: _vacancy(order, today))


@router.get(
    "/vacancies/{order_id}",
    auth=None,
    response={200: VacancyDetailOut, 404: dict},
    summary="One verified vacancy with its terms and checks (public, no login)",
)
def vacancy_detail(request: HttpRequest, order_id: int):
    order = access.get_vacancy(order_id)
    out = _vacancy(order, timezone.localdate())
    for name in VacancyDetailOut.model_fields:
        if name not in out:
            out[name] = getattr(order, name)
    out["worker_costs"] = [
        {
            "item": str(c.get("item") or ""),
            "amount": str(c.get("amount") or ""),
            "currency": str(c.get("currency") or ""),
        }
        for c in (order.worker_costs or [])
        if isinstance(c, dict)
    ]
    out["checks"] = [
        {"code": c.get("code", ""), "result": c.get("result", ""), "message": c.get("message", "")}
        for c in (order.checks or [])
        if isinstance(c, dict)
    ]
    return out


# --- the licence register -----------------------------------------------------------------


def _agency(agency: PlacementAgency, today) -> dict:
    return {
        "id": agency.pk,
        "name": agency.name,
        "licence_number": agency.licence_number,
        "status": agency.status,
        "status_since": agency.status_since,
        "status_reason": agency.status_reason,
        "licence_valid_until": agency.licence_valid_until,
        "licensed_today": licence_state(agency, today)["ok"],
        "head_office": region_words(agency.head_office_region),
        "branches": [region_words(b.region) for b in agency.branches.all()],
    }


def _agencies(q: str):
    branches = AgencyBranch.objects.select_related("region", "region__parent")
    return (
        access.public_agencies(q)
        .select_related("head_office_region__parent")
        .prefetch_related(Prefetch("branches", queryset=branches))
    )


@router.get(
    "/placement-agencies",
    auth=None,
    response=list[PlacementAgencyOut],
    summary="Is this company licensed? The licence register by name or number (public)",
)
@paginate(Pagination, page_size=20)
def placement_agency_list(request: HttpRequest, q: str = ""):
    """Placement companies (P3MI) whose name or licence number matches `q` (all when
    empty), with their status today. A company not found has no licence."""
    today = timezone.localdate()
    return _Rows(_agencies(q), lambda agency: _agency(agency, today))


@router.get(
    "/placement-agencies/{agency_id}",
    auth=None,
    response={200: PlacementAgencyOut, 404: dict},
    summary="One placement company of the licence register (public, no login)",
)
def placement_agency_detail(request: HttpRequest, agency_id: int):
    agency = _agencies("").filter(pk=agency_id).first()
    if agency is None:
        return JsonResponse(error_body(_("Not found.")), status=404)
    return _agency(agency, timezone.localdate())


# --- "is this job real?" ----------------------------------------------------------------


def _throttled() -> JsonResponse:
    response = JsonResponse(
        error_body(_("Too many checks from this address. Wait an hour, then try again.")),
        status=429,
    )
    response["Retry-After"] = str(throttles.JOB_CHECK.retry_after())
    return response


def _form_data(payload: JobCheckIn) -> dict:
    data = {
        "agency": payload.agency,
        "employer": payload.employer,
        "destination": payload.destination.strip().upper(),
        "sector": payload.sector.strip().lower(),
        "occupation_code": payload.occupation_code.strip(),
        "wage_amount": "" if payload.wage_amount is None else str(payload.wage_amount),
        "wage_currency": payload.wage_currency.strip().upper(),
        "wage_period": payload.wage_period.strip().lower() or "month",
    }
    for n, cost in enumerate(payload.worker_costs, start=1):
        data[f"cost_{n}_item"] = cost.item
        data[f"cost_{n}_amount"] = str(cost.amount)
        data[f"cost_{n}_currency"] = (cost.currency or "IDR").strip().upper()
    return data


def _field_name(name: str) -> str:
    """The form's cost_2_amount is the API's worker_costs.1.amount."""
    if name.startswith("cost_"):
        _cost, n, part = name.split("_", 2)
        return f"worker_costs.{int(n) - 1}.{part}"
    return name


@router.post(
    "/job-check",
    auth=None,
    response={200: JobCheckOut, 422: dict, 429: dict},
    summary="Is this job real? Check a job offer (public, no login; nothing is stored)",
)
def job_check(request: HttpRequest, payload: JobCheckIn):
    """Any of the fields a worker knows; the answer is the verdict (ok, warning,
    danger), each check with its message in the reader's language, and the ids of
    verified vacancies for the same destination (and job, and company if found).
    Nothing typed is stored. At most GARDA_JOB_CHECK_RATE per client address (with
    the page's)."""
    if throttles.JOB_CHECK.exceeded(request):
        return _throttled()
    if len(payload.worker_costs) > COST_ROWS:
        raise ValidationError(
            {
                "worker_costs": ValidationError(
                    _("At most %(n)s costs.") % {"n": COST_ROWS}, code="max_length"
                )
            }
        )
    form = JobCheckForm(_form_data(payload))
    if not form.is_valid():
        raise ValidationError(
            {_field_name(field): list(errors) for field, errors in form.errors.as_data().items()}
        )
    throttles.JOB_CHECK.hit(request)
    answer = check_job(form.values())
    return {
        "verdict": answer["verdict"],
        "checks": [c.as_dict() for c in answer["checks"]],
        "matching_orders": [o.pk for o in answer["matching"]],
    }
