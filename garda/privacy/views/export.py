"""“Data saya”: the worker's rights over their data in one place, and the download of
all of it (JSON and PDF); the same download made at the desk by an officer who may
see the person's whole record. Each download is one EXPORT audit row."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.people.access import person_read, read_own_person
from garda.people.models import Person
from garda.privacy import export, pdf
from garda.privacy.access import STAFF_ROLES, get_exportable_person_for, own_person
from garda.privacy.models import CorrectionRequest

FORMATS = ("json", "pdf")


def export_response(user, person: Person, fmt: str) -> HttpResponse:
    """The export of `person` in `fmt` as a download, audited (the page and the API)."""
    if fmt not in FORMATS:
        raise Http404
    data = export.collect(person)
    if fmt == "json":
        content, content_type = export.render_json(data), "application/json; charset=utf-8"
    else:
        content, content_type = pdf.render_pdf(data), "application/pdf"
    export.export_audit(actor=user, person=person, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(data, fmt)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(roles.WORKER)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    person = read_own_person(request.user, reason="my data")
    pending = 0
    if person is not None:
        pending = CorrectionRequest.objects.filter(
            person=person, status=CorrectionRequest.Status.PENDING
        ).count()
    return render(request, "privacy/mine.html", {"person": person, "pending": pending})


@role_required(roles.WORKER)
@require_GET
def my_export(request: HttpRequest, fmt: str) -> HttpResponse:
    person = own_person(request.user)
    if person is None:
        raise Http404
    return export_response(request.user, person, fmt)


@role_required(*STAFF_ROLES)
@require_GET
def person_data(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_exportable_person_for(request.user, pk)
    person_read(request.user, person, reason="data export page")
    return render(request, "privacy/person.html", {"person": person})


@role_required(*STAFF_ROLES)
@require_GET
def person_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return export_response(request.user, get_exportable_person_for(request.user, pk), fmt)
