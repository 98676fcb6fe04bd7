"""Employers, foreign partners and the problematic list through the API, with the
pages' access functions and services: recruiters, officers and admins write
employers and partners (a recruiter sees those their company's orders name or they
entered); supervisors and admins keep the problematic list, officers read it."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from garda.accounts.access import ensure_role
from garda.jobs import access
from garda.jobs.models import Employer, ProblemListing
from garda.jobs.schemas import (
    DelistIn,
    EmployerIn,
    EmployerOut,
    ListingIn,
    ListingOut,
    PartnerIn,
    PartnerOut,
)
from garda.jobs.services import parties
from garda.pagination import Pagination

router = Router(tags=["job orders"])

PARTY_READERS = tuple(sorted(access.PARTY_ROLES))
PARTY_WRITERS = tuple(sorted(access.WRITE_ROLES))
LISTING_READERS = tuple(sorted(access.LISTING_ROLES | {"officer"}))
LISTING_KEEPERS = tuple(sorted(access.LISTING_ROLES))


@router.get("/employers", response=list[EmployerOut], summary="Employers abroad")
@paginate(Pagination, page_size=50)
def employer_list(request: HttpRequest, q: str = "", country: str = ""):
    ensure_role(request.auth, *PARTY_READERS, what="api employer_list")
    qs = access.visible_employers(request.auth).annotate(listed=access.listed_now("employer"))
    if q:
        qs = qs.filter(name__icontains=q[:100])
    if country:
        qs = qs.filter(country=country.upper()[:2])
    return qs.order_by("name", "pk")


@router.post("/employers", response={201: EmployerOut}, summary="Record an employer")
def employer_create(request: HttpRequest, payload: EmployerIn):
    ensure_role(request.auth, *PARTY_WRITERS, what="api employer_create")
    employer = parties.employer_save(
        actor=request.auth, data=parties.EmployerData(**payload.dict())
    )
    return Status(201, employer)


@router.get("/employers/{employer_id}", response=EmployerOut, summary="One employer")
def employer_get(request: HttpRequest, employer_id: int):
    ensure_role(request.auth, *PARTY_READERS, what="api employer_get")
    employer = access.get_employer_for(request.auth, employer_id)
    return Employer.objects.annotate(listed=access.listed_now("employer")).get(pk=employer.pk)


@router.get("/foreign-partners", response=list[PartnerOut], summary="Foreign partners")
@paginate(Pagination, page_size=50)
def partner_list(request: HttpRequest, q: str = ""):
    ensure_role(request.auth, *PARTY_READERS, what="api partner_list")
    qs = access.visible_partners(request.auth).annotate(listed=access.listed_now("partner"))
    if q:
        qs = qs.filter(name__icontains=q[:100])
    return qs.order_by("name", "pk")


@router.post("/foreign-partners", response={201: PartnerOut}, summary="Record a foreign partner")
def partner_create(request: HttpRequest, payload: PartnerIn):
    ensure_role(request.auth, *PARTY_WRITERS, what="api partner_create")
    partner = parties.partner_save(actor=request.auth, data=parties.PartnerData(**payload.dict()))
    return Status(201, partner)


def _listing_out(row: ProblemListing) -> dict:
    party = row.employer or row.partner
    return {
        "id": row.pk,
        "employer_id": row.employer_id,
        "partner_id": row.partner_id,
        "name": party.name,
        "country": row.country,
        "reason": row.reason,
        "source": row.source,
        "listed_on": row.listed_on,
        "delisted_on": row.delisted_on,
        "delisting_reason": row.delisting_reason,
    }


@router.get("/problem-listings", response=list[ListingOut], summary="The problematic list")
@paginate(Pagination, page_size=50)
def listing_list(request: HttpRequest, active: bool = True):
    ensure_role(request.auth, *LISTING_READERS, what="api listing_list")
    qs = access.visible_listings(request.auth)
    if active:
        qs = qs.filter(delisted_on__isnull=True)
    return [_listing_out(row) for row in qs.order_by("-listed_on", "-id")[:1000]]


@router.post(
    "/problem-listings",
    response={201: ListingOut},
    summary="Put an employer or a partner on the problematic list",
)
def listing_create(request: HttpRequest, payload: ListingIn):
    ensure_role(request.auth, *LISTING_KEEPERS, what="api listing_create")
    employer = partner = None
    if payload.employer_id is not None:
        employer = access.get_employer_for(request.auth, payload.employer_id)
    if payload.partner_id is not None:
        partner = access.get_partner_for(request.auth, payload.partner_id)
    row = parties.listing_add(
        actor=request.auth,
        reason=payload.reason,
        source=payload.source,
        listed_on=payload.listed_on,
        employer=employer,
        partner=partner,
    )
    return Status(201, _listing_out(row))


@router.post(
    "/problem-listings/{listing_id}/delist",
    response=ListingOut,
    summary="Take an entry off the problematic list (it stays in the history)",
)
def listing_delist(request: HttpRequest, listing_id: int, payload: DelistIn):
    ensure_role(request.auth, *LISTING_KEEPERS, what="api listing_delist")
    row = access.get_listing_for(request.auth, listing_id)
    row = parties.listing_remove(
        actor=request.auth, listing=row, reason=payload.reason, delisted_on=payload.delisted_on
    )
    return _listing_out(row)
