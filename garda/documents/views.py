"""Document pages: the worker's own documents, a person's documents for staff, one
document, its files, the verification queue and the expiring documents.

Thin views over access.py, services.py and queries.py that behave like api.py: the
same roles, the same scoping (404 for missing and forbidden alike, with a denied-access
audit row), the same audit rows (a VIEW per page shown and per file downloaded).
Verify and reject answer HTMX with the document's row as staff see it
(documents/_officer_row.html: only staff review, so the row is never the worker's).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.documents import files as upload_files
from garda.documents.access import (
    DOCUMENT_ROLES,
    REVIEW_ROLES,
    DocumentViewer,
    get_document_for,
    get_person_for_upload,
    read_document_for,
    read_document_page_for,
    visible_documents,
)
from garda.documents.display import row_for
from garda.documents.forms import (
    DocumentUploadForm,
    ExpiringFilterForm,
    QueueFilterForm,
    RejectForm,
)
from garda.documents.models import Document, DocumentType
from garda.documents.queries import read_expiring, read_queue
from garda.documents.services import document_reject, document_upload, document_verify
from garda.pagination import CappedPaginator
from garda.people.access import read_own_person, read_person_for
from garda.people.models import Person
from garda.viewutils import add_service_errors, is_htmx

PAGE_SIZE = 25
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _with_pages(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.select_related("type", "uploaded_by", "reviewed_by").annotate(
        page_count=Count("files")
    )


def _person_context(request: HttpRequest, person: Person, *, form=None) -> dict:
    """What a person's documents page shows (the worker's own page and staff's)."""
    user = request.user
    viewer = DocumentViewer(user)
    today = timezone.localdate()
    documents = list(
        _with_pages(visible_documents(user).filter(person=person)).order_by(
            "type__order", "type__code", "-uploaded_at", "-id"
        )
    )
    rows, history = [], []
    for document in documents:
        document.person = person  # spare a query per row
        row = row_for(viewer, document, today)
        (history if document.status == Document.Status.REPLACED else rows).append(row)
    may_upload = viewer.may_upload(person)
    if may_upload and form is None:
        initial = {}
        wanted = request.GET.get("type", "")
        if wanted:
            initial["type"] = wanted
        form = DocumentUploadForm(initial=initial)
    return {
        "person": person,
        "rows": rows,
        "history": history,
        "form": form if may_upload else None,
        "is_self": viewer.is_self(person),
        "assigned": person.pk in viewer.assigned,
        "reject_form": RejectForm(),
    }


# --- the worker's own documents ---------------------------------------------------------


@role_required(roles.WORKER)
@require_GET
def my_documents(request: HttpRequest) -> HttpResponse:
    """ "Dokumen saya": the worker's documents with their state and reasons, the
    upload form (a type in ?type= is preselected: the link of a rejection notice), and
    where to get each document."""
    # The read audited as the API's `GET /people/{id}/documents` (reason "documents").
    person = read_own_person(request.user, reason="documents")
    if person is None:
        return render(request, "documents/my_documents.html", {"person": None})
    return render(request, "documents/my_documents.html", _mine_context(request, person))


def _mine_context(request: HttpRequest, person: Person, *, form=None) -> dict:
    context = _person_context(request, person, form=form)
    return {
        **context,
        # Documents the worker must act on (the red tags of the cards).
        "to_fix": sum(row.state in ("rejected", "expired") for row in context["rows"]),
        "types": DocumentType.objects.filter(is_active=True),
    }


# --- a person's documents (staff) ---------------------------------------------------------


@role_required(*DOCUMENT_ROLES)
@require_GET
def person_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's documents as staff see them: an officer not assigned to the person
    sees only their pending documents (the verification queue) and cannot upload."""
    if request.user.role == roles.WORKER:
        return redirect("documents:mine")
    person = read_person_for(request.user, pk, reason="documents")
    return render(request, "documents/person_documents.html", _person_context(request, person))


@role_required(*DOCUMENT_ROLES)
@csrf_exempt  # the upload handler is set before the body is read; see _upload
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document for person `pk` (the worker for themself, or staff on their
    behalf). An oversized body is refused with 413 before it is read."""
    return upload_files.page_upload_refusal(request) or _upload(request, pk)


@csrf_protect
def _upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_person_for_upload(user, pk)
    viewer = DocumentViewer(user)
    form = DocumentUploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = document_upload(
                actor=user,
                person=person,
                type=data["type"],
                files=data["files"],
                number=data["number"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
                level=data["level"],
                note=data["note"],
            )
        except ValidationError as exc:
            if upload_files.is_too_large(exc):
                status = 413
            add_service_errors(form, exc)
        else:
            if document.status == Document.Status.VERIFIED:
                messages.success(request, _("Document saved and verified."))
            elif viewer.is_self(person):
                messages.success(
                    request, _("Document uploaded. An officer will check it against the original.")
                )
            else:  # an officer uploading a scan: they verify it after seeing the original
                messages.success(
                    request, _("Document uploaded. Verify it once you have seen the original.")
                )
            if viewer.is_self(person):
                return redirect("documents:mine")
            return redirect("documents:person", pk=person.pk)
    if viewer.is_self(person):
        context = _mine_context(request, person, form=form)
        return render(request, "documents/my_documents.html", context, status=status)
    return render(
        request,
        "documents/person_documents.html",
        _person_context(request, person, form=form),
        status=status,
    )


# --- one document ---------------------------------------------------------------------


def _detail_context(request: HttpRequest, document: Document, *, reject_form=None) -> dict:
    viewer = DocumentViewer(request.user)
    today = timezone.localdate()
    document.page_count = document.files.count()
    earlier = list(
        _with_pages(
            visible_documents(request.user).filter(
                person=document.person, type=document.type, uploaded_at__lt=document.uploaded_at
            )
        ).order_by("-uploaded_at", "-id")[:20]
    )
    for other in earlier:
        other.person = document.person
    return {
        "row": row_for(viewer, document, today),
        "person": document.person,
        "earlier": [row_for(viewer, d, today) for d in earlier],
        "is_self": viewer.is_self(document.person),
        "reject_form": reject_form or RejectForm(),
        "in_registry": request.user.role in REVIEW_ROLES,
    }


# Every signed-in role reaches the look-up, so that a trainer or partner asking for a
# document gets the same 404 (and denied-access audit row) as a worker asking for
# someone else's.
@role_required(*roles.ALL)
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = read_document_for(request.user, pk)
    return render(request, "documents/document_detail.html", _detail_context(request, document))


@role_required(*roles.ALL)
@require_GET
def document_file(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """One page of a document as a download: never shown inline (a file is not a
    page of this site), never cached, each download audited."""
    return download_page(request.user, pk, page)


def download_page(user, pk, page: int) -> HttpResponse:
    """Page `page` of document `pk` for `user` (the page and the API): 404 unless
    they may see the document's details (denied audited); each download audited
    (access.read_document_page_for)."""
    document, stored, data = read_document_page_for(user, pk, page)
    return file_response(document, stored, data)


def file_response(document: Document, stored, data: bytes) -> HttpResponse:
    """The bytes of a stored page as an attachment (the page and the API)."""
    response = HttpResponse(data, content_type=stored.content_type)
    extension = EXTENSIONS.get(stored.content_type, "bin")
    # A name made of codes and ids: the uploaded name never reaches a header.
    filename = f"{document.type.code}-{document.pk}-{stored.page}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(data))
    return response


def _after_review(request: HttpRequest, document: Document, message: str) -> HttpResponse:
    if is_htmx(request):
        return _render_row(request, document, notice=message)
    messages.success(request, message)
    if visible_documents(request.user).filter(pk=document.pk).exists():
        return redirect("documents:detail", pk=document.pk)
    # An officer who is not the person's pendamping no longer sees a decided document.
    return redirect("documents:queue")


def _render_row(
    request: HttpRequest, document: Document, *, notice: str = "", error: str = "", form=None
) -> HttpResponse:
    document.page_count = document.files.count()
    context = {
        "row": row_for(DocumentViewer(request.user), document, timezone.localdate()),
        "show_person": request.POST.get("show_person") == "1",
        "notice": notice,
        "error": error,
        "reject_form": form or RejectForm(),
    }
    return render(request, "documents/_officer_row.html", context)


@role_required(*REVIEW_ROLES)
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk, for_write=True)
    try:
        document = document_verify(actor=request.user, document=document)
    except ValidationError as exc:
        return _review_failed(request, document, " ".join(exc.messages))
    return _after_review(request, document, _("Document verified."))


@role_required(*REVIEW_ROLES)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk, for_write=True)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            document = document_reject(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                return _review_failed(request, document, " ".join(exc.messages))
        else:
            return _after_review(request, document, _("Document rejected; the worker is told why."))
    if is_htmx(request):
        # HTMX swaps 2xx answers only: the row comes back with the form's errors.
        return _render_row(request, document, form=form)
    return render(
        request,
        "documents/document_detail.html",
        _detail_context(request, document, reject_form=form),
        status=400,
    )


def _review_failed(request: HttpRequest, document: Document, message: str) -> HttpResponse:
    document.refresh_from_db()
    if is_htmx(request):
        return _render_row(request, document, error=message)
    messages.error(request, message)
    if visible_documents(request.user).filter(pk=document.pk).exists():
        return redirect("documents:detail", pk=document.pk)
    return redirect("documents:queue")


# --- worklists --------------------------------------------------------------------------


@role_required(*REVIEW_ROLES)
@require_GET
def verification_queue(request: HttpRequest) -> HttpResponse:
    """Pending documents the user may verify, oldest first."""
    user = request.user
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # The read audited as the API's `GET /documents/queue` (queries.read_queue).
    qs = read_queue(user, mine=bool(filters.get("mine")), type=filters.get("type") or "")
    page = CappedPaginator(qs.annotate(page_count=Count("files")), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    viewer = DocumentViewer(user)
    today = timezone.localdate()
    rows = [row_for(viewer, d, today) for d in page]
    return render(
        request,
        "documents/queue.html",
        {"form": form, "page": page, "rows": rows, "reject_form": RejectForm()},
    )


@role_required(*REVIEW_ROLES)
@require_GET
def expiring_documents(request: HttpRequest) -> HttpResponse:
    """Verified documents whose validity ends soon or ended: an officer's assigned
    persons; every person for supervisors and admins."""
    user = request.user
    form = ExpiringFilterForm(request.GET or None)
    days = form.days()
    today = timezone.localdate()
    # The read audited as the API's `GET /documents/expiring` (queries.read_expiring).
    qs = (
        read_expiring(user, within_days=days, today=today)
        .select_related("type", "person")
        .annotate(page_count=Count("files"))
        .order_by(F("expires_on").asc(nulls_last=True), "issued_on", "id")
    )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    viewer = DocumentViewer(user)
    rows = [row_for(viewer, d, today) for d in page]
    return render(
        request,
        "documents/expiring.html",
        {"form": form, "page": page, "rows": rows, "days": days},
    )
