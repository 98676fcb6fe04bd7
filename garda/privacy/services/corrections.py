"""Correction requests (UU 27/2022 art. 6: the right to have one's data corrected):
asked by the worker, decided by an officer who accompanies them or a supervisor; an
accepted correction of a named field is applied through the registry's own service
(people.services.registry.person_update), so its rules hold (one NIK per person,
identity numbers only for those who may reveal them, optimistic locking).

Every step is one transaction with its audit row and its CorrectionEvent, and tells
the other side (a notification): nothing is half-written when a step is refused.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.documents.models import Document
from garda.people.forms import PersonForm
from garda.people.models import Person
from garda.people.services.registry import (
    IDENTITY_NUMBERS,
    DuplicateNik,
    PersonData,
    VersionConflict,
    person_form_values,
    person_update,
)
from garda.privacy.access import may_decide
from garda.privacy.models import CorrectionEvent, CorrectionRequest

# The fields of the record a worker may name, in the order of the profile page. The
# place of residence is picked from the region list, which a request cannot carry:
# it is asked for in words (OTHER).
FIELDS = (
    "full_name",
    "other_names",
    "sex",
    "birth_date",
    "birth_place",
    "marital_status",
    "address_line",
    "phone",
    "email",
    "education_level",
    "education_field",
    "nik",
    "kk_number",
    "passport_number",
)
OTHER = CorrectionRequest.OTHER
OTHER_LABEL = gettext_lazy("Something else (describe it)")
# Open requests one person may have at once: enough for every real need, not a flood
# in the officers' queue.
MAX_PENDING = 5
MAX_TEXT = 2000


def field_label(name: str) -> str:
    if name == OTHER:
        return str(OTHER_LABEL)
    field = PersonForm.base_fields.get(name)
    return str(field.label) if field is not None else name


def field_choices() -> list[tuple[str, str]]:
    return [(name, field_label(name)) for name in FIELDS] + [(OTHER, str(OTHER_LABEL))]


def value_text(name: str, value: str) -> str:
    """A stored value in words (a choice's label; the rest as stored)."""
    field = PersonForm.base_fields.get(name)
    choices = dict(getattr(field, "choices", ()) or ())
    if value and value in choices:
        return str(choices[value])
    return value or ""


def current_value(person: Person, name: str) -> str:
    """The record's value of field `name` as a request stores values."""
    if name == OTHER:
        return ""
    value = person_form_values(person).get(name)
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _choice_code(name: str, raw: str) -> str:
    """A choice field accepts its code or its label, in any case ("perempuan")."""
    field = PersonForm.base_fields[name]
    choices = getattr(field, "choices", None)
    if not choices:
        return raw
    wanted = raw.strip().casefold()
    for code, label in choices:
        if wanted in (str(code).casefold(), str(label).casefold()):
            return str(code)
    return raw


def _form_for(person: Person, name: str, raw: str, *, mismatch_reason: str = "") -> PersonForm:
    values = person_form_values(person)
    data = {k: ("" if v is None else v) for k, v in values.items()}
    data[name] = _choice_code(name, raw)
    if mismatch_reason:
        data["nik_mismatch_reason"] = mismatch_reason
    form = PersonForm(data=data)
    form.is_valid()
    return form


def clean_value(person: Person, name: str, raw: str) -> str:
    """The value asked for, checked by the person form's own rules for that field;
    a ValidationError on "requested_value" in the user's language otherwise."""
    raw = (raw or "").strip()
    if not raw and PersonForm.base_fields[name].required:
        raise ValidationError({"requested_value": _("Write the correct value.")}, code="required")
    form = _form_for(person, name, raw)
    # A birth date or sex the NIK contradicts may still be right (the NIK was issued
    # with a mistake): the officer decides, and records why (correction_accept).
    errors = [
        e
        for e in form.errors.as_data().get(name, [])
        if e.code not in ("birth_date_mismatch", "sex_mismatch")
    ]
    if errors:
        raise ValidationError({"requested_value": errors})
    value = form.cleaned_data.get(name)
    if value is None and name in form.errors:
        # Only the NIK's contradiction was left (above), which takes the field out of
        # cleaned_data: its own clean gives the value.
        value = form.fields[name].clean(form.data[name])
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def correction_request(
    *,
    actor: User,
    person: Person,
    field: str,
    requested_value: str = "",
    description: str = "",
    reason: str,
    evidence: Document | None = None,
) -> CorrectionRequest:
    """The worker asks for a correction of their own record. Checked before anything
    is written: a known field with a valid value (or, for OTHER, a description), a
    reason, evidence that is one of their own documents, fewer than MAX_PENDING
    open requests. Locked fields (identity verified) may be asked for: the officer
    decides. The officers who accompany the person (else the supervisors) are told."""
    if actor.role != roles.WORKER or person.user_id != actor.pk:
        deny(actor, "privacy.correction_request", target=person)
    errors: dict = {}
    reason = (reason or "").strip()
    description = (description or "").strip()
    value = ""
    if field not in FIELDS and field != OTHER:
        errors["field"] = _("Choose what to correct.")
    elif field == OTHER:
        if not description:
            errors["description"] = _("Describe what is wrong.")
    else:
        try:
            value = clean_value(person, field, requested_value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if value == current_value(person, field):
                errors["requested_value"] = _("This is already the value in your record.")
    if not reason:
        errors["reason"] = _("Say why it should be corrected.")
    elif len(reason) > MAX_TEXT:
        errors["reason"] = _("At most 2000 characters.")
    if len(description) > MAX_TEXT:
        errors["description"] = _("At most 2000 characters.")
    if evidence is not None and evidence.person_id != person.pk:
        errors["evidence"] = _("Choose one of your own documents.")
    pending = CorrectionRequest.objects.filter(
        person=person, status=CorrectionRequest.Status.PENDING
    ).count()
    for name, text in (
        ("requested_value", requested_value or ""),
        ("description", description),
        ("reason", reason),
    ):
        if "\x00" in text:
            errors[name] = _("Null characters are not allowed.")
    if pending >= MAX_PENDING:
        errors["__all__"] = _(
            "You already have %(n)d requests waiting for an officer. Wait for their "
            "answer before asking again."
        ) % {"n": pending}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = CorrectionRequest(
            person=person,
            field=field,
            requested_value=value,
            description=description,
            reason=reason,
            evidence=evidence,
            requested_by=actor,
        )
        request.full_clean(exclude=["requested_value", "previous_value"])
        request.save()
        CorrectionEvent.objects.create(
            request=request, kind=CorrectionEvent.Kind.ASKED, actor=actor, fields=[field]
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=request,
            changed_fields=["field", "requested_value", "description", "reason", "evidence"],
        )
        _tell_officers(person, request)
    return request


def _tell_officers(person: Person, request: CorrectionRequest) -> None:
    officers = list(
        User.objects.filter(assignments__person=person, is_active=True).distinct()
    ) or list(User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True))
    for officer in officers:
        notify(
            user=officer,
            title=_("A correction request from %(reference)s") % {"reference": person.reference},
            body=_("The person asks to correct: %(field)s. Review it and decide.")
            % {"field": field_label(request.field)},
            url=reverse("privacy:correction", args=[request.pk]),
            email=False,
        )


def _locked(actor: User, request: CorrectionRequest) -> CorrectionRequest:
    """The request, locked for the decision; refused unless `actor` may decide it and
    it is still waiting."""
    if not may_decide(actor, request):
        deny(actor, "privacy.correction_decide", target=request)
    locked = (
        CorrectionRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    )
    if not locked.is_pending:
        raise ValidationError(_("This request was already decided."), code="already_decided")
    return locked


def _only_mismatch(form: PersonForm) -> bool:
    """The form's only complaints are a birth date or sex that the NIK contradicts."""
    codes = [e.code for errors in form.errors.as_data().values() for e in errors]
    return bool(codes) and all(c in ("birth_date_mismatch", "sex_mismatch") for c in codes)


def correction_accept(
    *, actor: User, request: CorrectionRequest, note: str = ""
) -> CorrectionRequest:
    """Accept: a named field is changed through person_update (its rules and its own
    audit row); for OTHER, `note` says what the officer did. Raises ValidationError
    (nothing written) when the change cannot be applied as asked."""
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError({"note": _("Null characters are not allowed.")})
    if request.field == OTHER and not note:
        raise ValidationError({"note": _("Say what you corrected.")})
    if len(note) > MAX_TEXT:
        raise ValidationError({"note": _("At most 2000 characters.")})
    with transaction.atomic():
        request = _locked(actor, request)
        person = Person.objects.select_for_update().get(pk=request.person_id)
        applied: list[str] = []
        previous = ""
        if request.field != OTHER:
            previous = current_value(person, request.field)
            form = _form_for(person, request.field, request.requested_value)
            given = [request.field]
            if _only_mismatch(form) and note:
                # The NIK says otherwise and the officer, having seen the documents,
                # says why they are right: the registry keeps it as the reason.
                form = _form_for(
                    person, request.field, request.requested_value, mismatch_reason=note
                )
                given.append("nik_mismatch_reason")
            elif _only_mismatch(form):
                raise ValidationError(
                    {
                        "note": _(
                            "The NIK shows another birth date or sex. If the documents "
                            "are right, write in the note which document and why."
                        )
                    }
                )
            if form.errors:
                messages = [m for errors in form.errors.values() for m in errors]
                raise ValidationError(
                    {
                        "note": _("The correction cannot be applied as asked: %(errors)s")
                        % {"errors": " ".join(messages)}
                    }
                )
            try:
                person_update(
                    actor=actor,
                    person=person,
                    data=PersonData.from_cleaned(form.cleaned_data),
                    version=person.version,
                    given=given,
                )
            except DuplicateNik:
                raise ValidationError(
                    {"note": _("Another record has this NIK: check it in the registry first.")}
                ) from None
            except VersionConflict:
                raise ValidationError(
                    {"note": _("The record changed meanwhile. Open the request again.")}
                ) from None
            applied = [request.field]
        now = timezone.now()
        CorrectionRequest.objects.filter(pk=request.pk).update(
            status=CorrectionRequest.Status.ACCEPTED,
            decided_by=actor,
            decided_at=now,
            decision_reason=note,
        )
        if applied:
            # Encrypted by its field on save (update() would too); kept for the record.
            request.previous_value = previous
            request.save(update_fields=["previous_value"])
        CorrectionEvent.objects.create(
            request=request, kind=CorrectionEvent.Kind.ACCEPTED, actor=actor, note=note
        )
        if applied:
            CorrectionEvent.objects.create(
                request=request, kind=CorrectionEvent.Kind.APPLIED, actor=actor, fields=applied
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=request,
            changed_fields=["status", "decision_reason"],
            reason="correction accepted",
        )
        _tell_worker(person, request, accepted=True)
    request.refresh_from_db()
    return request


def correction_reject(*, actor: User, request: CorrectionRequest, reason: str) -> CorrectionRequest:
    """Reject with a reason the worker reads."""
    reason = (reason or "").strip()
    if "\x00" in reason:
        raise ValidationError({"note": _("Null characters are not allowed.")})
    if not reason:
        raise ValidationError({"note": _("Say why the request is rejected.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"note": _("At most 2000 characters.")})
    with transaction.atomic():
        request = _locked(actor, request)
        CorrectionRequest.objects.filter(pk=request.pk).update(
            status=CorrectionRequest.Status.REJECTED,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_reason=reason,
        )
        CorrectionEvent.objects.create(
            request=request, kind=CorrectionEvent.Kind.REJECTED, actor=actor, note=reason
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=request,
            changed_fields=["status", "decision_reason"],
            reason="correction rejected",
        )
        _tell_worker(request.person, request, accepted=False)
    request.refresh_from_db()
    return request


def _tell_worker(person: Person, request: CorrectionRequest, *, accepted: bool) -> None:
    user = User.objects.filter(pk=person.user_id).first() if person.user_id else None
    label = field_label(request.field)
    if accepted:
        title = _("Your correction request was accepted")
        body = _("Corrected: %(field)s.") % {"field": label}
    else:
        title = _("Your correction request was rejected")
        body = _("%(field)s: the officer explains why on the page.") % {"field": label}
    notify(user=user, title=title, body=body, url=reverse("privacy:my_corrections"))


def shown_value(request: CorrectionRequest, value: str) -> str:
    """A value of the request as a page shows it: identity numbers masked."""
    from garda.crypto import mask

    if request.field in IDENTITY_NUMBERS and value:
        return mask(value)
    return value_text(request.field, value)
