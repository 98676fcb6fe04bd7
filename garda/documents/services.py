"""Every write to documents (docs/style.md): permission, one transaction, audit rows,
notifications after commit. Each write sets Document.changed_at (the readiness cache
of the person is stale after it) and bumps Document.version.

States: an upload is PENDING (or VERIFIED at once, see document_upload); an officer
VERIFIES a pending document or REJECTS a pending or verified one (a verified document
later found false is rejected, with the reason); a new upload of the same type
REPLACES the person's earlier documents of that type, which stay as history.
Changes of state are conditional updates: of two officers deciding at once, the second
gets a clear error instead of overwriting the first.
"""

import re
from collections import defaultdict
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

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.documents import files as upload_files
from garda.documents import storage
from garda.documents.access import may_review, may_upload
from garda.documents.models import Document, DocumentFile, DocumentType
from garda.documents.queries import (
    REMIND_DAYS,
    add_months,
    reminder_candidates,
    reminder_window_start,
    valid_until,
)
from garda.people.models import Assignment, Person

MAX_NUMBER_LENGTH = 80
MAX_SCORE = Decimal(1000)
_NUMBER_CHARACTERS = re.compile(r"^[0-9A-Za-z./():, -]+$")


def _clean_details(
    *,
    type: DocumentType,
    number: str,
    issued_on: date | None,
    expires_on: date | None,
    level: str,
    note: str,
    today: date,
) -> dict:
    """The document's details checked against its type; ValidationError by field."""
    errors: dict[str, list[ValidationError]] = defaultdict(list)
    number = " ".join((number or "").split()).upper()
    level = (level or "").strip()
    note = (note or "").strip()
    if type.has_number and not number:
        errors["number"].append(
            ValidationError(_("Enter the number printed on the document."), code="required")
        )
    if number and (len(number) > MAX_NUMBER_LENGTH or not _NUMBER_CHARACTERS.match(number)):
        errors["number"].append(
            ValidationError(
                _("A document number has letters, digits, spaces and the signs . / - ( ) , :"),
                code="invalid",
            )
        )
    if issued_on and issued_on > today:
        errors["issued_on"].append(
            ValidationError(_("The issue date cannot be in the future."), code="future")
        )
    if type.has_expiry and not expires_on:
        errors["expires_on"].append(
            ValidationError(_("Enter the expiry date printed on the document."), code="required")
        )
    if expires_on and issued_on and expires_on <= issued_on:
        errors["expires_on"].append(
            ValidationError(_("The expiry date must be after the issue date."), code="before_issue")
        )
    elif expires_on and expires_on < today:
        errors["expires_on"].append(
            ValidationError(
                _("This document has already expired: upload the renewed one."), code="expired"
            )
        )
    if type.validity_months:
        if not issued_on:
            errors["issued_on"].append(
                ValidationError(
                    _("Enter the issue date: this result is valid %(n)d months from it.")
                    % {"n": type.validity_months},
                    code="required",
                )
            )
        elif add_months(issued_on, type.validity_months) < today:
            errors["issued_on"].append(
                ValidationError(
                    _(
                        "This result is older than %(n)d months and no longer valid: "
                        "do the test again."
                    )
                    % {"n": type.validity_months},
                    code="expired",
                )
            )
    levels = type.level_list
    if levels:
        normalised = {lv.upper(): lv for lv in levels}
        if level.upper() not in normalised:
            errors["level"].append(
                ValidationError(
                    _("Choose one of the levels: %(levels)s.") % {"levels": ", ".join(levels)},
                    code="invalid_level",
                )
            )
        else:
            level = normalised[level.upper()]
    elif type.is_scored:
        try:
            score = Decimal(level.replace(",", "."))
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite() or score < 0 or score > MAX_SCORE:
            errors["level"].append(
                ValidationError(_("Enter the score as a number."), code="invalid_score")
            )
        else:
            level = format(score.normalize(), "f")
    elif level:
        errors["level"].append(
            ValidationError(_("This document has no level or score."), code="no_level")
        )
    if len(note) > 500:
        errors["note"].append(ValidationError(_("At most 500 characters."), code="max_length"))
    if errors:
        raise ValidationError(dict(errors))
    return {
        "number": number,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "level": level[:20],
        "note": note,
    }


def _verified_at_once(actor: User | None, type: DocumentType) -> bool:
    """A type that needs no officer's check is verified on upload when staff (or the
    system) uploads it; a worker's own upload still waits for an officer."""
    if type.needs_verification:
        return False
    return actor is None or actor.role in (roles.ADMIN, roles.SUPERVISOR, roles.OFFICER)


def document_upload(
    *,
    actor: User | None,
    person: Person,
    type: DocumentType,
    files: list,
    number: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    level: str = "",
    note: str = "",
) -> Document:
    """Upload a document of `person`: its details and its files (one PDF, or one
    image per page in order). The person's earlier documents of this type become
    REPLACED. The worker's assigned officers are notified when the worker uploads.

    `actor` None is the system (demo data, commands). Raises PermissionDenied (audited)
    when the actor may not upload for this person, ValidationError by field otherwise;
    an upload over the size limits has the code files.TOO_LARGE (answered with 413)."""
    if actor is not None and not may_upload(actor, person):
        deny(actor, "documents.document_upload")
    if person.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another one."), code="merged")
    if not type.is_active:
        raise ValidationError({"type": _("This document type is no longer used.")})
    # Both checks run, so that one answer lists every problem (details and files).
    errors: dict[str, list[ValidationError]] = {}
    try:
        details = _clean_details(
            type=type,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            level=level,
            note=note,
            today=timezone.localdate(),
        )
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        pages = upload_files.clean_uploads(files)
    except ValidationError as exc:
        errors["files"] = exc.error_list
    if errors:
        raise ValidationError(errors)

    stored: list[str] = []
    try:
        for page in pages:
            stored.append(storage.save(page.data))
        return _record_upload(
            actor=actor, person=person, type=type, details=details, pages=pages, stored=stored
        )
    except BaseException:
        # The row never committed: its files must not stay behind, unreferenced.
        for name in stored:
            storage.delete(name)
        raise


def _record_upload(*, actor, person, type, details, pages, stored) -> Document:
    now = timezone.now()
    verified = _verified_at_once(actor, type)
    with transaction.atomic():
        earlier = list(
            Document.objects.select_for_update()
            .filter(person=person, type=type)
            .exclude(status=Document.Status.REPLACED)
            .order_by("-uploaded_at", "-id")
        )
        document = Document(
            person=person,
            type=type,
            status=Document.Status.VERIFIED if verified else Document.Status.PENDING,
            uploaded_by=actor,
            uploaded_at=now,
            reviewed_by=actor if verified else None,
            reviewed_at=now if verified else None,
            replaces=earlier[0] if earlier else None,
            changed_at=now,
            **details,
        )
        # uploaded_by is blank for the system (demo data, commands).
        document.full_clean(exclude=["number", "uploaded_by"])
        document.save()
        DocumentFile.objects.bulk_create(
            [
                DocumentFile(
                    document=document,
                    page=index,
                    storage_name=name,
                    content_type=page.content_type,
                    size=len(page.data),
                    sha256=page.sha256,
                    original_name=page.original_name,
                )
                for index, (page, name) in enumerate(zip(pages, stored, strict=True), start=1)
            ]
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=document,
            changed_fields=sorted(
                ["type", "files", "status"] + [k for k, v in details.items() if v]
            ),
            reason="verified on upload" if verified else "",
        )
        if earlier:
            Document.objects.filter(pk__in=[d.pk for d in earlier]).exclude(
                status=Document.Status.REPLACED
            ).update(status=Document.Status.REPLACED, changed_at=now, version=F("version") + 1)
            for old in earlier:
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.UPDATE,
                    target=old,
                    changed_fields=["status"],
                    reason=f"replaced by {document.pk}",
                )
        if actor is not None and person.user_id == actor.pk and not verified:
            with translation.override(settings.LANGUAGE_CODE):
                _tell_officers_of_upload(person, document)
    return document


def _tell_officers_of_upload(person: Person, document: Document) -> None:
    url = reverse("documents:detail", args=[document.pk])
    for officer in person.assigned_officers.filter(is_active=True):
        # In-app only: an officer accompanies many persons; the queue is their inbox.
        notify(
            user=officer,
            title=_("New document to verify: %(type)s (%(person)s)")
            % {"type": document.type.name, "person": person.reference},
            body=_("%(person)s uploaded a document. Check it against the original.")
            % {"person": person.reference},
            url=url,
            email=False,
        )


def _decide(
    *, actor: User, document: Document, to: str, allowed_from: tuple[str, ...], reason: str = ""
) -> Document:
    now = timezone.now()
    with transaction.atomic():
        updated = Document.objects.filter(pk=document.pk, status__in=allowed_from).update(
            status=to,
            rejection_reason=reason,
            reviewed_by=actor,
            reviewed_at=now,
            changed_at=now,
            version=F("version") + 1,
        )
        if not updated:
            current = Document.objects.get(pk=document.pk)
            raise ValidationError(
                _(
                    "This document is already “%(status)s” (changed at %(when)s): reload "
                    "the page to see its state."
                )
                % {
                    "status": current.get_status_display(),
                    "when": date_format(timezone.localtime(current.changed_at), "DATETIME_FORMAT"),
                },
                code="state_changed",
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=document,
            changed_fields=["status", "reviewed_by", "reviewed_at"]
            + (["rejection_reason"] if reason else []),
            reason=to,
        )
        document = Document.objects.select_related(
            "type", "person", "person__user", "uploaded_by"
        ).get(pk=document.pk)
        # In the service's language, not the officer's: the worker reads it.
        with translation.override(settings.LANGUAGE_CODE):
            _tell_worker_of_decision(document)
    return document


def _tell_worker_of_decision(document: Document) -> None:
    person = document.person
    if person.user_id is None:
        return
    name = document.type.name
    if document.status == Document.Status.VERIFIED:
        notify(
            user=person.user,
            title=_("Document verified: %(type)s") % {"type": name},
            body=_("An officer checked your %(type)s and verified it.") % {"type": name},
            url=reverse("documents:mine"),
        )
        return
    url = f"{reverse('documents:mine')}?type={document.type.code}#upload"
    if document.type.is_health:
        # The message may travel by e-mail: a health result's reason stays in Garda.
        body = _(
            "An officer could not accept your %(type)s. Open Garda to read the reason, then "
            "upload it again."
        ) % {"type": name}
    else:
        body = _(
            "An officer could not accept your %(type)s. Reason: %(reason)s\n"
            "Upload it again after fixing this."
        ) % {"type": name, "reason": document.rejection_reason}
    notify(
        user=person.user,
        title=_("Document rejected: %(type)s") % {"type": name},
        body=body,
        url=url,
    )


def document_verify(*, actor: User, document: Document) -> Document:
    """An officer checked a pending document against the original: VERIFIED. Fails
    with a ValidationError (code state_changed) when it is no longer pending."""
    if not may_review(actor, document):
        deny(actor, "documents.document_verify", target=document)
    return _decide(
        actor=actor,
        document=document,
        to=Document.Status.VERIFIED,
        allowed_from=(Document.Status.PENDING,),
    )


def document_reject(*, actor: User, document: Document, reason: str) -> Document:
    """Reject a pending (or an already verified) document with the reason the worker
    reads; the worker is notified with a link to upload it again."""
    if not may_review(actor, document):
        deny(actor, "documents.document_reject", target=document)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Write why the document is rejected: the worker reads it."),
                    code="required",
                )
            }
        )
    if len(reason) > 500:
        raise ValidationError(
            {"reason": ValidationError(_("At most 500 characters."), code="max_length")}
        )
    return _decide(
        actor=actor,
        document=document,
        to=Document.Status.REJECTED,
        allowed_from=(Document.Status.PENDING, Document.Status.VERIFIED),
        reason=reason,
    )


def document_expiry_remind(*, today: date | None = None) -> int:
    """Remind the worker and the assigned officers of documents whose validity ends
    within 30 days, has ended, or has fallen below the type's minimum remaining
    validity (queries.reminder_window_start): once per window, remembered in
    Document.reminded_at. One notification per person and recipient. Returns the
    number of documents reminded."""
    today = today or timezone.localdate()
    now = timezone.now()
    due: dict[int, list[Document]] = defaultdict(list)
    candidates = reminder_candidates(today).select_related("type", "person", "person__user")
    for document in candidates.iterator(chunk_size=500):
        start = reminder_window_start(document, today)
        if start is None:
            continue
        if document.reminded_at and timezone.localdate(document.reminded_at) >= start:
            continue
        due[document.person_id].append(document)
    if not due:
        return 0
    officers: dict[int, list[int]] = defaultdict(list)
    for person_id, officer_id in Assignment.objects.filter(
        person_id__in=due, officer__is_active=True
    ).values_list("person_id", "officer_id"):
        officers[person_id].append(officer_id)
    officer_users = User.objects.in_bulk({o for ids in officers.values() for o in ids})
    reminded = 0
    for person_id, documents in due.items():
        with transaction.atomic():
            claimed = [
                d
                for d in documents
                if Document.objects.filter(pk=d.pk, reminded_at=d.reminded_at).update(
                    reminded_at=now
                )
            ]
            if not claimed:
                continue  # another run reminded them meanwhile
            person = claimed[0].person
            lines = "\n".join(_expiry_line(d, today) for d in claimed)
            names = ", ".join(d.type.name for d in claimed)
            if person.user_id:
                notify(
                    user=person.user,
                    title=_("Documents to renew: %(types)s") % {"types": names},
                    body=lines,
                    url=reverse("documents:mine"),
                )
            for officer_id in officers.get(person_id, ()):
                notify(
                    user=officer_users[officer_id],
                    title=_("Expiring documents of %(person)s") % {"person": person.reference},
                    body=lines,
                    url=reverse("documents:person", args=[person.pk]),
                    email=False,
                )
            reminded += len(claimed)
    audit_record(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        object_type="documents.document",
        changed_fields=["reminded_at"],
        reason=f"expiry reminders: {reminded} documents",
    )
    return reminded


def _expiry_line(document: Document, today: date) -> str:
    until = valid_until(document)
    name = document.type.name
    if until < today:
        return _("%(type)s: no longer valid since %(date)s.") % {
            "type": name,
            "date": date_format(until),
        }
    if document.type.min_remaining_months and (until - today).days > REMIND_DAYS:
        return _(
            "%(type)s: valid until %(date)s, less than the %(months)d months a placement needs."
        ) % {"type": name, "date": date_format(until), "months": document.type.min_remaining_months}
    return _("%(type)s: valid until %(date)s.") % {"type": name, "date": date_format(until)}
