"""Who may see and change which job orders, companies, employers and listings
(docs/jobs.md, "Who sees what"). Missing and forbidden look the same (404 with a
`denied` row).

- the public: the vacancy board (verified orders not yet closed), the licence
  register (`public_agencies`), "is this job real?";
- recruiters: their own company's orders (any status), the employers and partners
  those orders name or they entered; another company's order is a 404;
- officers: every order (they verify), every employer and partner;
- supervisors: every order and party, read only; they keep the problematic list;
- admins: everything, and the licence register (companies, branches, staff).
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.jobs.models import (
    Employer,
    ForeignPartner,
    JobOrder,
    PlacementAgency,
    ProblemListing,
    Recruiter,
)

ORDER_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER, roles.RECRUITER})
# Who may write a job order (contract: POST /job-orders).
WRITE_ROLES = frozenset({roles.ADMIN, roles.OFFICER, roles.RECRUITER})
VERIFY_ROLES = frozenset({roles.ADMIN, roles.OFFICER})
LISTING_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR})
PARTY_ROLES = ORDER_ROLES
REGISTER_ROLES = frozenset({roles.ADMIN})


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def recruiter_agency_id(user) -> int | None:
    """The company a recruiter works for (None for anyone else, or an unlinked one)."""
    if not _signed_in(user) or user.role != roles.RECRUITER:
        return None
    cached = getattr(user, "_recruiter_agency_id", False)
    if cached is False:
        link = Recruiter.objects.filter(user=user).values_list("agency_id", flat=True).first()
        cached = user._recruiter_agency_id = link
    return cached


def recruiter_agency(user) -> PlacementAgency | None:
    pk = recruiter_agency_id(user)
    return PlacementAgency.objects.filter(pk=pk).first() if pk else None


# --- job orders -------------------------------------------------------------------


def visible_orders(user) -> QuerySet[JobOrder]:
    if not _signed_in(user) or user.role not in ORDER_ROLES:
        return JobOrder.objects.none()
    qs = JobOrder.objects.all()
    if user.role == roles.RECRUITER:
        agency = recruiter_agency_id(user)
        return qs.filter(agency_id=agency) if agency else qs.none()
    return qs


def may_edit(user, order: JobOrder) -> bool:
    if not _signed_in(user) or user.role not in WRITE_ROLES:
        return False
    if user.role == roles.RECRUITER:
        return order.agency_id is not None and order.agency_id == recruiter_agency_id(user)
    return True


def may_verify(user) -> bool:
    return _signed_in(user) and user.role in VERIFY_ROLES


def get_order_for(user, pk, *, for_write: bool = False) -> JobOrder:
    """The order `pk` as `user` may see it (and change it, with for_write); else 404."""
    try:
        order = visible_orders(user).select_related("agency", "employer", "partner").get(pk=pk)
    except (JobOrder.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.joborder", pk, "get_order_for")
    if for_write and not may_edit(user, order):
        deny_not_found(user, "jobs.joborder", pk, "get_order_for:write")
    return order


# --- the public board ---------------------------------------------------------------


def vacancies(today=None) -> QuerySet[JobOrder]:
    """Verified orders whose closing date has not passed: the public vacancy board."""
    today = today or timezone.localdate()
    return JobOrder.objects.filter(status=JobOrder.Status.VERIFIED).filter(
        Q(closing_date__isnull=True) | Q(closing_date__gte=today)
    )


def get_vacancy(pk) -> JobOrder:
    """A published vacancy, else 404 (the public is not logged)."""
    from django.http import Http404

    try:
        return vacancies().select_related("agency", "employer", "partner").get(pk=pk)
    except (JobOrder.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def public_agencies(q: str = "") -> QuerySet[PlacementAgency]:
    """The licence register as the public reads it, by name or licence number."""
    from garda.jobs.models import name_key

    qs = PlacementAgency.objects.select_related("head_office_region")
    q = (q or "").strip()[:100]
    if q:
        key = name_key(q)
        match = Q(licence_number__iexact=q) | Q(licence_number__icontains=q)
        if key:
            match |= Q(name_key__contains=key)
        qs = qs.filter(match)
    return qs.order_by("name", "pk")


def get_public_agency(pk) -> PlacementAgency:
    from django.http import Http404

    try:
        return PlacementAgency.objects.select_related("head_office_region").get(pk=pk)
    except (PlacementAgency.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# --- employers, partners, listings ----------------------------------------------------


def visible_employers(user) -> QuerySet[Employer]:
    if not _signed_in(user) or user.role not in PARTY_ROLES:
        return Employer.objects.none()
    if user.role == roles.RECRUITER:
        agency = recruiter_agency_id(user)
        if agency is None:
            # Not (or no longer) staff of a company: `job_orders__agency_id=None`
            # would match every party no order names, and those of G-to-G orders.
            return Employer.objects.filter(created_by=user)
        return Employer.objects.filter(
            Q(created_by=user) | Q(job_orders__agency_id=agency)
        ).distinct()
    return Employer.objects.all()


def visible_partners(user) -> QuerySet[ForeignPartner]:
    if not _signed_in(user) or user.role not in PARTY_ROLES:
        return ForeignPartner.objects.none()
    if user.role == roles.RECRUITER:
        agency = recruiter_agency_id(user)
        if agency is None:
            # Not (or no longer) staff of a company: `job_orders__agency_id=None`
            # would match every party no order names, and those of G-to-G orders.
            return ForeignPartner.objects.filter(created_by=user)
        return ForeignPartner.objects.filter(
            Q(created_by=user) | Q(job_orders__agency_id=agency)
        ).distinct()
    return ForeignPartner.objects.all()


def get_employer_for(user, pk) -> Employer:
    try:
        return visible_employers(user).get(pk=pk)
    except (Employer.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.employer", pk, "get_employer_for")


def get_partner_for(user, pk) -> ForeignPartner:
    try:
        return visible_partners(user).get(pk=pk)
    except (ForeignPartner.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.foreignpartner", pk, "get_partner_for")


def listed_now(party: str, today=None):
    """An Exists() for annotating employers ("employer") or partners ("partner") with
    whether they are on the problematic list today."""
    from django.db.models import Exists, OuterRef

    today = today or timezone.localdate()
    return Exists(
        ProblemListing.objects.filter(**{party: OuterRef("pk")}, listed_on__lte=today).filter(
            Q(delisted_on__isnull=True) | Q(delisted_on__gt=today)
        )
    )


def visible_listings(user) -> QuerySet[ProblemListing]:
    """The problematic list: staff of the government read it (recruiters learn of a
    listing through their order's checks)."""
    if not _signed_in(user) or user.role not in (LISTING_ROLES | {roles.OFFICER}):
        return ProblemListing.objects.none()
    return ProblemListing.objects.select_related("employer", "partner", "listed_by")


def get_listing_for(user, pk) -> ProblemListing:
    try:
        return visible_listings(user).get(pk=pk)
    except (ProblemListing.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.problemlisting", pk, "get_listing_for")


def get_agency_for(user, pk) -> PlacementAgency:
    """A company as the register's keepers (admins) edit it."""
    if not _signed_in(user) or user.role not in REGISTER_ROLES:
        deny_not_found(user, "jobs.placementagency", pk, "get_agency_for")
    try:
        return PlacementAgency.objects.get(pk=pk)
    except (PlacementAgency.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.placementagency", pk, "get_agency_for")


def is_recruiter_user(user: User) -> bool:
    return _signed_in(user) and user.role == roles.RECRUITER
