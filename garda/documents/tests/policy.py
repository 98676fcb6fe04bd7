"""This app's routes in the policy matrix (garda/tests/policy.py merges them).

{person} is the worker's own record; the officer persona is NOT assigned to it. So
the officer reaches only what the verification queue gives every officer: the
person's pending documents other than identity scans. {document} is a pending KTP,
which stays with the person's officers and civil-registry staff (issue 19): the
officer gets 404 on it. They may not upload for a person they do not accompany (404). Supervisors
and admins reach everything; the worker their own documents (not the review actions);
trainers and partners nothing.
"""

from garda.tests.policy import (
    ADMIN,
    OFFICER,
    SIGNED_IN,
    SUPERVISOR,
    WORKER,
    Rule,
)

STAFF_REVIEW = frozenset({OFFICER, SUPERVISOR, ADMIN})
SEE_DOCUMENT = frozenset({WORKER, OFFICER, SUPERVISOR, ADMIN})
UPLOADERS = frozenset({WORKER, SUPERVISOR, ADMIN})
# {document} is a pending KTP of a person the officer does not accompany (issue 19).
SEE_KTP = frozenset({WORKER, SUPERVISOR, ADMIN})
REVIEW_KTP = frozenset({SUPERVISOR, ADMIN})
UPLOAD = {"type": "bpjs-tk", "number": "12345678901", "files": "{document_png}"}

POLICY: dict = {
    # --- pages ---
    "documents:mine": Rule(frozenset({WORKER})),
    "documents:queue": Rule(STAFF_REVIEW),
    "documents:expiring": Rule(STAFF_REVIEW),
    # A worker asking for a person's page is sent to their own (302).
    "documents:person": Rule(STAFF_REVIEW, kwargs={"pk": "{person}"}),
    "documents:upload": Rule(
        UPLOADERS,
        method="post",
        kwargs={"pk": "{person}"},
        data=UPLOAD,
        multipart=True,
        ok=(302,),
    ),
    "documents:detail": Rule(SEE_KTP, kwargs={"pk": "{document}"}),
    "documents:file": Rule(SEE_KTP, kwargs={"pk": "{document}", "page": "1"}),
    "documents:verify": Rule(REVIEW_KTP, method="post", kwargs={"pk": "{document}"}, ok=(302,)),
    "documents:reject": Rule(
        REVIEW_KTP,
        method="post",
        kwargs={"pk": "{document}"},
        data={"reason": "Foto buram, unggah ulang"},
        ok=(302,),
    ),
    # --- API ---
    "GET /api/v1/document-types": Rule(SIGNED_IN),
    "GET /api/v1/people/{person_id}/documents": Rule(
        SEE_DOCUMENT, kwargs={"person_id": "{person}"}
    ),
    "POST /api/v1/people/{person_id}/documents": Rule(
        UPLOADERS,
        method="post",
        kwargs={"person_id": "{person}"},
        data=UPLOAD,
        multipart=True,
        ok=(201,),
    ),
    "GET /api/v1/documents/queue": Rule(STAFF_REVIEW),
    "GET /api/v1/documents/expiring": Rule(STAFF_REVIEW),
    "GET /api/v1/documents/{document_id}": Rule(SEE_KTP, kwargs={"document_id": "{document}"}),
    "GET /api/v1/documents/{document_id}/files/{page}": Rule(
        SEE_KTP, kwargs={"document_id": "{document}", "page": "1"}
    ),
    "POST /api/v1/documents/{document_id}/verify": Rule(
        REVIEW_KTP, method="post", kwargs={"document_id": "{document}"}
    ),
    "POST /api/v1/documents/{document_id}/reject": Rule(
        REVIEW_KTP,
        method="post",
        kwargs={"document_id": "{document}"},
        data={"reason": "Foto buram, unggah ulang"},
    ),
}


def world(personas, base: dict) -> dict:
    """A pending KTP of {person} (uploaded by the system, with one PNG page), and
    the PNG bytes that uploads send."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from garda.documents.models import DocumentType
    from garda.documents.services import document_upload
    from garda.documents.tests.samples import png_bytes
    from garda.people.models import Person

    png = png_bytes()
    document = document_upload(
        actor=None,
        person=Person.objects.get(pk=base["person"]),
        type=DocumentType.objects.get(code="ktp"),
        files=[SimpleUploadedFile("ktp.png", png)],
        number="KTP-TEST-1",
    )
    return {"document": document.pk, "document_png": png}
