"""Certificates (issue 5): issued on completing a course, revoked with a reason, or
obtained elsewhere and recorded by an officer; and the bridge to readiness.

- `certificate_issue`: a completed enrolment gets one certificate (idempotent), with a
  readable number GRD/<provider>/<year>/<serial> taken from CertificateSerial under a
  row lock (gap-free: the serial rolls back with the certificate) and a snapshot of
  what it certifies (title, units, level, issuer, LSP). When the course `certifies` a
  document type, a VERIFIED Document of that type is written for the holder (the
  readiness engine reads documents, not certificates) and linked.
- `certificate_revoke`: admins and supervisors; the bridge document becomes REJECTED
  ("Sertifikat dicabut: <reason>"), so readiness stops counting it.
- `certificate_record_external`: an officer records a certificate obtained elsewhere
  (BNSP competency certificate, EPS-TOPIK, JLPT...), either with its file (uploaded
  and verified through documents.services) or from a document the person already
  has (verified if still pending).

Every write: one transaction, audit rows in it, the holder notified (e-mail after
commit, accounts.notify) in the service's language.

Known limit: readiness counts the latest non-replaced document of a type. A person
holding two certificates of the same type (two welding courses) whose newer one is
revoked is shown as "rejected" although the older one still holds; an officer
re-verifying the older document's type (a new upload) resolves it.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.documents import storage
from garda.documents.access import may_upload
from garda.documents.models import Category, Document, DocumentFile, DocumentType
from garda.documents.queries import add_months
from garda.documents.services import document_upload, document_verify
from garda.links import absolute_url
from garda.people.models import Person
from garda.training import access
from garda.training.models import (
    Batch,
    Certificate,
    CertificateSerial,
    CourseUnit,
    Enrolment,
    Provider,
)

EXTERNAL_CATEGORIES = (Category.COMPETENCY, Category.LANGUAGE)
MAX_REASON = 500
MAX_SCORE = Decimal(1000)


# --- numbers ----------------------------------------------------------------------------


def number_prefix(provider: Provider) -> str:
    """The provider's part of a number: its agency's short name, upper case, spaces as
    dashes ("PPKD JT" -> "PPKD-JT")."""
    short = "-".join((provider.agency.short_name or "").upper().split())
    return short or f"P{provider.pk}"


def _next_number(provider: Provider, year: int) -> str:
    """The next number of `provider` in `year`, under the serial's row lock (call inside
    the issuing transaction: a rollback gives the serial back)."""
    CertificateSerial.objects.get_or_create(provider=provider, year=year)
    serial = CertificateSerial.objects.select_for_update().get(provider=provider, year=year)
    serial.last += 1
    serial.save(update_fields=["last"])
    return f"GRD/{number_prefix(provider)}/{year}/{serial.last:05d}"


def verify_url(certificate: Certificate) -> str:
    """The absolute public verification URL (in the QR code), on the public address
    (garda/links.py: GARDA_BASE_URL; in development only, the request's address)."""
    path = reverse("training:verify", args=[certificate.verification_code])
    return absolute_url(path)


PUBLIC_STATUSES = ("valid", "expired", "revoked")


def public_status(certificate: Certificate, today: date | None = None) -> str:
    """What the public verification says: "revoked", "expired" (valid but past its
    expiry date) or "valid"."""
    if certificate.status == Certificate.Status.REVOKED:
        return "revoked"
    today = today or timezone.localdate()
    if certificate.expires_on is not None and certificate.expires_on < today:
        return "expired"
    return "valid"


# --- issuing ----------------------------------------------------------------------------


def certificate_issue(*, actor: User | None, enrolment: Enrolment) -> Certificate:
    """The certificate of a completed `enrolment`; the existing one when it has one
    already (idempotent: closing a batch twice issues nothing new). `actor` None is
    the system. Raises ValidationError (code not_completed) for any other status."""
    with transaction.atomic():
        # The enrolment's row lock serialises two issuers of the same certificate.
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        existing = Certificate.objects.filter(enrolment_id=locked.pk).first()
        if existing is not None:
            return existing
        if locked.status != Enrolment.Status.COMPLETED:
            raise ValidationError(
                _("Only a completed enrolment gets a certificate (this one is “%(status)s”).")
                % {"status": locked.get_status_display()},
                code="not_completed",
            )
        batch = Batch.objects.select_related("course__certifies", "provider__agency").get(
            pk=locked.batch_id
        )
        course, provider = batch.course, batch.provider
        person = Person.objects.select_related("user").get(pk=locked.person_id)
        today = timezone.localdate()
        now = timezone.now()
        expires_on = (
            add_months(today, course.certificate_validity_months)
            if course.certificate_validity_months
            else None
        )
        number = _next_number(provider, today.year)
        units = [
            {"code": cu.unit.code, "title": cu.unit.title}
            for cu in CourseUnit.objects.filter(course=course)
            .select_related("unit")
            .order_by("order", "id")
        ]
        document = None
        if course.certifies is not None:
            document = Document.objects.create(
                person=person,
                type=course.certifies,
                status=Document.Status.VERIFIED,
                number=number,
                issued_on=today,
                expires_on=expires_on,
                note=f"Sertifikat Garda {number}",
                uploaded_by=actor,
                uploaded_at=now,
                reviewed_by=actor,
                reviewed_at=now,
                changed_at=now,
            )
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=document,
                changed_fields=["type", "status", "number", "issued_on", "expires_on"],
                reason="course certificate",
            )
        certificate = Certificate(
            number=number,
            person=person,
            source=Certificate.Source.COURSE,
            enrolment=locked,
            course=course,
            provider=provider,
            title=course.title,
            units=units,
            kkni_level=course.kkni_level,
            issuer_name=provider.name,
            lsp_name=course.lsp_name,
            lsp_scheme=course.lsp_scheme,
            issued_on=today,
            expires_on=expires_on,
            document_type=course.certifies,
            document=document,
            issued_by=actor,
        )
        certificate.full_clean(exclude=["issued_by", "verification_code"])
        certificate.save()
        changed = ["number", "person", "course", "provider", "title", "units", "issued_on"]
        if document is not None:
            changed.append("document")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=certificate,
            changed_fields=changed,
            reason=f"enrolment {locked.pk}",
        )
        if person.user_id:
            with translation.override(settings.LANGUAGE_CODE):
                notify(
                    user=person.user,
                    title=_("Your certificate: %(title)s") % {"title": certificate.title},
                    body=_(
                        "You completed the course. Certificate %(number)s is ready: download "
                        "it and share its verification link with employers."
                    )
                    % {"number": number},
                    url=reverse("training:my_certificates"),
                )
    return certificate


# --- revoking ---------------------------------------------------------------------------


def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a valid certificate (admins, and supervisors of the centre's own agency:
    access.may_revoke) with the reason the holder
    reads. Its bridge document becomes REJECTED, so readiness no longer counts it.
    ValidationError: no reason, or already revoked (code state_changed)."""
    if not access.may_revoke(actor, certificate):
        deny(actor, "training.certificate_revoke", target=certificate)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Write why the certificate is revoked: the holder reads it."),
                    code="required",
                )
            }
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": ValidationError(_("At most 500 characters."), code="max_length")}
        )
    now = timezone.now()
    with transaction.atomic():
        updated = Certificate.objects.filter(
            pk=certificate.pk, status=Certificate.Status.VALID
        ).update(
            status=Certificate.Status.REVOKED,
            revoked_reason=reason,
            revoked_at=now,
            revoked_by=actor,
        )
        if not updated:
            raise ValidationError(_("This certificate is already revoked."), code="state_changed")
        certificate = Certificate.objects.select_related("person__user").get(pk=certificate.pk)
        if certificate.document_id:
            rejection = f"Sertifikat dicabut: {reason}"[:MAX_REASON]
            Document.objects.filter(pk=certificate.document_id).exclude(
                status=Document.Status.REPLACED
            ).update(
                status=Document.Status.REJECTED,
                rejection_reason=rejection,
                reviewed_by=actor,
                reviewed_at=now,
                changed_at=now,
                version=F("version") + 1,
            )
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                object_type="documents.document",
                object_id=str(certificate.document_id),
                changed_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"],
                reason=f"certificate {certificate.pk} revoked",
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=certificate,
            changed_fields=["status", "revoked_reason", "revoked_at", "revoked_by"],
            reason="revoked",
        )
        holder = certificate.person.user
        if holder is not None:
            with translation.override(settings.LANGUAGE_CODE):
                notify(
                    user=holder,
                    title=_("Your certificate was revoked: %(title)s")
                    % {"title": certificate.title},
                    body=_("Certificate %(number)s.") % {"number": certificate.number}
                    + " "
                    + _("Your certificate %(title)s was revoked. Reason: %(reason)s")
                    % {"title": certificate.title, "reason": reason},
                    url=reverse("training:my_certificates"),
                )
    return certificate


# --- certificates obtained elsewhere -------------------------------------------------------


def external_types():
    """The document types a certificate obtained elsewhere may be recorded as."""
    return DocumentType.objects.filter(is_active=True, category__in=EXTERNAL_CATEGORIES)


def _clean_level(document_type: DocumentType, level: str) -> str:
    """The level normalised to the type's spelling, or a ValidationError naming the
    levels the type knows."""
    level = (level or "").strip()
    levels = document_type.level_list
    if levels:
        normalised = {lv.upper(): lv for lv in levels}
        if level.upper() not in normalised:
            raise ValidationError(
                _("%(type)s results are one of the levels %(levels)s.")
                % {"type": document_type.display_name, "levels": ", ".join(levels)},
                code="invalid_level",
            )
        return normalised[level.upper()]
    if document_type.is_scored:
        try:
            score = Decimal(level.replace(",", "."))
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite() or score < 0 or score > MAX_SCORE:
            raise ValidationError(
                _("%(type)s results are a score: enter it as a number.")
                % {"type": document_type.display_name},
                code="invalid_score",
            )
        return format(score.normalize(), "f")
    if level:
        raise ValidationError(
            _("%(type)s has no level or score: leave it empty.")
            % {"type": document_type.display_name},
            code="no_level",
        )
    return ""


def _clean_external(
    *,
    document_type: DocumentType | None,
    number: str,
    issuer_name: str,
    issued_on: date | None,
    level: str,
    expires_on: date | None,
    files,
    document: Document | None,
    person: Person,
) -> dict:
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    today = timezone.localdate()
    number = " ".join((number or "").split()).upper()
    issuer_name = " ".join((issuer_name or "").split())
    if document_type is None or document_type.category not in EXTERNAL_CATEGORIES:
        add(
            "document_type",
            _("Choose a competency certificate or a language test result."),
            "invalid",
        )
    elif not document_type.is_active:
        add("document_type", _("This document type is no longer used."), "inactive")
    else:
        try:
            level = _clean_level(document_type, level)
        except ValidationError as exc:
            errors["level"] = exc.error_list
    if not number:
        add("number", _("Enter the certificate number printed on it."), "required")
    elif len(number) > 60:
        add("number", _("At most 60 characters."), "max_length")
    if not issuer_name:
        add(
            "issuer_name", _("Enter who issued the certificate (e.g. LSP, BNSP, JLPT)."), "required"
        )
    elif len(issuer_name) > 200:
        add("issuer_name", _("At most 200 characters."), "max_length")
    if issued_on is None:
        add("issued_on", _("Enter the issue date printed on the certificate."), "required")
    elif issued_on > today:
        add("issued_on", _("The issue date cannot be in the future."), "future")
    if expires_on is not None and issued_on is not None and expires_on <= issued_on:
        add("expires_on", _("The expiry date must be after the issue date."), "before_issue")
    elif expires_on is not None and expires_on < today:
        add("expires_on", _("This certificate has already expired."), "expired")
    if bool(files) == (document is not None):
        add(
            "files" if not files else "document",
            _("Upload the certificate's file, or choose a document of the person, not both.")
            if files
            else _("Upload the certificate's file, or choose a document the person uploaded."),
            "file_or_document",
        )
    if document is not None and "document_type" not in errors:
        if (
            document.person_id != person.pk
            or document.type_id != document_type.pk
            or document.status not in (Document.Status.PENDING, Document.Status.VERIFIED)
        ):
            add(
                "document",
                _("Choose a pending or verified %(type)s of this person.")
                % {"type": document_type.display_name},
                "wrong_document",
            )
        else:
            # The certificate and the document readiness reads must say the same.
            if document.level and "level" not in errors and document.level != level:
                add(
                    "level",
                    _("The document says %(level)s: correct one of them first.")
                    % {"level": document.level},
                    "mismatch",
                )
            for field, value in (("issued_on", issued_on), ("expires_on", expires_on)):
                held = getattr(document, field)
                if held and value and held != value and field not in errors:
                    add(
                        field,
                        _("The document says %(date)s: correct one of them first.")
                        % {"date": date_format(held)},
                        "mismatch",
                    )
    if errors:
        raise ValidationError(errors)
    return {
        "number": number,
        "issuer_name": issuer_name,
        "level": level,
        "issued_on": issued_on,
        "expires_on": expires_on if document is None else (expires_on or document.expires_on),
    }


def certificate_record_external(
    *,
    actor: User,
    person: Person,
    document_type: DocumentType | None,
    number: str,
    issuer_name: str,
    issued_on: date | None,
    level: str = "",
    expires_on: date | None = None,
    files=None,
    document: Document | None = None,
) -> Certificate:
    """Record a certificate obtained elsewhere, checked by an officer against the
    original: with its `files` (uploaded as the officer through
    documents.services.document_upload, then verified) or an existing pending or
    verified `document` of the person and type (verified now if pending).

    Registry roles only (PermissionDenied, audited); an officer uploads only for the
    persons they accompany (document_upload's rule). ValidationError by field
    (document_type, number, issuer_name, issued_on, level, expires_on, files,
    document); nothing is written then, and no uploaded file stays behind."""
    if not access.may_record_external(actor):
        deny(actor, "training.certificate_record_external", target=person)
    if files and not may_upload(actor, person):
        # Checked here, not only in document_upload: its denied row would roll back
        # with our transaction.
        deny(actor, "documents.document_upload", target=person)
    details = _clean_external(
        document_type=document_type,
        number=number,
        issuer_name=issuer_name,
        issued_on=issued_on,
        level=level,
        expires_on=expires_on,
        files=files,
        document=document,
        person=person,
    )
    stored: list[str] = []
    try:
        with transaction.atomic():
            if files:
                try:
                    document = document_upload(
                        actor=actor,
                        person=person,
                        type=document_type,
                        files=list(files),
                        number=details["number"],
                        issued_on=details["issued_on"],
                        expires_on=details["expires_on"],
                        level=details["level"],
                        note=_("Certificate from %(issuer)s") % {"issuer": details["issuer_name"]},
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict") and "type" in exc.error_dict:
                        exc.error_dict["document_type"] = exc.error_dict.pop("type")
                    raise
                stored = list(
                    DocumentFile.objects.filter(document=document).values_list(
                        "storage_name", flat=True
                    )
                )
            else:
                document = Document.objects.select_for_update().get(pk=document.pk)
                if document.status not in (Document.Status.PENDING, Document.Status.VERIFIED):
                    raise ValidationError(
                        {
                            "document": ValidationError(
                                _("This document was changed meanwhile: reload the page."),
                                code="state_changed",
                            )
                        }
                    )
            if Certificate.objects.filter(document=document).exists():
                raise ValidationError(
                    {
                        "document": ValidationError(
                            _("This document is already recorded as a certificate."),
                            code="duplicate",
                        )
                    }
                )
            if document.status == Document.Status.PENDING:
                document = document_verify(actor=actor, document=document)
            title = document_type.name + (f" {details['level']}" if details["level"] else "")
            certificate = Certificate(
                number=details["number"],
                person=person,
                source=Certificate.Source.EXTERNAL,
                title=title[:200],
                issuer_name=details["issuer_name"],
                level=details["level"],
                issued_on=details["issued_on"],
                expires_on=details["expires_on"],
                document_type=document_type,
                document=document,
                issued_by=actor,
            )
            certificate.full_clean(exclude=["verification_code"])
            certificate.save()
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=certificate,
                changed_fields=[
                    "number",
                    "person",
                    "document_type",
                    "document",
                    "issuer_name",
                    "issued_on",
                    "level",
                ],
                reason=f"external, document {document.pk}",
            )
    except BaseException:
        # The upload's rows rolled back with ours: its files must not stay behind.
        for name in stored:
            storage.delete(name)
        raise
    return certificate
