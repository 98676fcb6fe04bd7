"""Mass evacuations (one operation, many people), flights and the arrivals board
(docs/repatriation.md, "Evacuations and the arrivals board"). The same checks
(cases/arrivals.py) and services (services/repatriation.py) as the pages.

- 201: an evacuation created, people added (hundreds in one request);
- 200: a step done for many (who was done, who is blocked by an earlier step and which,
  who was skipped), travel details set for many, the evacuation closed;
- 409: the evacuation is closed, or people have not arrived yet (closing);
- 422: bad input, every bad row named ("Row 3: ...");
- 404 (with a denied row): an evacuation the caller may not see; 403: a role that
  never handles them (the arrivals board: officers and supervisors, the reception
  team; admins too are refused)."""

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.accounts.models import User
from garda.cases import arrivals
from garda.cases.access import get_evacuation_for, visible_evacuations
from garda.cases.api.cases import STAFF, field_error
from garda.cases.api.repatriation import refused
from garda.cases.models import Evacuation
from garda.cases.services import repatriation as service
from garda.pagination import Pagination
from garda.places.models import Country

router = Router(tags=["repatriation"])

# The reception team's board: officers and supervisors (docs/repatriation.md).
BOARD = (roles.OFFICER, roles.SUPERVISOR)


class EvacuationIn(Schema):
    name: str = Field(..., max_length=200)
    country: str = Field(..., max_length=2, description="ISO 3166-1 alpha-2, e.g. SD")
    cause: str = Field(..., max_length=500)


class EvacuationOut(Schema):
    id: int
    reference: str
    name: str
    country: str = Field(..., alias="country_id")
    country_name: str = Field(..., alias="country.name_id")
    cause: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    created_at: datetime
    closed_at: datetime | None


class FlightCountOut(Schema):
    flight: str
    count: int


class StepCountOut(Schema):
    code: str
    label: str
    done: int


class EvacuationDetailOut(EvacuationOut):
    total: int
    by_status: dict[str, int]
    by_flight: list[FlightCountOut]
    steps_done: list[StepCountOut]


class PersonRowIn(Schema):
    name: str = Field("", max_length=200)
    person_id: int | None = None
    needs: list[str] = Field(default_factory=list, max_length=10)
    flight: str = Field("", max_length=20)
    arrives_at: datetime | None = None
    debarkation: str = Field("", max_length=6)


class PeopleIn(Schema):
    people: list[PersonRowIn] = Field(..., max_length=arrivals.MAX_PEOPLE)


class PeopleAddedOut(Schema):
    added: int
    repatriation_ids: list[int]


class SelectorIn(Schema):
    repatriation_ids: list[int] | None = Field(None, max_length=arrivals.MAX_PEOPLE)
    flight: str = Field("", max_length=20, description="instead of ids: everyone on it")


class StepsIn(SelectorIn):
    note: str = Field("", max_length=500)


class BlockedOut(Schema):
    id: int
    name: str
    earlier_step: str


class StepsOut(Schema):
    done: int
    blocked: list[BlockedOut]
    skipped: int


class EvacuationTravelIn(SelectorIn):
    new_flight: str | None = Field(None, max_length=20, description="the flight to set")
    arrives_at: datetime | None = None
    debarkation: str | None = Field(None, max_length=6)
    needs: list[str] | None = Field(None, max_length=10)
    met_by_id: int | None = None


class UpdatedOut(Schema):
    updated: int


class NeedOut(Schema):
    code: str
    label: str


class FlightPersonOut(Schema):
    id: int
    reference: str
    name: str
    status: str
    arrives_at: datetime | None
    debarkation: str
    needs: list[NeedOut]
    met_by: str


class FlightOut(Schema):
    flight: str
    arrives_at: datetime | None
    debarkation: str
    debarkation_label: str
    count: int
    people: list[FlightPersonOut]


class ArrivalOut(Schema):
    repatriation_id: int = Field(..., alias="pk")
    reference: str
    name: str
    arrives_at: datetime
    arrived_at: datetime | None
    status: str
    debarkation: str
    debarkation_label: str
    flight: str
    needs: list[NeedOut]
    met_by: str
    reason_label: str = Field(..., alias="get_reason_display")
    evacuation: str | None

    @staticmethod
    def resolve_debarkation_label(obj) -> str:
        return arrivals.debarkation_words(obj.debarkation)

    @staticmethod
    def resolve_needs(obj) -> list[dict]:
        return arrivals.needs_of(obj.needs)

    @staticmethod
    def resolve_met_by(obj) -> str:
        return arrivals.person_label(obj.met_by)

    @staticmethod
    def resolve_evacuation(obj) -> str | None:
        return obj.evacuation.reference if obj.evacuation_id else None


class ArrivalsFilter(Schema):
    start: str = Field("", alias="from", max_length=40, description="a date or date-time")
    end: str = Field("", alias="to", max_length=40, description="a date (inclusive) or date-time")


def _evacuation(request, evacuation_id: int, what: str) -> Evacuation:
    ensure_role(request.auth, *STAFF, what=what)
    return get_evacuation_for(request.auth, evacuation_id)


def _detail(user, evacuation: Evacuation) -> Evacuation:
    for key, value in arrivals.evacuation_counts(user, evacuation).items():
        setattr(evacuation, key, value)
    return evacuation


@router.post(
    "/evacuations",
    response={201: EvacuationOut},
    summary="Start a mass evacuation: one operation for many people",
)
def evacuation_create(request: HttpRequest, payload: EvacuationIn):
    ensure_role(request.auth, *STAFF, what="api evacuation_create")
    country = Country.objects.filter(code=payload.country.upper()).first()
    if country is None:
        raise field_error("country", _("Choose the country."), "invalid")
    evacuation = service.evacuation_create(
        actor=request.auth, name=payload.name, country=country, cause=payload.cause
    )
    return Status(201, Evacuation.objects.select_related("country").get(pk=evacuation.pk))


@router.get(
    "/evacuations",
    response=list[EvacuationOut],
    summary="The evacuations of the caller's agency, the newest first",
)
@paginate(Pagination, page_size=25)
def evacuation_list(request: HttpRequest):
    ensure_role(request.auth, *STAFF, what="api evacuation_list")
    return (
        visible_evacuations(request.auth).select_related("country").order_by("-created_at", "-id")
    )


@router.get(
    "/evacuations/{evacuation_id}",
    response=EvacuationDetailOut,
    summary="One evacuation: how many people per status, per flight, per step done",
)
def evacuation_detail(request: HttpRequest, evacuation_id: int):
    evacuation = _evacuation(request, evacuation_id, "api evacuation_detail")
    return _detail(request.auth, evacuation)


@router.post(
    "/evacuations/{evacuation_id}/people",
    response={201: PeopleAddedOut, 409: dict},
    summary="Add people to an evacuation (hundreds at once); every bad row is named",
)
def evacuation_people_add(request: HttpRequest, evacuation_id: int, payload: PeopleIn):
    evacuation = _evacuation(request, evacuation_id, "api evacuation_people_add")
    rows = arrivals.clean_people(request.auth, [r.dict() for r in payload.people])
    try:
        reps = service.repatriations_start_many(
            actor=request.auth, evacuation=evacuation, people=rows
        )
    except DjangoValidationError as exc:
        return refused(exc)
    return Status(201, {"added": len(reps), "repatriation_ids": [r.pk for r in reps]})


@router.post(
    "/evacuations/{evacuation_id}/steps/{code}/complete",
    response=StepsOut,
    summary="Mark a step done for the people chosen or a whole flight; "
    "those with an earlier step open are reported, not forced",
)
def evacuation_steps_complete(
    request: HttpRequest, evacuation_id: int, code: str, payload: StepsIn
):
    evacuation = _evacuation(request, evacuation_id, "api evacuation_steps_complete")
    if code not in dict(arrivals.evacuation_steps()):
        raise field_error("code", _("Choose a step of this evacuation."), "invalid")
    people = arrivals.select_people(
        request.auth, evacuation, ids=payload.repatriation_ids, flight=payload.flight
    )
    result = service.steps_complete_many(
        actor=request.auth, repatriations=people, code=code, note=payload.note
    )
    return steps_out(result)


def steps_out(result) -> dict:
    from garda.cases.repatriation import STEP_LABELS

    return {
        "done": len(result.done),
        "blocked": [
            {"id": rep.pk, "name": rep.name, "earlier_step": str(STEP_LABELS[code])}
            for rep, code in result.blocked
        ],
        "skipped": len(result.skipped),
    }


def _met_by(pk) -> User | None:
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise field_error("met_by_id", _("Choose an active officer (Pasukan Putih)."), "invalid")
    return user


@router.post(
    "/evacuations/{evacuation_id}/travel",
    response=UpdatedOut,
    summary="Set a flight, arrival time, point of arrival, needs or who meets them, "
    "for the people chosen or a whole flight",
)
def evacuation_travel(request: HttpRequest, evacuation_id: int, payload: EvacuationTravelIn):
    evacuation = _evacuation(request, evacuation_id, "api evacuation_travel")
    people = arrivals.select_people(
        request.auth, evacuation, ids=payload.repatriation_ids, flight=payload.flight
    )
    values = {}
    if payload.new_flight is not None:
        values["flight"] = payload.new_flight
    if payload.arrives_at is not None:
        values["arrives_at"] = payload.arrives_at
    if payload.debarkation is not None:
        values["debarkation"] = payload.debarkation
    if payload.needs is not None:
        values["needs"] = payload.needs
    if payload.met_by_id is not None:
        values["met_by"] = _met_by(payload.met_by_id)
    if not values:
        raise field_error("new_flight", _("Say what to change."), "required")
    n = service.repatriations_update_many(actor=request.auth, repatriations=people, **values)
    return {"updated": n}


@router.get(
    "/evacuations/{evacuation_id}/flights",
    response=list[FlightOut],
    summary="The evacuation's people per flight: who, when, where they land",
)
def evacuation_flights(request: HttpRequest, evacuation_id: int):
    evacuation = _evacuation(request, evacuation_id, "api evacuation_flights")
    return [
        {
            "flight": f.flight,
            "arrives_at": f.arrives_at,
            "debarkation": f.debarkation,
            "debarkation_label": f.debarkation_label,
            "count": len(f.people),
            "people": [
                {
                    "id": p.pk,
                    "reference": p.reference,
                    "name": p.name,
                    "status": p.status,
                    "arrives_at": p.arrives_at,
                    "debarkation": p.debarkation,
                    "needs": arrivals.needs_of(p.needs),
                    "met_by": arrivals.person_label(p.met_by),
                }
                for p in f.people
            ],
        }
        for f in arrivals.read_flights(request.auth, evacuation)
    ]


@router.post(
    "/evacuations/{evacuation_id}/close",
    response={200: EvacuationOut, 409: dict},
    summary="Close an evacuation once everyone has arrived (or been cancelled)",
)
def evacuation_close(request: HttpRequest, evacuation_id: int):
    evacuation = _evacuation(request, evacuation_id, "api evacuation_close")
    try:
        evacuation = service.evacuation_close(actor=request.auth, evacuation=evacuation)
    except DjangoValidationError as exc:
        return refused(exc)
    return Evacuation.objects.select_related("country").get(pk=evacuation.pk)


@router.get(
    "/arrivals",
    response=list[ArrivalOut],
    summary="The arrivals board: who lands when and where, what each needs, who meets "
    "them (by default today and the next 7 days; at most 31 days)",
)
@paginate(Pagination, page_size=100)
def arrivals_board(request: HttpRequest, filters: Query[ArrivalsFilter]):
    ensure_role(request.auth, *BOARD, what="api arrivals")
    begin, finish = arrivals.arrival_range(filters.start, filters.end)
    return arrivals.read_arrivals(request.auth, begin, finish)
