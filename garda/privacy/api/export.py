"""All of a person's data (docs/privacy.md, "The export"): the worker's own, and the
desk's for a person whose whole record the caller may see. JSON or PDF; each call
one EXPORT audit row, as on the pages."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.privacy import export
from garda.privacy.access import STAFF_ROLES, get_exportable_person_for, own_person
from garda.privacy.views.export import export_response

router = Router(tags=["privacy"])


class ExportPersonOut(Schema):
    reference: str
    full_name: str


class ExportOut(Schema):
    format: str = Field(description=f'always "{export.FORMAT}"')
    version: int
    generated_at: str
    person: ExportPersonOut
    law: str
    sections: dict[str, Any] = Field(
        description="One key per section: " + ", ".join(export.SECTIONS) + " (docs/privacy.md)"
    )


def _own(request: HttpRequest):
    ensure_role(request.auth, roles.WORKER, what="api my_data_export")
    person = own_person(request.auth)
    if person is None:
        raise Http404
    return person


@router.get("/privacy/me/export", response=ExportOut, summary="All my data (JSON)")
def my_data_export(request: HttpRequest):
    person = _own(request)
    data = export.collect(person)
    export.export_audit(actor=request.auth, person=person, fmt="json")
    return data


@router.get("/privacy/me/export.pdf", response={200: None}, summary="All my data (a readable PDF)")
def my_data_export_pdf(request: HttpRequest):
    return export_response(request.auth, _own(request), "pdf")


@router.get(
    "/privacy/people/{person_id}/export",
    response=ExportOut,
    summary="All data of a person who asks at the desk (JSON)",
)
def person_data_export(request: HttpRequest, person_id: int):
    ensure_role(request.auth, *STAFF_ROLES, what="api person_data_export")
    person = get_exportable_person_for(request.auth, person_id)
    data = export.collect(person)
    export.export_audit(actor=request.auth, person=person, fmt="json")
    return data


@router.get(
    "/privacy/people/{person_id}/export.pdf",
    response={200: None},
    summary="All data of a person who asks at the desk (a readable PDF)",
)
def person_data_export_pdf(request: HttpRequest, person_id: int):
    ensure_role(request.auth, *STAFF_ROLES, what="api person_data_export")
    return export_response(request.auth, get_exportable_person_for(request.auth, person_id), "pdf")
