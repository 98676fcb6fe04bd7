"""Documents in the API: the types, a person's documents (list, upload), one document
and its files, verify and reject, the verification queue and expiring documents.

The same access rules, services and audit rows as the pages (views.py). A health
document's number, level, note, files and rejection reason are left out of the JSON
(not nulled) for roles that may not see health data (access.HEALTH_FIELDS).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import field_validator

from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.documents import files as upload_files
from garda.documents.access import (
    DOCUMENT_ROLES,
    REVIEW_ROLES,
    DocumentViewer,
    get_document_for,
    get_person_for_upload,
    read_document_for,
    visible_documents,
)
from garda.documents.display import document_out
from garda.documents.models import Document, DocumentType
from garda.documents.queries import read_expiring, read_queue
from garda.documents.services import document_reject, document_upload, document_verify
from garda.documents.views import download_page
from garda.pagination import MAX_PAGE, MAX_PAGE_SIZE, capped_count
from garda.people.access import read_person_for

router = Router(tags=["documents"])
PAGE_SIZE = 25


class DocumentTypeOut(Schema):
    code: str
    name: str
    name_en: str
    category: str
    issuer: str
    issuer_kind: str
    where_to_get: str
    validity_months: int | None
    min_remaining_months: int | None
    needs_verification: bool
    has_number: bool
    has_expiry: bool
    levels: list[str] = Field(description="lowest first; empty for a score or no level")
    is_scored: bool
    is_health: bool

    @staticmethod
    def resolve_levels(obj) -> list[str]:
        return obj.level_list


class FileOut(Schema):
    page: int
    content_type: str
    size: int
    url: str


class DocumentOut(Schema):
    id: int
    person_id: int
    type: str
    type_name: str
    is_health: bool
    status: str = Field(description="pending, verified, rejected or replaced")
    state: str = Field(description="the status, or expired/expiring for a verified document")
    issued_on: date | None
    expires_on: date | None
    valid_until: date | None
    uploaded_at: datetime
    uploaded_by_id: int | None
    reviewed_at: datetime | None
    reviewed_by_id: int | None
    replaces_id: int | None
    changed_at: datetime
    version: int
    # Absent for a health document when the caller may not see health data.
    number: str | None = Field(None, description="masked unless the caller may reveal it")
    level: str | None = None
    note: str | None = None
    rejection_reason: str | None = None
    files: list[FileOut] | None = None


class DocumentPage(Schema):
    items: list[DocumentOut]
    count: int
    count_capped: bool


class PageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


class DocumentUploadIn(Schema):
    type: str = Field(max_length=40, description="a document type code")
    number: str = Field("", max_length=80)
    issued_on: date | None = None
    expires_on: date | None = None
    level: str = Field("", max_length=20)
    note: str = Field("", max_length=500)

    @field_validator("type", "number", "level", "note")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        # Multipart fields pass the NUL-byte middleware (it leaves multipart bodies
        # alone); PostgreSQL refuses NUL in text.
        if "\x00" in value:
            raise ValueError(_("A NUL character is not allowed."))
        return value

    @field_validator("issued_on", "expires_on", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        # A form sends an empty date field as "".
        return None if value == "" else value


class RejectIn(Schema):
    reason: str = Field(max_length=500)


class QueueFilter(PageIn):
    mine: bool = Field(False, description="only persons assigned to me")
    type: str = Field("", max_length=40)


class ExpiringFilter(PageIn):
    within_days: int = Field(183, ge=0, le=3660)


def _page(request: HttpRequest, qs: QuerySet[Document], pagination: PageIn) -> dict:
    """A page of documents in the project's pagination shape, each shown as the
    caller may see it (display.document_out)."""
    size = pagination.page_size or PAGE_SIZE
    offset = (pagination.page - 1) * size
    count, capped = capped_count(qs)
    viewer = DocumentViewer(request.auth)
    today = timezone.localdate()
    items = qs.select_related("type", "person").prefetch_related("files")[offset : offset + size]
    return {
        "items": [document_out(viewer, d, today) for d in items],
        "count": count,
        "count_capped": capped,
    }


@router.get("/document-types", response=list[DocumentTypeOut], summary="Document types")
def document_types(request: HttpRequest):
    """Every active document type: who issues it, where to get it (plain Indonesian),
    validity rules, levels."""
    return list(DocumentType.objects.filter(is_active=True))


@router.get(
    "/people/{person_id}/documents",
    response=DocumentPage,
    exclude_unset=True,
    summary="A person's documents",
)
def person_documents(request: HttpRequest, person_id: int, filters: Query[PageIn]):
    """Newest first within each type. An officer not assigned to the person sees only
    the pending ones (the verification queue)."""
    ensure_role(request.auth, *DOCUMENT_ROLES, what="api person_documents")
    person = read_person_for(request.auth, person_id, reason="documents")
    qs = (
        visible_documents(request.auth)
        .filter(person=person)
        .order_by("type__order", "type__code", "-uploaded_at", "-id")
    )
    return _page(request, qs, filters)


@router.post(
    "/people/{person_id}/documents",
    response={201: DocumentOut, 413: dict},
    exclude_unset=True,
    summary="Upload a document (multipart: the fields and files)",
)
@decorate_view(upload_files.api_upload_guard)
def document_create(
    request: HttpRequest,
    person_id: int,
    payload: Form[DocumentUploadIn],
    files: File[list[UploadedFile]],
):
    """multipart/form-data: `type` (a code from /document-types), `number`,
    `issued_on`, `expires_on`, `level`, `note`, and `files`: one PDF, or one JPEG/PNG
    per page in order. The type is read from the files' bytes. A body over the upload
    limit is refused with 413 before it is read."""
    user = request.auth
    ensure_role(user, *DOCUMENT_ROLES, what="api document_create")
    person = get_person_for_upload(user, person_id)
    document_type = DocumentType.objects.filter(code=payload.type, is_active=True).first()
    if document_type is None:
        raise ValidationError(
            {"type": ValidationError(_("Unknown document type."), code="invalid")}
        )
    try:
        document = document_upload(
            actor=user,
            person=person,
            type=document_type,
            files=files,
            number=payload.number,
            issued_on=payload.issued_on,
            expires_on=payload.expires_on,
            level=payload.level,
            note=payload.note,
        )
    except ValidationError as exc:
        if upload_files.is_too_large(exc):
            return Status(413, error_body(" ".join(exc.messages)))
        raise
    document = Document.objects.select_related("type", "person").get(pk=document.pk)
    return Status(201, document_out(DocumentViewer(user), document, timezone.localdate()))


# The fixed paths before /documents/{document_id}, which would otherwise take them.
@router.get(
    "/documents/queue",
    response=DocumentPage,
    exclude_unset=True,
    summary="The verification queue: pending documents I may verify, oldest first",
)
def verification_queue(request: HttpRequest, filters: Query[QueueFilter]):
    ensure_role(request.auth, *REVIEW_ROLES, what="api document queue")
    qs = read_queue(request.auth, mine=filters.mine, type=filters.type)
    return _page(request, qs, filters)


@router.get(
    "/documents/expiring",
    response=DocumentPage,
    exclude_unset=True,
    summary="Verified documents whose validity ends within the window, or ended",
)
def expiring_documents(request: HttpRequest, filters: Query[ExpiringFilter]):
    """Officers: the persons assigned to them; supervisors and admins: everyone."""
    user = request.auth
    ensure_role(user, *REVIEW_ROLES, what="api expiring documents")
    qs = read_expiring(user, within_days=filters.within_days, today=timezone.localdate()).order_by(
        F("expires_on").asc(nulls_last=True), "issued_on", "id"
    )
    return _page(request, qs, filters)


@router.get(
    "/documents/{document_id}",
    response=DocumentOut,
    exclude_unset=True,
    summary="One document",
)
def document_detail(request: HttpRequest, document_id: int):
    """Any signed-in caller may ask; what they may not see is a 404 (audited)."""
    document = read_document_for(request.auth, document_id)
    return document_out(DocumentViewer(request.auth), document, timezone.localdate())


@router.get(
    "/documents/{document_id}/files/{page}",
    response={200: None},
    url_name="document_file",
    summary="One page of a document (the bytes, as an attachment; audited)",
)
def document_file(request: HttpRequest, document_id: int, page: int):
    return download_page(request.auth, document_id, page)


def _review(request: HttpRequest, document_id: int, decide) -> dict:
    user = request.auth
    ensure_role(user, *REVIEW_ROLES, what="api document review")
    document = get_document_for(user, document_id, for_write=True)
    try:
        document = decide(document)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise HttpError(409, " ".join(exc.messages)) from None
    document = Document.objects.select_related("type", "person").get(pk=document.pk)
    return document_out(DocumentViewer(user), document, timezone.localdate())


@router.post(
    "/documents/{document_id}/verify",
    response={200: DocumentOut, 409: dict},
    exclude_unset=True,
    summary="Verify a pending document",
)
def document_verify_op(request: HttpRequest, document_id: int):
    """409 when the document is no longer pending (someone decided first)."""
    return _review(request, document_id, lambda d: document_verify(actor=request.auth, document=d))


@router.post(
    "/documents/{document_id}/reject",
    response={200: DocumentOut, 409: dict},
    exclude_unset=True,
    summary="Reject a pending or verified document, with the reason the worker reads",
)
def document_reject_op(request: HttpRequest, document_id: int, payload: RejectIn):
    return _review(
        request,
        document_id,
        lambda d: document_reject(actor=request.auth, document=d, reason=payload.reason),
    )
