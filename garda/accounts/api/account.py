from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from garda.accounts import access, roles
from garda.accounts.models import Agency
from garda.pagination import Pagination

router = Router(tags=["accounts"])


class AgencyRef(Schema):
    id: int
    short_name: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    role: str | None
    agency: AgencyRef | None


class AgencyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    region_code: str | None = Field(None, alias="region_id")
    country_code: str | None = Field(None, alias="country_id")
    address: str
    phone: str
    email: str
    website: str
    is_active: bool


@router.get("/me", response=MeOut, summary="The authenticated user")
def me(request: HttpRequest):
    user = request.auth
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "agency": {"id": user.agency.pk, "short_name": user.agency.short_name}
        if user.agency
        else None,
    }


@router.get("/agencies", response=list[AgencyOut], summary="Agency directory")
@paginate(Pagination, page_size=50)
def agency_list(request: HttpRequest, kind: Agency.Kind | None = None):
    access.ensure_role(request.auth, *roles.GOVERNMENT, what="api agency_list")
    qs = access.visible_agencies(request.auth)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@router.get("/agencies/{agency_id}", response=AgencyOut, summary="One agency")
def agency_detail(request: HttpRequest, agency_id: int):
    access.ensure_role(request.auth, *roles.GOVERNMENT, what="api agency_detail")
    return access.get_agency_for(request.auth, agency_id)
