"""Correction requests: the worker asks and follows them (`/privacy/me/corrections`),
officers who accompany the person and supervisors decide (`/privacy/corrections`).
Identity numbers in a request are masked here; the page shows them in full to those
who may reveal them (an audited reveal)."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.audit.gate import deny_not_found
from garda.documents.models import Document
from garda.pagination import Pagination
from garda.privacy.access import (
    STAFF_ROLES,
    get_correction_for,
    own_person,
    read_correction_for,
    read_corrections,
    visible_corrections,
)
from garda.privacy.models import CorrectionRequest
from garda.privacy.services.corrections import (
    MAX_TEXT,
    OTHER,
    correction_accept,
    correction_reject,
    correction_request,
    field_label,
    shown_value,
)

router = Router(tags=["privacy"])


class CorrectionIn(Schema):
    field: str = Field(max_length=20, description='a field of the record, or "other"')
    requested_value: str = Field("", max_length=300)
    description: str = Field("", max_length=MAX_TEXT)
    reason: str = Field(max_length=MAX_TEXT)
    evidence_document_id: int | None = Field(None, ge=1, le=2**63 - 1)


class DecisionIn(Schema):
    decision: Literal["accept", "reject"]
    note: str = Field("", max_length=MAX_TEXT)


class CorrectionOut(Schema):
    id: int
    person_reference: str
    field: str
    field_label: str
    requested_value: str = Field(description="identity numbers masked")
    description: str
    reason: str
    evidence_document_id: int | None
    status: str
    status_label: str
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str


class CorrectionQueueFilter(Schema):
    status: Literal["pending", "accepted", "rejected"] = "pending"


def correction_out(request: CorrectionRequest) -> dict:
    return {
        "id": request.pk,
        "person_reference": request.person.reference,
        "field": request.field,
        "field_label": field_label(request.field),
        "requested_value": ""
        if request.field == OTHER
        else shown_value(request, request.requested_value),
        "description": request.description,
        "reason": request.reason,
        "evidence_document_id": request.evidence_id,
        "status": request.status,
        "status_label": str(request.get_status_display()),
        "created_at": request.created_at,
        "decided_at": request.decided_at,
        "decision_reason": request.decision_reason,
    }


class _Rows:
    """A page of requests turned into their output as it is sliced."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.qs.count()

    def __getitem__(self, item):
        return [correction_out(r) for r in self.qs[item]]


@router.get(
    "/privacy/me/corrections",
    response=list[CorrectionOut],
    summary="My correction requests, newest first",
)
@paginate(Pagination, page_size=25)
def my_correction_list(request: HttpRequest):
    ensure_role(request.auth, roles.WORKER, what="api my_correction_list")
    return _Rows(
        visible_corrections(request.auth).select_related("person").order_by("-created_at", "-id")
    )


@router.post(
    "/privacy/me/corrections",
    response={201: CorrectionOut},
    summary="Ask for a correction of my record (an officer decides)",
)
def my_correction_create(request: HttpRequest, payload: CorrectionIn):
    user = request.auth
    ensure_role(user, roles.WORKER, what="api my_correction_create")
    person = own_person(user)
    if person is None:
        raise HttpError(409, _("Complete your profile first."))
    evidence = None
    if payload.evidence_document_id is not None:
        evidence = Document.objects.filter(pk=payload.evidence_document_id, person=person).first()
        if evidence is None:
            raise ValidationError({"evidence": _("Choose one of your own documents.")})
    created = correction_request(
        actor=user,
        person=person,
        field=payload.field,
        requested_value=payload.requested_value,
        description=payload.description,
        reason=payload.reason,
        evidence=evidence,
    )
    created.person = person
    return Status(201, correction_out(created))


@router.get(
    "/privacy/corrections",
    response=list[CorrectionOut],
    summary="Correction requests of the persons I accompany (all, for supervisors)",
)
@paginate(Pagination, page_size=25)
def correction_list(request: HttpRequest, filters: Query[CorrectionQueueFilter]):
    ensure_role(request.auth, *STAFF_ROLES, what="api correction_list")
    qs = read_corrections(request.auth).filter(status=filters.status).select_related("person")
    return _Rows(qs.order_by("created_at", "id"))


@router.get(
    "/privacy/corrections/{correction_id}", response=CorrectionOut, summary="A correction request"
)
def correction_get(request: HttpRequest, correction_id: int):
    user = request.auth
    if user.role not in STAFF_ROLES and user.role != roles.WORKER:
        deny_not_found(user, "privacy.correctionrequest", correction_id, "api correction_get")
    return correction_out(read_correction_for(user, correction_id))


@router.post(
    "/privacy/corrections/{correction_id}/decision",
    response=CorrectionOut,
    summary="Accept (the record is changed) or reject (with a reason) a correction request",
)
def correction_decision(request: HttpRequest, correction_id: int, payload: DecisionIn):
    user = request.auth
    ensure_role(user, *STAFF_ROLES, what="api correction_decision")
    correction = get_correction_for(user, correction_id, for_decision=True)
    try:
        if payload.decision == "accept":
            decided = correction_accept(actor=user, request=correction, note=payload.note)
        else:
            decided = correction_reject(actor=user, request=correction, reason=payload.note)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise HttpError(409, " ".join(exc.messages)) from None
    decided.person = correction.person
    return correction_out(decided)
