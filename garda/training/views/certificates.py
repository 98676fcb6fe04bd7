"""Certificate pages: the public verification, the worker's certificates, one
certificate (revoke), its PDF, and a person's certificates for the registry (record
one obtained elsewhere).

Thin views over training/access.py and services/certificates.py, like api/certificates.py: the
same roles, 404 for missing and forbidden alike (with a denied-access audit row), a
VIEW audit row per page with personal data, an EXPORT row per PDF.

Public verification shows only certificates Garda issued (source "course"). A
certificate obtained elsewhere was checked by an officer against a paper Garda did
not issue: vouching for it publicly would claim an authority Garda does not have
(the issuer, e.g. BNSP or the JLPT, runs its own verification), so its code answers
"not found" like an unknown one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.documents import files as upload_files
from garda.people.access import REGISTRY_ROLES, get_person_for, read_own_person, read_person_for
from garda.people.models import Person
from garda.training import access, throttles
from garda.training.certificate_pdf import certificate_filename, certificate_pdf
from garda.training.forms.certificates import (
    CertificateCheckForm,
    ExternalCertificateForm,
    RevokeForm,
)
from garda.training.models import Certificate
from garda.training.services.certificates import (
    certificate_record_external,
    certificate_revoke,
    public_status,
    verify_url,
)
from garda.viewutils import add_service_errors

MAX_CODE_LENGTH = 64
MAX_NUMBER_LENGTH = 60  # Certificate.number
LIST_LIMIT = 200


def _rows(certificates, today) -> list[dict]:
    """Each certificate with what the lists show: its state, and for the ones Garda
    issued the public verification URL (and a PDF while valid)."""
    rows = []
    for certificate in certificates:
        issued_here = certificate.source == Certificate.Source.COURSE
        state = public_status(certificate, today)
        rows.append(
            {
                "certificate": certificate,
                "state": state,
                "verify_url": verify_url(certificate) if issued_here else "",
                "printable": issued_here and certificate.status == Certificate.Status.VALID,
            }
        )
    return rows


def _list(qs):
    return qs.select_related("person", "document_type").order_by("-issued_on", "-id")[:LIST_LIMIT]


# --- public verification --------------------------------------------------------------


def find_verifiable(code: str) -> Certificate | None:
    """The certificate Garda issued with this verification code, or None (unknown, or
    obtained elsewhere: see the module docstring)."""
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return (
        Certificate.objects.filter(verification_code=code, source=Certificate.Source.COURSE)
        .select_related("person")
        .first()
    )


def _public_headers(response: HttpResponse) -> HttpResponse:
    # The URL is the secret: keep it out of search engines and other sites' logs.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone (an employer abroad) checks a certificate by its code: the holder's
    name, what it certifies, the issue date and whether it is valid. Nothing else.
    Throttled per client address with the API (GARDA_CERTIFICATE_VERIFY_RATE, in the
    shared cache); no audit row per answer (training/throttles.py)."""
    if not throttles.allow_public(throttles.CERTIFICATE_VERIFY, request):
        response = render(
            request, "training/certificates_verify.html", {"throttled": True}, status=429
        )
        return _public_headers(response)
    certificate = find_verifiable(code)
    if certificate is None:
        response = render(
            request, "training/certificates_verify.html", {"found": False}, status=404
        )
        return _public_headers(response)
    context = {
        "found": True,
        "holder_name": certificate.person.full_name,
        "title": certificate.title,
        "issued_on": certificate.issued_on,
        "state": public_status(certificate),
    }
    return _public_headers(render(request, "training/certificates_verify.html", context))


# --- public check by number and birth date --------------------------------------------
# The readable number follows a sequence, so the holder's birth date must match too;
# a wrong number and a wrong birth date get the same answer (docs/security.md, test
# 24: no oracle). Its own budget per address, page and API alike, lower than the QR
# verification's: a birth date has far fewer values than a 192-bit code
# (GARDA_CERTIFICATE_CHECK_RATE, training/throttles.py).


def masked_name(full_name: str) -> str:
    """ "Wati Lestari" -> "W*** L***": enough to see that the certificate is the
    applicant's, too little to learn a name from a number; every word masks to the
    same length, so the mask does not tell the name's length either."""
    return " ".join(f"{word[0]}***" for word in full_name.split())


def find_checkable(number: str, birth_date) -> Certificate | None:
    """The certificate Garda issued with this readable `number` (normalised as
    forms.CertificateCheckForm does), if its holder was born on `birth_date`; None for
    an unknown number and a wrong birth date alike (one query either way). Only
    certificates Garda issued, as find_verifiable."""
    if not number or len(number) > MAX_NUMBER_LENGTH:
        return None
    certificate = (
        Certificate.objects.filter(number=number, source=Certificate.Source.COURSE)
        .select_related("person")
        .first()
    )
    if certificate is None or certificate.person.birth_date != birth_date:
        return None
    return certificate


@require_GET
def check(request: HttpRequest) -> HttpResponse:
    """Anyone types a certificate's number and its holder's birth date: the holder's
    name masked, what it certifies, the issue date and its state. A GET form that
    works without JavaScript; only a filled-in form counts against the budget."""
    form = CertificateCheckForm(request.GET or None)
    context: dict = {"form": form, "checked": False}
    status = 200
    if form.is_bound:
        if not throttles.allow_public(throttles.CERTIFICATE_CHECK, request):
            context = {"form": CertificateCheckForm(), "throttled": True}
            return _public_headers(
                render(request, "training/certificates_check.html", context, status=429)
            )
        if not form.is_valid():
            status = 400
        else:
            context["checked"] = True
            certificate = find_checkable(
                form.cleaned_data["number"], form.cleaned_data["birth_date"]
            )
            if certificate is None:
                status = 404
            else:
                context["result"] = {
                    "number": certificate.number,
                    "holder_name": masked_name(certificate.person.full_name),
                    "title": certificate.title,
                    "issued_on": certificate.issued_on,
                }
                context["state"] = public_status(certificate)
    response = render(request, "training/certificates_check.html", context, status=status)
    return _public_headers(response)


# --- the worker's certificates --------------------------------------------------------


@role_required(roles.WORKER)
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    # The read audited as the API's `GET /people/{id}/certificates`.
    person = read_own_person(request.user, reason="certificates")
    context: dict = {"person": person, "rows": []}
    if person is not None:
        certificates = _list(access.visible_certificates(request.user).filter(person=person))
        context["rows"] = _rows(certificates, timezone.localdate())
    return render(request, "training/certificates_mine.html", context)


# --- one certificate ------------------------------------------------------------------


def _detail(request: HttpRequest, certificate: Certificate, *, form=None, status=200):
    may_revoke = (
        access.may_revoke(request.user, certificate)
        and certificate.status == Certificate.Status.VALID
    )
    context = {
        "certificate": certificate,
        "row": _rows([certificate], timezone.localdate())[0],
        "revoke_form": (form or RevokeForm()) if may_revoke else None,
        "is_registry": request.user.role in REGISTRY_ROLES,
    }
    return render(request, "training/certificates_detail.html", context, status=status)


@role_required(*roles.ALL)
@require_GET
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.read_certificate_for(request.user, pk)
    return _detail(request, certificate)


def refusal_to_print(certificate: Certificate) -> str:
    """Why the PDF of `certificate` is refused (409), or "" when it may be printed."""
    if certificate.status == Certificate.Status.REVOKED:
        return _("This certificate was revoked: it can no longer be printed.")
    if certificate.source != Certificate.Source.COURSE:
        return _(
            "Garda prints only the certificates it issued; this one was obtained elsewhere "
            "and its original is with the holder."
        )
    return ""


def pdf_response(user, certificate: Certificate) -> HttpResponse:
    """The certificate's PDF as a download, audited as an export. The caller checked
    refusal_to_print first."""
    content = certificate_pdf(certificate, verify_url(certificate))
    audit_record(
        actor=user, action=AuditEvent.Action.EXPORT, target=certificate, reason="certificate pdf"
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(certificate)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*roles.ALL)
@require_GET
def certificate_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for(request.user, pk)
    refusal = refusal_to_print(certificate)
    if refusal:
        return render(request, "error.html", {"status": 409, "detail": refusal}, status=409)
    return pdf_response(request.user, certificate)


@role_required(*access.CERTIFICATE_REVOKERS)
@require_POST
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for(request.user, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _detail(request, certificate, form=form, status=400)
    try:
        certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        status = 409 if getattr(exc, "code", "") == "state_changed" else 400
        certificate.refresh_from_db()
        return _detail(request, certificate, form=form, status=status)
    messages.success(request, _("Certificate revoked. The holder was notified."))
    return redirect("training:certificate", pk=certificate.pk)


# --- a person's certificates (registry) ------------------------------------------------


def _person_page(request: HttpRequest, person: Person, *, form=None, status=200):
    certificates = _list(access.visible_certificates(request.user).filter(person=person))
    context = {
        "person": person,
        "rows": _rows(certificates, timezone.localdate()),
        "form": form or ExternalCertificateForm(user=request.user, person=person),
    }
    return render(request, "training/certificates_person.html", context, status=status)


@role_required(*REGISTRY_ROLES)
@require_GET
def person_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    person = read_person_for(request.user, pk, reason="certificates")
    return _person_page(request, person)


@role_required(*REGISTRY_ROLES)
@csrf_exempt  # the upload handler is set before the body is read; see _record_external
@require_POST
def record_external(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a certificate obtained elsewhere (multipart: the details and the file,
    or a document the person uploaded). An oversized body is refused with 413 before
    it is read."""
    return upload_files.page_upload_refusal(request) or _record_external(request, pk)


@csrf_protect
def _record_external(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_person_for(user, pk)
    form = ExternalCertificateForm(request.POST, request.FILES, user=user, person=person)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            certificate_record_external(
                actor=user,
                person=person,
                document_type=data["document_type"],
                number=data["number"],
                issuer_name=data["issuer_name"],
                issued_on=data["issued_on"],
                level=data["level"],
                expires_on=data["expires_on"],
                files=data["files"] or None,
                document=data["document"],
            )
        except PermissionDenied:
            # An officer uploads only for the persons they accompany (documents).
            form.add_error(
                "files",
                _(
                    "You may upload files only for the persons you accompany: choose a "
                    "document the person uploaded, or ask their officer."
                ),
            )
            status = 403
        except ValidationError as exc:
            if upload_files.is_too_large(exc):
                status = 413
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Certificate recorded and verified."))
            return redirect("training:person_certificates", pk=person.pk)
    return _person_page(request, person, form=form, status=status)
