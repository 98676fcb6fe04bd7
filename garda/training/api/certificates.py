"""Certificates in the API: public verification, one certificate, its PDF, revoking,
a person's certificates, and recording one obtained elsewhere.

The same access rules, services and audit rows as the pages (views/certificates.py).

- `GET /certificates/verify/{verification_code}` needs no login and answers exactly
  {"number", "holder_name", "course", "issued_on", "status"} ("valid", "expired" or
  "revoked"), or 404. Only certificates Garda issued are verifiable (see
  views/certificates.py). Throttled per client address with the page
  (training/throttles.py: the shared cache, the address the trusted proxy reports),
  on top of the 192-bit code that makes guessing infeasible anyway; 429 over it. No
  audit row per answer (one when an address first goes over its budget).
- `POST /people/{person_id}/certificates` is one multipart/form-data operation:
  the details (`document_type` code, `number`, `issuer_name`, `issued_on`, `level`,
  `expires_on`) with either `files` (the certificate's file: one PDF or a photo per
  page, uploaded as the officer and verified) or `document_id` (a pending or verified
  document the person uploaded, verified now if pending). One design for both, so a
  form posts to it as is.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import field_validator

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.documents import files as upload_files
from garda.documents.access import visible_documents
from garda.pagination import Pagination
from garda.people.access import REGISTRY_ROLES, get_person_for, read_person_for
from garda.training import access, throttles
from garda.training.models import Certificate
from garda.training.services.certificates import (
    certificate_record_external,
    certificate_revoke,
    external_types,
    public_status,
    verify_url,
)
from garda.training.views.certificates import (
    find_checkable,
    find_verifiable,
    masked_name,
    pdf_response,
    refusal_to_print,
)

router = Router(tags=["training"])


def _throttled(throttle, message: str) -> JsonResponse:
    response = JsonResponse(error_body(message), status=429)
    response["Retry-After"] = str(throttle.retry_after())
    return response


class VerificationOut(Schema):
    number: str
    holder_name: str
    course: str
    issued_on: date
    status: str = Field(description="valid, expired or revoked")


class CertificateUnitOut(Schema):
    code: str
    title: str


class CertificateOut(Schema):
    id: int
    number: str
    person_id: int
    holder_name: str
    source: str = Field(description="course (issued by Garda) or external")
    title: str
    units: list[CertificateUnitOut]
    kkni_level: int | None
    level: str
    issuer_name: str
    lsp_name: str
    lsp_scheme: str
    lsp_certificate_number: str
    issued_on: date
    expires_on: date | None
    course_id: int | None
    provider_id: int | None
    enrolment_id: int | None
    document_type: str | None = Field(description="the requirement it counts as in readiness")
    document_id: int | None
    status: str = Field(description="valid or revoked")
    state: str = Field(description="valid, expired or revoked")
    revoked_reason: str
    revoked_at: datetime | None
    verify_url: str | None = Field(description="public verification (Garda's own only)")


class RevokeIn(Schema):
    reason: str = Field(max_length=500)


class ExternalIn(Schema):
    document_type: str = Field(max_length=40, description="a competency or language type code")
    number: str = Field(max_length=60)
    issuer_name: str = Field(max_length=200)
    issued_on: date
    level: str = Field("", max_length=20)
    expires_on: date | None = None
    document_id: int | None = Field(None, description="instead of files: the person's document")

    @field_validator("document_type", "number", "issuer_name", "level")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        # Multipart fields pass the NUL-byte middleware; PostgreSQL refuses NUL.
        if "\x00" in value:
            raise ValueError(_("A NUL character is not allowed."))
        return value

    @field_validator("expires_on", "document_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if value == "" else value


def certificate_out(certificate: Certificate, today: date | None = None) -> dict:
    issued_here = certificate.source == Certificate.Source.COURSE
    return {
        "id": certificate.pk,
        "number": certificate.number,
        "person_id": certificate.person_id,
        "holder_name": certificate.person.full_name,
        "source": certificate.source,
        "title": certificate.title,
        "units": [
            {"code": str(u.get("code", "")), "title": str(u.get("title", ""))}
            for u in certificate.units or []
        ],
        "kkni_level": certificate.kkni_level,
        "level": certificate.level,
        "issuer_name": certificate.issuer_name,
        "lsp_name": certificate.lsp_name,
        "lsp_scheme": certificate.lsp_scheme,
        "lsp_certificate_number": certificate.lsp_certificate_number,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "course_id": certificate.course_id,
        "provider_id": certificate.provider_id,
        "enrolment_id": certificate.enrolment_id,
        "document_type": certificate.document_type.code if certificate.document_type else None,
        "document_id": certificate.document_id,
        "status": certificate.status,
        "state": public_status(certificate, today),
        "revoked_reason": certificate.revoked_reason,
        "revoked_at": certificate.revoked_at,
        "verify_url": verify_url(certificate) if issued_here else None,
    }


def _load(pk: int) -> Certificate:
    return Certificate.objects.select_related("person", "document_type").get(pk=pk)


# --- public verification --------------------------------------------------------------
# The fixed path before /certificates/{certificate_id}/... (and a str, not an int).


@router.get(
    "/certificates/verify/{verification_code}",
    auth=None,
    response={200: VerificationOut, 404: dict, 429: dict},
    summary="Check a certificate by its verification code (public, no login)",
)
def certificate_verify(request: HttpRequest, verification_code: str):
    """The code is the one in the QR code of the printed certificate (never the
    readable number). Answers only the holder's name, the course, the issue date and
    the status; 404 for an unknown code."""
    if not throttles.allow_public(throttles.CERTIFICATE_VERIFY, request):
        return _throttled(
            throttles.CERTIFICATE_VERIFY,
            _("Too many checks from this address. Wait a minute, then try again."),
        )
    certificate = find_verifiable(verification_code)
    if certificate is None:
        return Status(404, error_body(_("Certificate not found.")))
    return {
        "number": certificate.number,
        "holder_name": certificate.person.full_name,
        "course": certificate.title,
        "issued_on": certificate.issued_on,
        "status": public_status(certificate),
    }


class CheckIn(Schema):
    number: str = Field(max_length=100, description="as printed on the certificate")
    birth_date: date = Field(description="the holder's birth date")


@router.post(
    "/certificates/check",
    auth=None,
    response={200: VerificationOut, 404: dict, 429: dict},
    summary="Check a certificate by its printed number and the holder's birth date (public)",
)
def certificate_check(request: HttpRequest, payload: CheckIn):
    """The page's check (views/certificates.py::check) for other systems: the same
    answer with the holder's name masked, 404 for an unknown number and a wrong birth
    date alike. A POST, so that the birth date stays out of URLs and access logs."""
    if not throttles.allow_public(throttles.CERTIFICATE_CHECK, request):
        return _throttled(
            throttles.CERTIFICATE_CHECK,
            _("Too many checks from this address. Wait an hour, then try again."),
        )
    number = "".join(payload.number.split()).upper()
    certificate = find_checkable(number, payload.birth_date)
    if certificate is None:
        return Status(404, error_body(_("Certificate not found.")))
    return {
        "number": certificate.number,
        "holder_name": masked_name(certificate.person.full_name),
        "course": certificate.title,
        "issued_on": certificate.issued_on,
        "status": public_status(certificate),
    }


# --- one certificate ------------------------------------------------------------------


@router.get("/certificates/{certificate_id}", response=CertificateOut, summary="One certificate")
def certificate_detail(request: HttpRequest, certificate_id: int):
    """The holder, registry roles, and the trainers of the batch it was issued for."""
    certificate = access.read_certificate_for(request.auth, certificate_id)
    return certificate_out(certificate)


@router.get(
    "/certificates/{certificate_id}/pdf",
    response={200: None, 409: dict},
    summary="The printable certificate (PDF with the verification QR code; audited)",
)
def certificate_pdf(request: HttpRequest, certificate_id: int):
    """409 for a revoked certificate (never printed again) and for one obtained
    elsewhere (Garda did not issue it)."""
    certificate = access.get_certificate_for(request.auth, certificate_id)
    refusal = refusal_to_print(certificate)
    if refusal:
        raise HttpError(409, refusal)
    return pdf_response(request.auth, certificate)


@router.post(
    "/certificates/{certificate_id}/revoke",
    response={200: CertificateOut, 409: dict},
    summary="Revoke a certificate with a reason (admins and supervisors)",
)
def certificate_revoke_op(request: HttpRequest, certificate_id: int, payload: RevokeIn):
    """The holder is notified; the public verification then says "revoked" and the
    certificate no longer counts in readiness. 409 when it is already revoked."""
    user = request.auth
    ensure_role(user, *access.CERTIFICATE_REVOKERS, what="api certificate_revoke")
    certificate = access.get_certificate_for(user, certificate_id)
    try:
        certificate = certificate_revoke(actor=user, certificate=certificate, reason=payload.reason)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise HttpError(409, " ".join(exc.messages)) from None
    return certificate_out(_load(certificate.pk))


# --- a person's certificates ----------------------------------------------------------


@router.get(
    "/people/{person_id}/certificates",
    response=list[CertificateOut],
    summary="A person's certificates, newest first",
)
@paginate(Pagination, page_size=25)
def person_certificates(request: HttpRequest, person_id: int):
    """Registry roles for anyone, a worker for their own record."""
    user = request.auth
    ensure_role(user, *REGISTRY_ROLES, roles.WORKER, what="api person_certificates")
    person = read_person_for(user, person_id, reason="certificates")
    today = timezone.localdate()
    qs = (
        access.visible_certificates(user)
        .filter(person=person)
        .select_related("person", "document_type")
        .order_by("-issued_on", "-id")
    )
    return _Shown(qs, today)


class _Shown:
    """A queryset shown through certificate_out, sliced and counted by the paginator."""

    def __init__(self, qs, today: date):
        self.qs, self.today = qs, today

    def __getitem__(self, key):
        return [certificate_out(c, self.today) for c in self.qs[key]]

    def __len__(self) -> int:
        return self.qs.count()


@router.post(
    "/people/{person_id}/certificates",
    response={201: CertificateOut, 413: dict},
    summary="Record a certificate obtained elsewhere (multipart: details, and files or "
    "document_id)",
)
@decorate_view(upload_files.api_upload_guard)
def record_external(
    request: HttpRequest,
    person_id: int,
    payload: Form[ExternalIn],
    files: File[list[UploadedFile]] = None,
):
    """Registry roles. An officer uploads files only for the persons they accompany
    (403 otherwise); `document_id` may name any pending or verified document of the
    person they may see. 422 names each wrong field."""
    user = request.auth
    ensure_role(user, *REGISTRY_ROLES, what="api record_external")
    person = get_person_for(user, person_id)
    document_type = external_types().filter(code=payload.document_type).first()
    document = None
    if payload.document_id is not None:
        document = (
            visible_documents(user)
            .filter(pk=payload.document_id, person=person)
            .select_related("type")
            .first()
        )
        if document is None:
            raise ValidationError(
                {"document_id": ValidationError(_("Unknown document."), code="invalid")}
            )
    try:
        certificate = certificate_record_external(
            actor=user,
            person=person,
            document_type=document_type,
            number=payload.number,
            issuer_name=payload.issuer_name,
            issued_on=payload.issued_on,
            level=payload.level,
            expires_on=payload.expires_on,
            files=list(files or []) or None,
            document=document,
        )
    except ValidationError as exc:
        if upload_files.is_too_large(exc):
            return Status(413, error_body(" ".join(exc.messages)))
        if hasattr(exc, "error_dict") and "document" in exc.error_dict:
            exc.error_dict["document_id"] = exc.error_dict.pop("document")
        raise
    return Status(201, certificate_out(_load(certificate.pk)))
