"""The jobs API's shapes for staff and recruiters (the public ones are in
api/public.py). Field names are the contract (docs/jobs.md, "API")."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class CostIn(Schema):
    item: str = Field(..., max_length=120)
    amount: Decimal
    currency: str = Field("IDR", max_length=3)


class CheckOut(Schema):
    code: str
    result: str
    message: str


class JobOrderIn(Schema):
    """A job order as a recruiter, an officer or an admin writes it. A recruiter's
    `agency_id` is always their own company (another is ignored)."""

    agency_id: int | None = None
    employer_id: int | None = None
    partner_id: int | None = None
    number: str = Field("", max_length=80, description="the demand letter's own number")
    destination: str = Field(..., max_length=2, description="ISO 3166-1 alpha-2")
    city: str = Field("", max_length=100)
    scheme: str = Field(..., max_length=40, description="a scheme code, as in the readiness API")
    sector: str = Field(..., max_length=20)
    occupation_code: str = Field(..., max_length=4, description="ISCO-08 unit group, e.g. 9111")
    occupation_title: str = Field("", max_length=200)
    positions: int = Field(0, ge=0, le=100000)
    positions_female: int = Field(0, ge=0, le=100000)
    positions_male: int = Field(0, ge=0, le=100000)
    wage_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    wage_currency: str = Field("", max_length=3, description="ISO 4217")
    wage_period: str = Field("month", description="month or hour")
    hours_per_day: int | None = Field(None, ge=0, le=24)
    days_per_week: int | None = Field(None, ge=0, le=7)
    rest_days_per_month: int | None = Field(None, ge=0, le=31)
    overtime: str = Field("", max_length=200)
    leave_days_per_year: int | None = Field(None, ge=0, le=366)
    food: str = ""
    lodging: str = ""
    transport: str = ""
    insurance: str = Field("", max_length=300)
    contract_months: int | None = Field(None, ge=0, le=240)
    ticket_paid_by: str = Field("", description="employer, agency, worker or government")
    worker_costs: list[CostIn] = Field(default_factory=list, max_length=30)
    closing_date: date | None = None
    requirement_set_id: int | None = None
    skills: str = Field("", max_length=500)
    certificates: str = Field("", max_length=500)
    language: str = Field("", max_length=40)
    language_level: str = Field("", max_length=20)
    required_language: str = Field("", max_length=3, description="ISO 639-1, for matching")
    required_language_scale: str = Field(
        "", max_length=6, description="cefr, topik, jlpt, jft, ielts or self"
    )
    required_language_level: str = Field(
        "", max_length=10, description="the lowest level accepted, one of the scale's levels"
    )
    required_course_ids: list[int] = Field(
        default_factory=list, max_length=20, description="courses whose certificate is required"
    )
    experience_months: int | None = Field(None, ge=0, le=600)
    min_age: int | None = Field(None, ge=0, le=100)
    max_age: int | None = Field(None, ge=0, le=100)
    description: str = Field("", max_length=5000)
    attested_on: date | None = None
    attested_by: str = Field("", max_length=200)
    sip2mi_number: str = Field("", max_length=80)
    sip2mi_date: date | None = None


class JobOrderPatch(JobOrderIn):
    """PATCH: only the fields the body names change; `version` (the one read) guards
    against a concurrent change."""

    destination: str | None = Field(None, max_length=2)
    scheme: str | None = Field(None, max_length=40)
    sector: str | None = Field(None, max_length=20)
    occupation_code: str | None = Field(None, max_length=4)
    version: int | None = None


class JobOrderOut(Schema):
    id: int
    reference: str
    number: str
    status: str
    status_reason: str
    agency_id: int | None
    employer_id: int | None
    partner_id: int | None
    destination: str
    city: str
    scheme: str
    sector: str
    occupation_code: str
    occupation_title: str
    fee_free: bool
    positions: int
    positions_female: int
    positions_male: int
    wage_amount: Decimal | None
    wage_currency: str
    wage_period: str
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
    worker_costs: list[dict]
    closing_date: date | None
    requirement_set_id: int | None
    skills: str
    certificates: str
    language: str
    language_level: str
    required_language: str
    required_language_scale: str
    required_language_level: str
    required_course_ids: list[int]
    experience_months: int | None
    min_age: int | None
    max_age: int | None
    description: str
    attested_on: date | None
    attested_by: str
    sip2mi_number: str
    sip2mi_date: date | None
    checks: list[CheckOut]
    checked_at: datetime | None
    accepted_warnings: dict
    submitted_at: datetime | None
    verified_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

    @staticmethod
    def resolve_required_course_ids(obj) -> list[int]:
        return sorted(c.pk for c in obj.required_courses.all())


class JobOrderListOut(Schema):
    id: int
    reference: str
    number: str
    status: str
    agency_id: int | None
    destination: str
    sector: str
    scheme: str
    occupation_code: str
    occupation_title: str
    positions: int
    closing_date: date | None
    failed_checks: int
    updated_at: datetime


class OrderFilter(Schema):
    status: str | None = None
    destination: str | None = Field(None, max_length=2)
    agency_id: int | None = None


class VerifyIn(Schema):
    accepted_warnings: dict[str, str] = Field(
        default_factory=dict, description="{check code: why the warning is acceptable}"
    )
    version: int | None = None


class OrderReasonIn(Schema):
    reason: str = Field("", max_length=500)
    version: int | None = None


class ChecksOut(Schema):
    checks: list[CheckOut]
    verdict: str


class EmployerIn(Schema):
    name: str = Field(..., max_length=200)
    country: str = Field(..., max_length=2)
    kind: str = "legal_entity"
    city: str = Field("", max_length=100)
    registration_number: str = Field("", max_length=80)
    sector: str = Field("", max_length=20)
    address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class EmployerOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    city: str
    registration_number: str
    sector: str
    listed: bool = False


class PartnerIn(Schema):
    name: str = Field(..., max_length=200)
    country: str = Field(..., max_length=2)
    city: str = Field("", max_length=100)
    licence_number: str = Field("", max_length=80)
    address: str = Field("", max_length=300)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class PartnerOut(Schema):
    id: int
    name: str
    country: str
    city: str
    licence_number: str
    listed: bool = False


class ListingIn(Schema):
    employer_id: int | None = None
    partner_id: int | None = None
    reason: str = Field("", max_length=2000)
    source: str = Field("", max_length=300)
    listed_on: date | None = None


class DelistIn(Schema):
    reason: str = Field("", max_length=500)
    delisted_on: date | None = None


class ListingOut(Schema):
    id: int
    employer_id: int | None
    partner_id: int | None
    name: str
    country: str
    reason: str
    source: str
    listed_on: date
    delisted_on: date | None
    delisting_reason: str
