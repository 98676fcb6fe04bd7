"""The interceptions API: the register (record, list, one), a follow-up step, the
broker leads and a broker named on a case. The same access functions and services as
the pages; errors in the project's one format (422 bad input in the reader's
language, 403 a role that never uses it, 404 an interception or case the caller may
not see, 429 over the identity look-up budget)."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts.access import ensure_role
from garda.cases.access import CASE_ROLES, get_case_for
from garda.interceptions import policy
from garda.interceptions.access import (
    LEAD_ROLES,
    READ_ROLES,
    RECORD_ROLES,
    get_interception_for,
    may_see_case,
    read_interception_for,
    read_interceptions,
)
from garda.interceptions.models import FollowUp, Interception
from garda.interceptions.queries import filter_interceptions, register_rows
from garda.interceptions.services.brokers import broker_mention_add, leads_for
from garda.interceptions.services.record import (
    InterceptionData,
    LinkData,
    followup_done,
    interception_link_person,
    interception_record,
)
from garda.pagination import Pagination
from garda.people.services.lookups import IdentityLookupsExceeded

router = Router(tags=["interceptions"])


class InterceptionBrokerIn(Schema):
    name: str = Field(max_length=300)
    kind: str = "broker"


class InterceptionIn(Schema):
    intercepted_at: datetime
    place_kind: str = Field(description="airport, seaport, land_border or other")
    place_name: str = Field(max_length=300)
    region_code: str = ""
    intercepted_by_id: int | None = Field(None, description="an agency of the directory")
    intercepted_by_text: str = Field("", description="who, when not an agency of the list")
    handed_over_at: datetime | None = None
    handed_over_to_id: int | None = None
    handed_over_to_name: str = ""
    person_nik: str = Field("", description="empty: nobody is registered, the name is kept")
    person_full_name: str = Field(max_length=300)
    person_sex: str = ""
    person_birth_date: date | None = None
    person_birth_place: str = ""
    person_phone: str = ""
    person_address_line: str = ""
    destination_code: str = Field("", description="ISO 3166 alpha-2, e.g. MY")
    intended_job: str = ""
    documents: dict[str, str] = Field(
        default_factory=dict, description='{"passport": "broker", "visa": "none", ...}'
    )
    shelter: str = ""
    circumstances: str = Field("", max_length=6000)
    answers: dict[str, str] = Field(
        default_factory=dict, description="the screening's answers (as on a case)"
    )
    brokers: list[InterceptionBrokerIn] = Field(default_factory=list, max_length=20)
    accompanying_officer_id: int | None = None


class InterceptionPersonIn(Schema):
    person_nik: str = Field("", max_length=32, description="16 digits, from the KTP or KK")
    person_sex: str = Field("", description="M or F, when the interception lacks it")
    person_birth_date: date | None = Field(None, description="when the interception lacks it")
    person_birth_place: str = Field("", max_length=100)
    person_phone: str = Field("", max_length=30)
    person_address_line: str = Field("", max_length=300)


class InterceptionFilter(Schema):
    start: date | None = None
    end: date | None = None
    place_kind: str = ""
    signs: str = Field("", description='"signs" or "none"')


class InterceptionStepOut(Schema):
    id: int
    step: str
    done_on: date | None


class InterceptionBrokerOut(Schema):
    name: str
    kind: str
    company_id: int | None


class InterceptionListOut(Schema):
    id: int
    reference: str
    intercepted_at: datetime
    place_kind: str
    place_name: str
    person_id: int | None
    subject_name: str
    screening_level: str
    signs_of_trafficking: bool
    case_id: int | None

    @staticmethod
    def resolve_signs_of_trafficking(obj) -> bool:
        level = obj["screening_level"] if isinstance(obj, dict) else obj.screening_level
        return level in policy.current().case_levels


class InterceptionOut(InterceptionListOut):
    region_code: str | None
    intercepted_by_id: int | None
    intercepted_by_text: str
    handed_over_at: datetime | None
    handed_over_to_id: int | None
    handed_over_to_name: str
    person_reference: str | None
    destination_code: str | None
    intended_job: str
    documents: dict
    shelter: str
    circumstances: str
    indicators: list[str]
    case_reference: str | None
    steps: list[InterceptionStepOut]
    brokers: list[InterceptionBrokerOut]


class InterceptionStepIn(Schema):
    done_on: date | None = None
    note: str = ""


class BrokerMentionIn(Schema):
    name: str = Field(max_length=300)
    kind: str = "broker"


class BrokerMentionOut(Schema):
    id: int
    name: str
    normalised: str
    kind: str
    company_id: int | None
    case_id: int


class BrokerLeadOut(Schema):
    name: str
    normalised: str
    kind: str
    count: int
    first_seen: datetime
    last_seen: datetime
    company_id: int | None
    is_lead: bool

    @staticmethod
    def resolve_is_lead(obj) -> bool:
        return obj["count"] >= policy.current().lead_threshold


def _list_out(i: Interception) -> dict:
    return {
        "id": i.pk,
        "reference": i.reference,
        "intercepted_at": i.intercepted_at,
        "place_kind": i.place_kind,
        "place_name": i.place_name,
        "person_id": i.person_id,
        "subject_name": i.subject_name,
        "screening_level": i.screening_level,
        "signs_of_trafficking": i.screening_level in policy.current().case_levels,
        "case_id": i.case_id,
    }


def _out(user, i: Interception) -> dict:
    """One interception; the case's number only for who may open the case."""
    shown = may_see_case(user, i)
    return {
        **_list_out(i),
        "case_id": i.case_id if shown else None,
        "case_reference": i.case.reference if i.case_id else None,
        "region_code": i.region_id,
        "intercepted_by_id": i.intercepted_by_id,
        "intercepted_by_text": i.intercepted_by_text,
        "handed_over_at": i.handed_over_at,
        "handed_over_to_id": i.handed_over_to_id,
        "handed_over_to_name": i.handed_over_to_name,
        "person_reference": i.person.reference if i.person_id else None,
        "destination_code": i.destination_id and i.destination.code,
        "intended_job": i.intended_job,
        "documents": i.documents,
        "shelter": i.shelter,
        "circumstances": i.circumstances,
        "indicators": list(i.indicators),
        "steps": [
            {"id": s.pk, "step": s.step, "done_on": s.done_on} for s in i.steps.order_by("id")
        ],
        "brokers": [
            {"name": b.raw_name, "kind": b.kind, "company_id": b.company_id}
            for b in i.brokers.order_by("id")
        ],
    }


@router.post(
    "/interceptions",
    response={201: InterceptionOut, 429: dict},
    summary="Record an interception",
)
def interception_create(request: HttpRequest, payload: InterceptionIn):
    """Officers and supervisors. The person is found by NIK or registered (the
    registry's rules); signs of trafficking open a case. 422 names the bad field."""
    from garda.apiutils import error_body

    ensure_role(request.auth, *RECORD_ROLES, what="api interception_create")
    values = payload.dict()
    values["brokers"] = [dict(b) for b in values["brokers"]]
    try:
        interception = interception_record(actor=request.auth, data=InterceptionData(**values))
    except IdentityLookupsExceeded as exc:
        return Status(429, error_body(str(exc)))
    interception = get_interception_for(request.auth, interception.pk)
    return Status(201, _out(request.auth, interception))


@router.get("/interceptions", response=list[InterceptionListOut], summary="The register")
@paginate(Pagination, page_size=25)
def interception_list(request: HttpRequest, filters: Query[InterceptionFilter]):
    ensure_role(request.auth, *READ_ROLES, what="api interception_list")
    qs = filter_interceptions(
        read_interceptions(request.auth), **{k: v for k, v in filters.dict().items() if v}
    )
    return register_rows(qs)


@router.get(
    "/interceptions/{interception_id}", response=InterceptionOut, summary="One interception"
)
def interception_detail(request: HttpRequest, interception_id: int):
    ensure_role(request.auth, *READ_ROLES, what="api interception_detail")
    return _out(request.auth, read_interception_for(request.auth, interception_id))


@router.post(
    "/interceptions/{interception_id}/steps/{step}",
    response=InterceptionStepOut,
    summary="Mark a follow-up step done",
)
def interception_step_done(
    request: HttpRequest, interception_id: int, step: str, payload: InterceptionStepIn
):
    ensure_role(request.auth, *RECORD_ROLES, what="api interception_step_done")
    interception = get_interception_for(request.auth, interception_id, for_write=True)
    row = FollowUp.objects.filter(interception=interception, step=step).first()
    if row is None:
        from garda.audit.gate import deny_not_found

        deny_not_found(request.auth, "interceptions.followup", step, "api step")
    row.interception = interception
    row = followup_done(actor=request.auth, step=row, done_on=payload.done_on, note=payload.note)
    return {"id": row.pk, "step": row.step, "done_on": row.done_on}


@router.post(
    "/interceptions/{interception_id}/person",
    response={200: InterceptionOut, 429: dict},
    summary="Link an interception recorded without a NIK to a registry person",
)
def interception_person_link(
    request: HttpRequest, interception_id: int, payload: InterceptionPersonIn
):
    """Officers and supervisors of the register. The person holding the NIK is linked
    (a look-up: audited, counted; 429 over the budget), or registered with the
    interception's name, birth date and sex (the registry's rules, 422 naming the
    field); the case the interception opened is linked too when the caller holds it."""
    from garda.apiutils import error_body

    ensure_role(request.auth, *RECORD_ROLES, what="api interception_person_link")
    interception = get_interception_for(request.auth, interception_id, for_write=True)
    try:
        interception_link_person(
            actor=request.auth, interception=interception, data=LinkData(**payload.dict())
        )
    except IdentityLookupsExceeded as exc:
        return Status(429, error_body(str(exc)))
    return _out(request.auth, get_interception_for(request.auth, interception_id))


@router.get("/broker-leads", response=list[BrokerLeadOut], summary="Brokers counted")
@paginate(Pagination, page_size=50)
def broker_leads(request: HttpRequest):
    """Supervisors and admins: every name counted across interceptions and cases,
    most named first; `is_lead` from the threshold (data/policy.toml)."""
    ensure_role(request.auth, *LEAD_ROLES, what="api broker_leads")
    return leads_for(request.auth)


@router.post("/cases/{case_id}/brokers", response={201: BrokerMentionOut}, summary="Name a broker")
def case_broker_add(request: HttpRequest, case_id: int, payload: BrokerMentionIn):
    ensure_role(request.auth, *CASE_ROLES, what="api case_broker_add")
    case = get_case_for(request.auth, case_id, for_write=True)
    mention = broker_mention_add(
        actor=request.auth, case=case, name=payload.name, kind=payload.kind
    )
    return Status(
        201,
        {
            "id": mention.pk,
            "name": mention.raw_name,
            "normalised": mention.normalised,
            "kind": mention.kind,
            "company_id": mention.company_id,
            "case_id": case.pk,
        },
    )
