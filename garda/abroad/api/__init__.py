"""The lapor diri API (garda/api.py mounts `router`): the worker's stays and check-ins
(`/me/stays`, `/me/check-ins`), an officer taking a person's stay
(`/people/{id}/stays`), and the list per country (`/stays?country=XX`, the same
access as the page). Passport numbers are always masked here."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from garda.abroad.access import (
    LIST_ROLES,
    current_stay,
    get_country_for,
    get_stay_person_for,
    own_person,
    read_country_stays,
)
from garda.abroad.models import CheckIn, Stay
from garda.abroad.services.checkins import checkin_answer
from garda.abroad.services.stays import StayData, stay_report
from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.crypto import mask
from garda.pagination import Pagination

router = Router(tags=["abroad"])


class StayIn(Schema):
    departure: Literal["placed", "independent"] = Field(
        description="placed: through a placement company or the government; independent: mandiri"
    )
    country: str = Field(max_length=2, description="ISO 3166-1 alpha-2, e.g. MY")
    city: str = Field(max_length=100)
    employer_name: str = Field("", max_length=200)
    address: str = Field("", max_length=500)
    phone: str = Field("", max_length=30, description="with the country code, e.g. +60123456789")
    contract_start: date | None = None
    contract_end: date | None = None
    passport_number: str = Field("", max_length=20)
    family_contact_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="one of the person's family contacts"
    )
    emergency_name: str = Field("", max_length=200)
    emergency_relation: str = Field("", max_length=10)
    emergency_phone: str = Field("", max_length=30)

    def data(self) -> StayData:
        return StayData(**self.dict())


class StayOut(Schema):
    id: int
    person_reference: str
    departure: str
    departure_label: str
    country: str
    country_name: str
    city: str
    employer_name: str
    address: str
    phone: str
    contract_start: date | None
    contract_end: date | None
    passport_number: str = Field(description="always masked")
    emergency_name: str
    emergency_relation: str
    emergency_phone: str
    reported_at: datetime
    ended_at: datetime | None
    last_contact_at: datetime | None


class StayRowOut(Schema):
    """A row of the list per country: who is where (no passport, no address)."""

    id: int
    person_id: int
    person_name: str
    city: str
    employer_name: str
    last_contact_at: datetime | None
    contract_end: date | None

    @staticmethod
    def resolve_person_name(stay: Stay) -> str:
        return stay.person.full_name


class StayListFilter(Schema):
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    no_contact_days: int | None = Field(None, ge=1, le=3650)


class CheckInIn(Schema):
    well: Literal["yes", "no"]
    help: Literal["yes", "no"]
    answers: dict[str, str] = Field(
        default_factory=dict, description="the screening's question codes and option codes"
    )


class CheckInOut(Schema):
    id: int
    stay_id: int
    asked_at: datetime
    answered_at: datetime | None
    level: str
    case_reference: str | None


def stay_out(stay: Stay) -> dict:
    return {
        "id": stay.pk,
        "person_reference": stay.person.reference,
        "departure": stay.departure,
        "departure_label": str(stay.get_departure_display()),
        "country": stay.country_id,
        "country_name": stay.country.name,
        "city": stay.city,
        "employer_name": stay.employer_name,
        "address": stay.address,
        "phone": stay.phone,
        "contract_start": stay.contract_start,
        "contract_end": stay.contract_end,
        "passport_number": mask(stay.passport_number),
        "emergency_name": stay.emergency_name,
        "emergency_relation": stay.emergency_relation,
        "emergency_phone": stay.emergency_phone,
        "reported_at": stay.reported_at,
        "ended_at": stay.ended_at,
        "last_contact_at": stay.last_contact_at,
    }


def _own_or_409(user):
    ensure_role(user, roles.WORKER, what="api abroad me")
    person = own_person(user)
    if person is None:
        raise HttpError(409, _("Complete your profile first."))
    return person


@router.get(
    "/me/stays",
    response={200: list[StayOut], 409: dict},
    summary="My stays abroad, the current first",
)
def my_stays(request: HttpRequest):
    person = _own_or_409(request.auth)
    audit_record(
        actor=request.auth, action=AuditEvent.Action.VIEW, target=person, reason="stays abroad"
    )
    stays = Stay.objects.filter(person=person).select_related("country", "person")
    return [stay_out(s) for s in stays.order_by("ended_at", "-reported_at", "-id")]


@router.post(
    "/me/stays", response={201: StayOut, 409: dict}, summary="Report my stay abroad (lapor diri)"
)
def my_stay_report(request: HttpRequest, payload: StayIn):
    person = _own_or_409(request.auth)
    stay = stay_report(actor=request.auth, person=person, data=payload.data())
    stay.person = person
    return Status(201, stay_out(stay))


@router.post(
    "/people/{person_id}/stays",
    response={201: StayOut},
    summary="Take a person's stay abroad (an officer, for a person they may edit)",
)
def person_stay_report(request: HttpRequest, person_id: int, payload: StayIn):
    person = get_stay_person_for(request.auth, person_id)
    stay = stay_report(actor=request.auth, person=person, data=payload.data())
    stay.person = person
    return Status(201, stay_out(stay))


@router.post(
    "/me/check-ins",
    # 409: no profile yet, or no stay reported yet.
    response={201: CheckInOut, 409: dict},
    summary="Answer the check-in “are you well?” (a worrying answer opens a case)",
)
def my_check_in(request: HttpRequest, payload: CheckInIn):
    person = _own_or_409(request.auth)
    stay = current_stay(person)
    if stay is None:
        raise HttpError(409, _("Report your stay abroad first."))
    stay.person = person
    answered: CheckIn = checkin_answer(
        actor=request.auth,
        stay=stay,
        well=payload.well,
        help=payload.help,
        answers=payload.answers,
    )
    return Status(
        201,
        {
            "id": answered.pk,
            "stay_id": stay.pk,
            "asked_at": answered.asked_at,
            "answered_at": answered.answered_at,
            "level": answered.level,
            "case_reference": answered.case.reference if answered.case_id else None,
        },
    )


@router.get(
    "/stays",
    response=list[StayRowOut],
    summary="Who is where in a country: current stays (officers; an embassy for its country)",
)
@paginate(Pagination, page_size=50)
def stay_list(request: HttpRequest, filters: Query[StayListFilter]):
    user = request.auth
    ensure_role(user, *LIST_ROLES, what="api stay_list")
    country = get_country_for(user, filters.country, "api stay_list")
    return read_country_stays(user, country, no_contact_days=filters.no_contact_days)
