"""Outreach API: events, registrations, check-in and the funnel (a contract other
systems use: keep the paths).

- `POST /events` (officers, supervisors: their agency's event), `GET /events`,
  `GET /events/{event_id}` (officers, supervisors, admins);
- `POST /events/{event_id}/registrations`: staff of the event's agency for someone
  (`channel` online or door, `check_in` for a walk-in); a worker for themself (linked
  to their record). 409: full, already registered, not open;
- `GET /events/{event_id}/registrations`: the attendance list (audited read);
- `POST /events/{event_id}/check-in` `{"code"}`: 200 checked in; 409 already checked in
  (`checked_in_at` says when) or the event not open; 422 an unknown code or a code of
  another event (whose is not told);
- `GET /events/{event_id}/funnel`: attended → registered → trained → placed →
  departed, with the median days from attendance.
Trainers, partners and recruiters: 403 with a denied row. Messages in the reader's
language (Indonesian by default).
"""

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.outreach.access import (
    READ_ROLES,
    REGISTER_ROLES,
    WRITE_ROLES,
    attendance_read,
    get_event_for,
    get_public_event,
    visible_events,
)
from garda.outreach.funnel import event_funnel
from garda.outreach.models import Event, Registration
from garda.outreach.services.events import EventData, event_create
from garda.outreach.services.registrations import (
    CheckInRefused,
    RegistrationData,
    RegistrationRefused,
    registration_check_in,
    registration_create,
)
from garda.pagination import Pagination

router = Router(tags=["outreach"])


class OutreachEventIn(Schema):
    kind: str = Field(description="socialisation, job_fair, g2g_info or capacity_building")
    title: str = Field(max_length=300)
    region_code: str = Field(
        max_length=13, description="Kemendagri code of the kab/kota, kecamatan or kelurahan"
    )
    venue: str = Field(max_length=400)
    starts_at: datetime
    ends_at: datetime
    audience: str = Field(description="public, prospective, families, officers or village_staff")
    capacity: int | None = Field(None, ge=1, le=100_000)
    campaign_id: int | None = None
    description: str = ""
    partners: str = ""
    budget_line: str = ""
    open: bool = Field(False, description="open for registration at once")


class OutreachEventOut(Schema):
    id: int
    reference: str
    kind: str
    title: str
    description: str
    campaign_id: int | None
    region_code: str
    district_code: str = Field(description="the kab/kota of the place")
    venue: str
    starts_at: datetime
    ends_at: datetime
    audience: str
    capacity: int | None
    partners: str
    budget_line: str
    status: str
    agency_id: int

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj["region_code"] if isinstance(obj, dict) else obj.region_id

    @staticmethod
    def resolve_district_code(obj) -> str:
        return obj["district_code"] if isinstance(obj, dict) else obj.regency_code


class OutreachRegistrationIn(Schema):
    full_name: str = Field("", max_length=300, description="a worker's own: from their record")
    phone: str = Field("", max_length=30)
    nik: str = Field(
        "",
        max_length=20,
        description="16 digits; typed by staff it links the record with this NIK, typed "
        "online it is kept unconfirmed until an officer checks the person in with it",
    )
    channel: str = Field("online", description="online or door (staff only)")
    check_in: bool = Field(False, description="a walk-in: registered and checked in (staff)")


class OutreachRegistrationOut(Schema):
    id: int
    event_id: int
    person_id: int | None
    full_name: str
    phone: str
    channel: str
    code: str = Field(description="the check-in code (in the QR of the confirmation page)")
    registered_at: datetime
    checked_in_at: datetime | None


class OutreachCheckInIn(Schema):
    code: str = Field(max_length=40)
    nik: str = Field(
        "",
        max_length=20,
        description="typed by the officer from the identity card: links the registration "
        "to the record with this NIK",
    )


class OutreachFunnelOut(Schema):
    event_id: int
    reference: str
    registrations: int
    attended: int = Field(description="checked in")
    attended_with_record: int = Field(description="checked in and linked to a person")
    already_registered: int = Field(description="in the registry before attending")
    registered: int = Field(description="registered in the registry after attending")
    trained: int = Field(description="completed a training after attending")
    placed: int
    departed: int
    registered_median_days: float | None
    trained_median_days: float | None
    placed_median_days: float | None
    departed_median_days: float | None


def event_out(e: Event) -> dict:
    return {
        "id": e.pk,
        "reference": e.reference,
        "kind": e.kind,
        "title": e.title,
        "description": e.description,
        "campaign_id": e.campaign_id,
        "region_code": e.region_id,
        "district_code": e.regency_code,
        "venue": e.venue,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "audience": e.audience,
        "capacity": e.capacity,
        "partners": e.partners,
        "budget_line": e.budget_line,
        "status": e.status,
        "agency_id": e.agency_id,
    }


def registration_out(r: Registration) -> dict:
    return {
        "id": r.pk,
        "event_id": r.event_id,
        "person_id": r.person_id,
        "full_name": r.full_name,
        "phone": r.phone,
        "channel": r.channel,
        "code": r.code,
        "registered_at": r.registered_at,
        "checked_in_at": r.checked_in_at,
    }


def _refused(status: int, code: str, message: str, field: str = "", **extra) -> Status:
    body = error_body(message, [{"field": field, "code": code, "message": message}])
    body.update(extra)
    return Status(status, body)


@router.post("/events", response={201: OutreachEventOut}, summary="Create an outreach event")
def outreach_event_create(request: HttpRequest, payload: OutreachEventIn):
    """Officers and supervisors; the event belongs to their agency. Planned unless
    `open` (then open for registration and check-in)."""
    ensure_role(request.auth, *WRITE_ROLES, what="api outreach_event_create")
    values = payload.dict()
    open_now = values.pop("open")
    event = event_create(actor=request.auth, data=EventData(**values))
    if open_now:
        from garda.outreach.services.events import event_set_status

        event = event_set_status(actor=request.auth, event=event, status=Event.Status.OPEN)
    return Status(201, event_out(event))


@router.get("/events", response=list[OutreachEventOut], summary="Outreach events")
@paginate(Pagination, page_size=50)
def outreach_event_list(request: HttpRequest):
    ensure_role(request.auth, *READ_ROLES, what="api outreach_event_list")
    return visible_events(request.auth).order_by("-starts_at", "-id")


@router.get("/events/{event_id}", response=OutreachEventOut, summary="One outreach event")
def outreach_event_detail(request: HttpRequest, event_id: int):
    ensure_role(request.auth, *READ_ROLES, what="api outreach_event_detail")
    return event_out(get_event_for(request.auth, event_id))


@router.post(
    "/events/{event_id}/registrations",
    response={201: OutreachRegistrationOut, 409: dict},
    summary="Register for an event",
)
def outreach_registration_create(
    request: HttpRequest, event_id: int, payload: OutreachRegistrationIn
):
    """Staff of the event's agency register someone (a walk-in with `check_in`); a
    worker registers themself for an open event for the public."""
    user = request.auth
    ensure_role(user, *REGISTER_ROLES, what="api outreach_registration_create")
    if user.role == roles.WORKER:
        event = get_public_event(user, event_id)
        channel, check_in = Registration.Channel.ONLINE, False
    else:
        event = get_event_for(user, event_id, for_write=True)
        if payload.channel not in Registration.Channel.values:
            return _refused(422, "invalid_choice", _("Choose online or door."), field="channel")
        channel, check_in = payload.channel, payload.check_in
    data = RegistrationData(full_name=payload.full_name, phone=payload.phone, nik=payload.nik)
    try:
        registration = registration_create(
            actor=user, event=event, data=data, channel=channel, check_in=check_in
        )
    except RegistrationRefused as exc:
        return _refused(409, exc.code, exc.message)
    return Status(201, registration_out(registration))


@router.get(
    "/events/{event_id}/registrations",
    response=list[OutreachRegistrationOut],
    summary="An event's registrations and attendance",
)
@paginate(Pagination, page_size=100)
def outreach_registration_list(request: HttpRequest, event_id: int):
    """Names and phones are personal data: the read is audited."""
    ensure_role(request.auth, *READ_ROLES, what="api outreach_registration_list")
    event = get_event_for(request.auth, event_id)
    attendance_read(request.auth, event, what="api attendance list")
    return Registration.objects.filter(event=event).order_by("registered_at", "id")


@router.post(
    "/events/{event_id}/check-in",
    response={200: OutreachRegistrationOut, 409: dict, 422: dict},
    summary="Check in a registration by its code",
)
def outreach_check_in(request: HttpRequest, event_id: int, payload: OutreachCheckInIn):
    ensure_role(request.auth, *WRITE_ROLES, what="api outreach_check_in")
    event = get_event_for(request.auth, event_id, for_write=True)
    try:
        registration = registration_check_in(
            actor=request.auth, event=event, code=payload.code, nik=payload.nik
        )
    except CheckInRefused as exc:
        extra = {}
        if exc.registration is not None and exc.registration.checked_in_at:
            extra["checked_in_at"] = exc.registration.checked_in_at.isoformat()
        field = "nik" if exc.code in ("invalid_nik", "already_registered") else "code"
        return _refused(exc.status, exc.code, exc.message, field=field, **extra)
    return registration_out(registration)


@router.get("/events/{event_id}/funnel", response=OutreachFunnelOut, summary="An event's funnel")
def outreach_event_funnel(request: HttpRequest, event_id: int):
    """Of those checked in: registered in the registry after attending, completed a
    training, placed, departed (docs/outreach.md, "The funnel")."""
    ensure_role(request.auth, *READ_ROLES, what="api outreach_event_funnel")
    event = get_event_for(request.auth, event_id)
    return {
        "event_id": event.pk,
        "reference": event.reference,
        "registrations": Registration.objects.filter(event=event).count(),
        **event_funnel(event),
    }
