from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from garda.pagination import Pagination
from garda.places.models import Country, Region

router = Router(tags=["places"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = Field(None, alias="parent_id")
    is_current: bool


class CountryOut(Schema):
    code: str
    alpha3: str
    name_id: str
    name_en: str


@router.get("/regions", response=list[RegionOut], summary="Indonesian regions")
@paginate(Pagination, page_size=100)
def region_list(
    request: HttpRequest,
    parent: str | None = None,
    level: Region.Level | None = None,
    q: str | None = None,
    include_retired: bool = False,
):
    """Regions by parent code (e.g. `31` for the cities of DKI Jakarta), level or name."""
    qs = Region.objects.all()
    if parent:
        qs = qs.filter(parent_id=parent)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if not include_retired:
        qs = qs.filter(is_current=True)
    return qs


@router.get("/regions/{code}", response=RegionOut, summary="One region by its code")
def region_detail(request: HttpRequest, code: str):
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise Http404 from None


@router.get("/countries", response=list[CountryOut], summary="Countries (ISO 3166-1)")
@paginate(Pagination, page_size=100)
def country_list(request: HttpRequest, q: str | None = None):
    qs = Country.objects.all()
    if q:
        qs = qs.filter(Q(name_id__icontains=q) | Q(name_en__icontains=q) | Q(code__iexact=q))
    return qs
