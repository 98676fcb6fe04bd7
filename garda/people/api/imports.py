"""The import wizard as an API: upload, follow, read the errors, commit."""

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.pagination import Pagination
from garda.people.models import ImportJob, ImportRowError
from garda.people.services import imports
from garda.people.views.imports import errors_response, template_response

router = Router(tags=["imports"])


class ImportJobOut(Schema):
    id: int
    file_name: str
    file_format: str
    state: str
    message: str
    total_rows: int
    valid_rows: int
    error_rows: int
    new_rows: int
    processed_rows: int
    created_rows: int
    updated_rows: int
    unchanged_rows: int
    next_row: int
    created_at: datetime
    finished_at: datetime | None


class ImportErrorOut(Schema):
    row: int
    column: str
    message: str


def _job(request: HttpRequest, job_id: int) -> ImportJob:
    ensure_role(request.auth, *imports.ROLES, what="api imports")
    job = imports.visible_jobs(request.auth).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@router.get("/imports/template.csv", summary="The import template (CSV)", response={200: None})
def import_template_csv(request: HttpRequest):
    ensure_role(request.auth, *imports.ROLES, what="api imports")
    return template_response("csv")


@router.get("/imports/template.xlsx", summary="The import template (XLSX)", response={200: None})
def import_template_xlsx(request: HttpRequest):
    ensure_role(request.auth, *imports.ROLES, what="api imports")
    return template_response("xlsx")


@router.post(
    "/imports",
    response={202: ImportJobOut, 413: dict},
    summary="Upload a CSV/XLSX of people; the check (dry run) starts in the background",
)
def import_upload(request: HttpRequest, file: File[UploadedFile]):
    ensure_role(request.auth, *imports.ROLES, what="api imports")
    if file.size > imports.MAX_BYTES:
        return Status(413, error_body(imports.size_error()))
    job = imports.import_start(actor=request.auth, file_name=file.name or "", content=file.read())
    return Status(202, job)


@router.get("/imports", response=list[ImportJobOut], summary="Imports the caller may see")
@paginate(Pagination, page_size=25)
def import_list(request: HttpRequest):
    ensure_role(request.auth, *imports.ROLES, what="api imports")
    return imports.visible_jobs(request.auth)


@router.get("/imports/{job_id}", response=ImportJobOut, summary="One import: state and counts")
def import_detail(request: HttpRequest, job_id: int):
    return _job(request, job_id)


@router.get(
    "/imports/{job_id}/errors",
    response=list[ImportErrorOut],
    summary="The per-row error report (row, column, message)",
)
@paginate(Pagination, page_size=100)
def import_errors(request: HttpRequest, job_id: int):
    return ImportRowError.objects.filter(job=_job(request, job_id)).order_by("row", "id")


@router.get("/imports/{job_id}/errors.csv", summary="The error report as CSV", response={200: None})
def import_errors_csv(request: HttpRequest, job_id: int):
    return errors_response(_job(request, job_id))


@router.post(
    "/imports/{job_id}/commit",
    response={202: ImportJobOut},
    summary="Import the valid rows of a checked file (or resume a stopped import)",
)
def import_commit(request: HttpRequest, job_id: int):
    job = imports.import_commit_start(actor=request.auth, job=_job(request, job_id))
    return Status(202, job)
