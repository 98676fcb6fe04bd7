"""A document as one user may see it, for pages (Row) and the API (document_out).

Health details and identity numbers are decided here, once, through
access.DocumentViewer: templates and schemas only show what they are given, so a key
that must not reach a role is never in the context or the JSON at all.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse

from garda.documents.access import DocumentViewer
from garda.documents.models import Document
from garda.documents.queries import REMIND_DAYS, valid_until


@dataclass
class Row:
    doc: Document
    details: bool  # health details visible (always True for other documents)
    number: str  # full, masked, or "" when hidden
    until: date | None
    expired: bool
    expiring: bool
    pages: list[int]
    can_verify: bool
    can_reject: bool

    @property
    def state(self) -> str:
        """The status, with expiry folded in for verified documents."""
        if self.doc.status == Document.Status.VERIFIED and self.expired:
            return "expired"
        if self.doc.status == Document.Status.VERIFIED and self.expiring:
            return "expiring"
        return self.doc.status


def _page_numbers(document: Document) -> list[int]:
    count = getattr(document, "page_count", None)
    if count is None:
        return [f.page for f in document.files.all()]
    return list(range(1, count + 1))


def row_for(viewer: DocumentViewer, document: Document, today: date) -> Row:
    details = viewer.sees_details(document)
    until = valid_until(document)
    reviewable = viewer.may_review(document)
    return Row(
        doc=document,
        details=details,
        number=viewer.number(document) if details else "",
        until=until,
        expired=until is not None and until < today,
        expiring=until is not None and today <= until <= today + timedelta(days=REMIND_DAYS),
        pages=_page_numbers(document) if details else [],
        can_verify=reviewable and document.status == Document.Status.PENDING,
        can_reject=reviewable,
    )


def document_out(viewer: DocumentViewer, document: Document, today: date) -> dict:
    """The API's DocumentOut as a dict; the health keys (access.HEALTH_FIELDS) are
    left out, not nulled, for a user who may not see them."""
    row = row_for(viewer, document, today)
    out = {
        "id": document.pk,
        "person_id": document.person_id,
        "type": document.type.code,
        "type_name": document.type.display_name,
        "is_health": document.type.is_health,
        "status": document.status,
        "state": row.state,
        "issued_on": document.issued_on,
        "expires_on": document.expires_on,
        "valid_until": row.until,
        "uploaded_at": document.uploaded_at,
        "uploaded_by_id": document.uploaded_by_id,
        "reviewed_at": document.reviewed_at,
        "reviewed_by_id": document.reviewed_by_id,
        "replaces_id": document.replaces_id,
        "changed_at": document.changed_at,
        "version": document.version,
    }
    if row.details:
        out.update(
            {
                "number": row.number,
                "level": document.level,
                "note": document.note,
                "rejection_reason": document.rejection_reason,
                "files": [
                    {
                        "page": f.page,
                        "content_type": f.content_type,
                        "size": f.size,
                        "url": reverse(
                            "api:document_file",
                            kwargs={"document_id": document.pk, "page": f.page},
                        ),
                    }
                    for f in document.files.all()  # prefetched by the caller
                ],
            }
        )
    return out
