"""The compliance API: the retention rules with their counts (admins), legal holds
(supervisors, admins), the incident register (admins). Thin operations over the same
access functions, forms and services as the pages."""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema, Status

from garda.accounts.access import ensure_role
from garda.apiutils import form_errors
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.compliance import display, retention
from garda.compliance.access import (
    HOLD_ROLES,
    INCIDENT_ROLES,
    RETENTION_ROLES,
    get_hold_for,
    get_incident_for,
    resolve_target,
    visible_holds,
    visible_incidents,
)
from garda.compliance.forms import AuthorityForm, HoldForm, IncidentForm, LiftForm, SearchForm
from garda.compliance.models import IncidentPerson
from garda.compliance.services import holds as hold_services
from garda.compliance.services import incidents as incident_services
from garda.compliance.services import purge

router = Router(tags=["compliance"])
LIST_LIMIT = 200


class RuleOut(Schema):
    code: str
    keep_days: int
    after: str
    basis: str
    due: int | None
    held: int


@router.get(
    "/retention/rules", response=list[RuleOut], summary="Retention rules and what is past its time"
)
def retention_rules(request: HttpRequest):
    ensure_role(request.auth, *RETENTION_ROLES, what="api retention_rules")
    counts = {o.code: o for o in purge.counts()}
    audit_record(
        actor=request.auth,
        action=AuditEvent.Action.VIEW,
        object_type=purge.OBJECT_TYPE,
        reason="retention rules",
    )
    language = get_language() or "id"
    return [
        {
            "code": r.code,
            "keep_days": r.keep_days,
            "after": r.after,
            "basis": r.basis_for(language),
            "due": counts[r.code].due,
            "held": counts[r.code].held,
        }
        for r in retention.rules()
    ]


class HoldIn(Schema):
    reference: str
    reason: str
    ends_on: date | None = None


class LiftIn(Schema):
    lift_reason: str


class HoldOut(Schema):
    id: int
    person_id: int | None
    case_id: int | None
    reason: str
    ends_on: date | None
    placed_at: datetime
    lifted_at: datetime | None
    lift_reason: str
    in_force: bool


@router.get("/legal-holds", response=list[HoldOut], summary="Legal holds, newest first")
def legal_hold_list(request: HttpRequest):
    ensure_role(request.auth, *HOLD_ROLES, what="api legal_hold_list")
    return list(visible_holds(request.auth).order_by("-placed_at", "-id")[:LIST_LIMIT])


@router.post("/legal-holds", response={201: HoldOut}, summary="Place a legal hold")
def legal_hold_place(request: HttpRequest, payload: HoldIn):
    ensure_role(request.auth, *HOLD_ROLES, what="api legal_hold_place")
    form = HoldForm(payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    person, case = resolve_target(request.auth, form.cleaned_data["reference"])
    hold = hold_services.hold_place(
        actor=request.auth,
        person=person,
        case=case,
        reason=form.cleaned_data["reason"],
        ends_on=form.cleaned_data["ends_on"],
    )
    return Status(201, hold)


@router.post("/legal-holds/{hold_id}/lift", response=HoldOut, summary="Lift a legal hold")
def legal_hold_lift(request: HttpRequest, hold_id: int, payload: LiftIn):
    ensure_role(request.auth, *HOLD_ROLES, what="api legal_hold_lift")
    hold = get_hold_for(request.auth, hold_id)
    form = LiftForm(payload.dict())
    if not form.is_valid():
        raise form_errors(form)
    return hold_services.hold_lift(
        actor=request.auth, hold=hold, reason=form.cleaned_data["lift_reason"]
    )


class IncidentIn(Schema):
    title: str
    description: str
    kind: str
    systems: str
    discovered_at: datetime
    data_concerned: str
    measures: str
    advice: str
    contact: str


class IncidentOut(Schema):
    id: int
    reference: str
    title: str
    kind: str
    discovered_at: datetime
    notify_due_at: datetime
    overdue: bool
    persons: int
    told: int
    without_channel: int
    authority_informed_at: datetime | None


def _incident_out(incident, tally=None) -> dict:
    tally = tally or {"total": 0, "told": 0, "unreachable": 0}
    clock = display.incident_clock(incident, tally)
    return {
        "id": incident.pk,
        "reference": incident.reference,
        "title": incident.title,
        "kind": incident.kind,
        "discovered_at": incident.discovered_at,
        "notify_due_at": clock.due_at,
        "overdue": clock.overdue,
        "persons": tally["total"],
        "told": tally["told"],
        "without_channel": tally["unreachable"],
        "authority_informed_at": incident.authority_informed_at,
    }


@router.get("/incidents", response=list[IncidentOut], summary="The incident register")
def incident_list(request: HttpRequest):
    ensure_role(request.auth, *INCIDENT_ROLES, what="api incident_list")
    incidents = list(visible_incidents(request.auth)[:LIST_LIMIT])
    tallies = display.tallies([i.pk for i in incidents])
    audit_record(
        actor=request.auth,
        action=AuditEvent.Action.VIEW,
        object_type="compliance.incident",
        reason="incident list",
    )
    return [_incident_out(i, tallies.get(i.pk)) for i in incidents]


@router.post("/incidents", response={201: IncidentOut}, summary="Record an incident")
def incident_create(request: HttpRequest, payload: IncidentIn):
    ensure_role(request.auth, *INCIDENT_ROLES, what="api incident_create")
    data = payload.dict()
    data["discovered_at"] = data["discovered_at"].isoformat()
    form = IncidentForm(data)
    if not form.is_valid():
        raise form_errors(form)
    incident = incident_services.incident_create(actor=request.auth, **form.cleaned_data)
    return Status(201, _incident_out(incident))


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="One incident and its clock")
def incident_detail(request: HttpRequest, incident_id: int):
    ensure_role(request.auth, *INCIDENT_ROLES, what="api incident_detail")
    incident = get_incident_for(request.auth, incident_id)
    audit_record(actor=request.auth, action=AuditEvent.Action.VIEW, target=incident)
    return _incident_out(incident, display.tallies([incident.pk]).get(incident.pk))


class SearchIn(Schema):
    account: str
    since: datetime
    until: datetime


class IncidentPersonOut(Schema):
    person_id: int
    reference: str
    events: int
    notified_at: datetime | None
    channel: str


@router.post(
    "/incidents/{incident_id}/persons",
    response=list[IncidentPersonOut],
    summary="Add the persons an account read in a window (from the audit trail)",
)
def incident_find_persons(request: HttpRequest, incident_id: int, payload: SearchIn):
    ensure_role(request.auth, *INCIDENT_ROLES, what="api incident_find_persons")
    incident = get_incident_for(request.auth, incident_id)
    form = SearchForm(
        {
            "account": payload.account,
            "since": payload.since.isoformat(),
            "until": payload.until.isoformat(),
        }
    )
    if not form.is_valid():
        raise form_errors(form)
    incident_services.incident_find_persons(
        actor=request.auth,
        incident=incident,
        account=form.cleaned_data["account"],
        since=form.cleaned_data["since"],
        until=form.cleaned_data["until"],
    )
    rows = (
        IncidentPerson.objects.filter(incident=incident)
        .select_related("person")
        .order_by("id")[:1000]
    )
    return [
        {
            "person_id": r.person_id,
            "reference": r.person.reference,
            "events": r.events,
            "notified_at": r.notified_at,
            "channel": r.channel,
        }
        for r in rows
    ]


class NotifyOut(Schema):
    app: int
    email: int
    none: int


@router.post(
    "/incidents/{incident_id}/notify",
    response=NotifyOut,
    summary="Tell the persons not told yet (each once)",
)
def incident_notify(request: HttpRequest, incident_id: int):
    ensure_role(request.auth, *INCIDENT_ROLES, what="api incident_notify")
    incident = get_incident_for(request.auth, incident_id)
    return incident_services.incident_notify(actor=request.auth, incident=incident)


class AuthorityIn(Schema):
    informed_at: datetime
    note: str


@router.post(
    "/incidents/{incident_id}/authority",
    response=IncidentOut,
    summary="Record that the authority was informed",
)
def incident_authority(request: HttpRequest, incident_id: int, payload: AuthorityIn):
    ensure_role(request.auth, *INCIDENT_ROLES, what="api incident_authority")
    incident = get_incident_for(request.auth, incident_id)
    form = AuthorityForm({"informed_at": payload.informed_at.isoformat(), "note": payload.note})
    if not form.is_valid():
        raise form_errors(form)
    incident = incident_services.incident_authority_informed(
        actor=request.auth,
        incident=incident,
        informed_at=form.cleaned_data["informed_at"],
        note=form.cleaned_data["note"],
    )
    return _incident_out(incident, display.tallies([incident.pk]).get(incident.pk))
