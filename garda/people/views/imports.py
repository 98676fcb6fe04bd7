"""The import wizard: download the template, upload a file, read the check's counts
and error report, then import the valid rows and follow the progress (HTMX)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts.decorators import role_required
from garda.people.models import ImportJob
from garda.people.services import imports
from garda.uploads import declared_length_over, keep_uploads_in_memory

ROLES = tuple(sorted(imports.ROLES))
ERRORS_SHOWN = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy("Up to 50 MB and 200,000 rows, in the template's columns."),
    )


def too_large(request: HttpRequest) -> bool:
    # Room for the multipart envelope around the file.
    return declared_length_over(request, imports.MAX_BYTES + 64 * 1024)


def _job_for(user, pk: int) -> ImportJob:
    job = imports.visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@role_required(*ROLES)
@csrf_exempt  # the upload handler must be set before the body is read; see _upload
@require_http_methods(["GET", "POST"])
def import_home(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if too_large(request):
            return render(
                request,
                "people/import_home.html",
                _home_context(request, ImportUploadForm(), error=imports.size_error()),
                status=413,
            )
        keep_uploads_in_memory(request)
        return _upload(request)
    return render(request, "people/import_home.html", _home_context(request, ImportUploadForm()))


def template_response(fmt: str) -> HttpResponse:
    """The import template as a download (the page and the API)."""
    if fmt == "xlsx":
        response = HttpResponse(imports.template_xlsx(), content_type=XLSX)
    else:
        response = HttpResponse(imports.template_csv(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="template-pmi.{fmt}"'
    return response


def errors_response(job: ImportJob) -> StreamingHttpResponse:
    """An import's error report as a CSV download (the page and the API)."""
    response = StreamingHttpResponse(imports.errors_csv(job), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.import_start(
                actor=request.user, file_name=upload.name, content=upload.read()
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("people:import_detail", pk=job.pk)
    return render(request, "people/import_home.html", _home_context(request, form), status=400)


def _home_context(request: HttpRequest, form: ImportUploadForm, error: str = "") -> dict:
    jobs = imports.visible_jobs(request.user).select_related("created_by")
    page = Paginator(jobs, 20).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "error": error, "columns": imports.COLUMNS}


@role_required(*ROLES)
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request.user, pk)
    context = {
        "job": job,
        "errors": job.row_errors.all()[:ERRORS_SHOWN],
        "more_errors": job.row_errors.count() > ERRORS_SHOWN,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "people/_import_status.html", context)
    return render(request, "people/import_detail.html", context)


@role_required(*ROLES)
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    job = _job_for(request.user, pk)
    try:
        imports.import_commit_start(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:import_detail", pk=job.pk)


@role_required(*ROLES)
@require_GET
def import_errors(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    return errors_response(_job_for(request.user, pk))


@role_required(*ROLES)
@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    return template_response(fmt)
