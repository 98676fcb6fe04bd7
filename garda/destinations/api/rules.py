"""Destinations, schemes, sector rules and requirement sets in the API.

Reading is public (destination facts are public, docs/design.md), so the GET operations
take no authentication and show only published destinations, like the public
pages. Writing (adding a sector rule, creating or revising a requirement set) is for
admins: the same services and audit rows as the rules pages; other roles get 403,
anonymous callers 401.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.destinations.access import (
    get_destination_for,
    get_requirement_set_for,
    visible_destinations,
    visible_requirement_sets,
    visible_sector_rules,
)
from garda.destinations.models import (
    Destination,
    DestinationScheme,
    RequirementSet,
    Scheme,
    Sector,
)
from garda.destinations.requirements import requirements_prefetch, rules_in_force
from garda.destinations.services.rules import (
    RequirementData,
    RequirementSetTerms,
    VersionConflict,
    requirement_set_create,
    requirement_set_revise,
    sector_rule_add,
)
from garda.pagination import Pagination

router = Router(tags=["destinations"])

Code = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
SectorCode = Literal[tuple(Sector.values)]  # type: ignore[valid-type]


# --- output schemas -----------------------------------------------------------------


class SchemeOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    operator: str
    description: str
    description_en: str
    legal_basis: str
    fee_free: bool
    is_active: bool


class SectorStatusOut(Schema):
    id: int
    sector: str
    occupation: str
    status: str = Field(description="open, restricted or moratorium")
    legal_basis: str
    effective_from: date
    effective_to: date | None = Field(description="exclusive; null: until further notice")
    note: str


class DestinationSchemeOut(Schema):
    scheme: str
    name: str
    name_en: str
    kind: str
    fee_free: bool
    sectors: list[str] = Field(description="empty: any sector")
    language_tests: str
    notes: str


class EmbassyOut(Schema):
    name: str
    address: str
    phone: str
    email: str
    website: str


class DestinationListOut(Schema):
    code: str
    name: str
    name_en: str
    region: str
    min_age: int
    schemes: list[str]
    sector_statuses: list[SectorStatusOut] = Field(
        description="rules in force on the day asked (default today); a sector without "
        "a rule has no special status"
    )

    @staticmethod
    def resolve_schemes(obj) -> list[str]:
        return [ds.scheme.code for ds in obj.schemes.all()]

    @staticmethod
    def resolve_sector_statuses(obj) -> list:
        return obj.rules_now


class DestinationOut(DestinationListOut):
    embassy: EmbassyOut
    notes: str
    notes_en: str
    scheme_details: list[DestinationSchemeOut]
    version: int

    @staticmethod
    def resolve_embassy(obj) -> dict:
        return {
            "name": obj.embassy_name,
            "address": obj.embassy_address,
            "phone": obj.embassy_phone,
            "email": obj.embassy_email,
            "website": obj.embassy_website,
        }

    @staticmethod
    def resolve_scheme_details(obj) -> list[dict]:
        return [
            {
                "scheme": ds.scheme.code,
                "name": ds.scheme.name,
                "name_en": ds.scheme.name_en,
                "kind": ds.scheme.kind,
                "fee_free": ds.scheme.fee_free,
                "sectors": ds.sectors,
                "language_tests": ds.language_tests,
                "notes": ds.notes,
            }
            for ds in obj.schemes.all()
        ]


class RequirementOut(Schema):
    order: int
    document_type: str
    name: str
    name_en: str
    category: str
    issuer: str
    where_to_get: str
    min_level: str
    validity_months: int | None = Field(description="this set's, else the document type's")
    min_remaining_months: int | None = Field(description="this set's, else the document type's")
    note: str
    alternative_group: int | None = Field(
        None, description="requirements sharing it are alternatives: any one is enough"
    )


class RequirementSetListOut(Schema):
    id: int
    code: str
    version: int
    is_current: bool
    name: str
    name_en: str
    destination: str | None = Field(description="null: any destination")
    scheme: str
    sector: str = Field(description="empty: any sector")
    min_age: int | None
    max_age: int | None
    min_education: str
    conditions: list[dict[str, Any]]
    legal_basis: str
    effective_from: date

    @staticmethod
    def resolve_destination(obj) -> str | None:
        return obj.destination.code if obj.destination_id else None

    @staticmethod
    def resolve_scheme(obj) -> str:
        return obj.scheme.code


class RequirementSetOut(RequirementSetListOut):
    note: str
    created_at: datetime
    requirements: list[RequirementOut]

    @staticmethod
    def resolve_requirements(obj) -> list[dict]:
        return [
            {
                "order": r.order,
                "document_type": r.document_type.code,
                "name": r.document_type.name,
                "name_en": r.document_type.name_en,
                "category": r.document_type.category,
                "issuer": r.document_type.issuer,
                "where_to_get": r.document_type.where_to_get,
                "min_level": r.min_level,
                "validity_months": r.validity_months or r.document_type.validity_months,
                "min_remaining_months": r.min_remaining_months
                or r.document_type.min_remaining_months,
                "note": r.note,
                "alternative_group": r.alternative_group,
            }
            for r in obj.requirements.all()
        ]


# --- reading (public) -----------------------------------------------------------------


def _destinations(on: date | None) -> QuerySet[Destination]:
    return visible_destinations(None).prefetch_related(
        Prefetch(
            "schemes",
            queryset=DestinationScheme.objects.filter(scheme__is_active=True)
            .select_related("scheme")
            .order_by("scheme__code"),
        ),
        Prefetch(
            "sector_rules",
            queryset=rules_in_force(on).order_by("sector", "occupation"),
            to_attr="rules_now",
        ),
    )


class OnDay(Schema):
    on: date | None = Field(None, description="the day the statuses apply to (default today)")


@router.get(
    "/destinations",
    response=list[DestinationListOut],
    auth=None,
    summary="Destination countries with their sector statuses",
)
@paginate(Pagination, page_size=50)
def destination_list(request: HttpRequest, params: Query[OnDay]):
    """Published destinations, by code, with the schemes available and the sector
    rules in force on `on` (default today): open, restricted or moratorium, each with
    its legal basis. Public."""
    return _destinations(params.on).order_by("code")


@router.get(
    "/destinations/{code}",
    response=DestinationOut,
    auth=None,
    summary="One destination: statuses, schemes, embassy, notes",
)
def destination_detail(request: HttpRequest, code: Code, params: Query[OnDay]):
    destination = get_destination_for(None, code)
    return _destinations(params.on).get(pk=destination.pk)


@router.get(
    "/destinations/{code}/rules",
    response=list[SectorStatusOut],
    auth=None,
    summary="A destination's sector rule history",
)
@paginate(Pagination, page_size=100)
def sector_rule_list(request: HttpRequest, code: Code, sector: SectorCode | None = None):
    """Every recorded rule, newest first per sector: a change is a new rule, so this
    is what applied on each day. Public."""
    destination = get_destination_for(None, code)
    qs = visible_sector_rules(None).filter(destination=destination)
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("sector", "occupation", "-effective_from")


@router.get("/schemes", response=list[SchemeOut], auth=None, summary="Placement schemes")
@paginate(Pagination, page_size=50)
def scheme_list(request: HttpRequest):
    return Scheme.objects.order_by("code")


class SetFilter(Schema):
    destination: Code | None = Field(None, description="ISO code of the destination")
    scheme: str | None = Field(None, max_length=40)
    sector: SectorCode | None = None
    current: bool | None = Field(None, description="true: current versions only; false: old")


@router.get(
    "/requirement-sets",
    response=list[RequirementSetListOut],
    auth=None,
    summary="Requirement sets (all versions unless filtered)",
)
@paginate(Pagination, page_size=50)
def requirement_set_list(request: HttpRequest, filters: Query[SetFilter]):
    qs = visible_requirement_sets(None).select_related("destination", "scheme")
    if filters.destination:
        qs = qs.filter(destination__code=filters.destination.upper())
    if filters.scheme:
        qs = qs.filter(scheme__code=filters.scheme)
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.current is not None:
        qs = qs.filter(is_current=filters.current)
    return qs.order_by("code", "-version")


@router.get(
    "/requirement-sets/{set_id}",
    response=RequirementSetOut,
    auth=None,
    summary="One requirement set version with its documents",
)
def requirement_set_detail(request: HttpRequest, set_id: int):
    return _set_response(get_requirement_set_for(None, set_id))


# --- writing (admins) -------------------------------------------------------------------


class SectorRuleIn(Schema):
    sector: str = Field(max_length=20)
    status: str = Field(max_length=12)
    legal_basis: str = Field(max_length=300)
    effective_from: date
    effective_to: date | None = None
    occupation: str = Field("", max_length=100)
    note: str = Field("", max_length=2000)


@router.post(
    "/destinations/{code}/rules",
    response={201: SectorStatusOut},
    summary="Record a new sector rule (admins)",
)
def sector_rule_create(request: HttpRequest, code: Code, payload: SectorRuleIn):
    """A change of status is a new rule; the rule in force until further notice ends
    on the new rule's start date. Overlaps with the history are refused (422)."""
    ensure_role(request.auth, roles.ADMIN, what="api sector_rule_add")
    destination = get_destination_for(request.auth, code, for_write=True)
    rule = sector_rule_add(actor=request.auth, destination=destination, **payload.dict())
    return Status(201, rule)


class RequirementIn(Schema):
    document_type: str = Field(max_length=40)
    min_level: str = Field("", max_length=20)
    validity_months: int | None = Field(None, ge=1, le=240)
    min_remaining_months: int | None = Field(None, ge=1, le=240)
    note: str = Field("", max_length=300)
    alternative_group: int | None = Field(None, ge=1, le=99)

    def data(self) -> RequirementData:
        return RequirementData(
            type_code=self.document_type,
            min_level=self.min_level,
            validity_months=self.validity_months,
            min_remaining_months=self.min_remaining_months,
            note=self.note,
            alternative_group=self.alternative_group,
        )


class Condition(Schema):
    kind: str = Field(max_length=40)
    country: str | None = Field(None, max_length=2)
    years: int | None = None
    value: str | None = Field(None, max_length=1)

    def data(self) -> dict:
        return self.model_dump(exclude_none=True)


class SetRevisionIn(Schema):
    """Only the fields sent change; everything else is copied from the version
    revised. `requirements`, when sent, is the new list in full."""

    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    legal_basis: str | None = Field(None, max_length=300)
    min_age: int | None = Field(None, ge=0, le=150)
    max_age: int | None = Field(None, ge=0, le=150)
    min_education: str | None = Field(None, max_length=4)
    conditions: list[Condition] | None = Field(None, max_length=20)
    note: str | None = Field(None, max_length=4000)
    effective_from: date | None = None
    requirements: list[RequirementIn] | None = Field(None, max_length=100)


class SetCreateIn(Schema):
    code: str = Field(max_length=60)
    destination: Code | None = None
    scheme: str = Field(max_length=40)
    sector: str = Field("", max_length=20)
    name: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    legal_basis: str = Field(max_length=300)
    min_age: int | None = Field(18, ge=0, le=150)
    max_age: int | None = Field(None, ge=0, le=150)
    min_education: str = Field("", max_length=4)
    conditions: list[Condition] = Field([], max_length=20)
    note: str = Field("", max_length=4000)
    effective_from: date | None = None
    requirements: list[RequirementIn] = Field(max_length=100)


def _set_response(rs: RequirementSet) -> RequirementSet:
    return (
        RequirementSet.objects.select_related("destination", "scheme")
        .prefetch_related(requirements_prefetch())
        .get(pk=rs.pk)
    )


@router.post(
    "/requirement-sets/{set_id}/revise",
    response={201: RequirementSetOut, 409: dict},
    summary="Make a new version of a requirement set (admins)",
)
def requirement_set_revise_api(request: HttpRequest, set_id: int, payload: SetRevisionIn):
    """Version N+1 of set `set_id`, which must be the current version: otherwise 409
    with the current version's id. Version N stays in the history."""
    ensure_role(request.auth, roles.ADMIN, what="api requirement_set_revise")
    rs = get_requirement_set_for(request.auth, set_id, for_write=True)
    sent = payload.model_dump(exclude_unset=True)
    terms = RequirementSetTerms.of(rs).__dict__.copy()
    terms.update({k: v for k, v in sent.items() if k not in ("requirements", "conditions")})
    if "conditions" in sent:
        terms["conditions"] = [c.data() for c in payload.conditions or []]
    if "effective_from" not in sent:
        terms["effective_from"] = None
    for text in ("name", "name_en", "legal_basis", "min_education", "note"):
        if terms[text] is None:
            terms[text] = ""
    if "requirements" in sent:
        requirements = [r.data() for r in payload.requirements or []]
    else:
        requirements = [
            RequirementData.of(r)
            for r in rs.requirements.select_related("document_type").order_by("order", "id")
        ]
    try:
        new = requirement_set_revise(
            actor=request.auth,
            requirement_set=rs,
            terms=RequirementSetTerms(**terms),
            requirements=requirements,
        )
    except VersionConflict as exc:
        body = error_body(
            _("This is not the current version of the set: revise the current version."),
            [{"field": "", "code": "version_conflict", "message": _("Not the current version.")}],
        )
        body["current"] = {"id": exc.current.pk, "version": exc.current.version}
        return Status(409, body)
    return Status(201, _set_response(new))


@router.post(
    "/requirement-sets",
    response={201: RequirementSetOut},
    summary="Create a requirement set (admins)",
)
def requirement_set_create_api(request: HttpRequest, payload: SetCreateIn):
    ensure_role(request.auth, roles.ADMIN, what="api requirement_set_create")
    scheme = Scheme.objects.filter(code=payload.scheme, is_active=True).first()
    if scheme is None:
        raise ValidationError({"scheme": ValidationError(_("Unknown scheme."), code="unknown")})
    destination = None
    if payload.destination:
        destination = Destination.objects.filter(code=payload.destination.upper()).first()
        if destination is None:
            raise ValidationError(
                {"destination": ValidationError(_("Unknown destination."), code="unknown")}
            )
    rs = requirement_set_create(
        actor=request.auth,
        code=payload.code,
        scheme=scheme,
        destination=destination,
        sector=payload.sector,
        terms=RequirementSetTerms(
            name=payload.name,
            name_en=payload.name_en,
            legal_basis=payload.legal_basis,
            min_age=payload.min_age,
            max_age=payload.max_age,
            min_education=payload.min_education,
            conditions=[c.data() for c in payload.conditions],
            note=payload.note,
            effective_from=payload.effective_from,
        ),
        requirements=[r.data() for r in payload.requirements],
    )
    return Status(201, _set_response(rs))
