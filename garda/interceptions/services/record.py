"""Recording an interception and ticking what follows (docs/interceptions.md).

`interception_record` does, in one transaction (nothing half-written: no person
without its interception, no case without it):

1. the person: with a NIK, checked by the registry's own form (people.forms.PersonForm:
   the same NIK, birth-date and sex rules and messages), found by the NIK or
   registered through people's `person_register` (its duplicate check and
   pendamping rule included). A NIK already registered is a look-up of that person
   (people.services.lookups.duplicate_found: audited and counted like the registry's
   own 409). Without a NIK nobody is registered (the registry holds no one without
   one): the interception keeps the name as given, and the page says so;
2. the interception, its reference (CGH-YYYY-NNNNNN) and its follow-up checklist;
3. where the screening (cases/screening.py) reaches a level of data/policy.toml's
   `case_levels` (signs of trafficking), a case through the cases' intake (channel
   "agency", kinds failed departure and trafficking, the person linked, the
   task-force flag set by the cases' policy);
4. the brokers named, and the leads they bring to the threshold;
5. an accompanying officer, when a supervisor chose one (accompaniment's
   `assignment_add`).

`interception_link_person` links an interception recorded without a NIK to the
registry once the KTP or family card is seen: the NIK given then is checked by the
same registry form, its owner found (a look-up, audited and counted as above) or the
person registered with the interception's data (`person_register`); the case the
interception opened, when it has no person yet and the officer may handle it, is
linked too (cases' `case_link_person`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases import screening
from garda.interceptions import policy
from garda.interceptions.access import RECORD_ROLES, may_write
from garda.interceptions.models import DOCUMENTS, FollowUp, Holder, Interception, PlaceKind, Step
from garda.interceptions.services.brokers import clean_brokers, error, mentions_create
from garda.models import ReferenceSequence
from garda.people.models import Person
from garda.places.models import Country, Region

REFERENCE_PREFIX = "CGH"
# A time typed "now" on a phone whose clock runs a little ahead is still fine.
CLOCK_SKEW = timedelta(minutes=5)
PERSON_FIELDS = ("nik", "full_name", "sex", "birth_date", "birth_place", "phone", "address_line")


@dataclass
class InterceptionData:
    """An interception as the page's form or the API sends it (raw values; the
    service checks them all before writing anything)."""

    intercepted_at: datetime | None
    place_kind: str
    place_name: str
    person_full_name: str
    region_code: str = ""
    intercepted_by_id: int | None = None
    intercepted_by_text: str = ""
    handed_over_at: datetime | None = None
    handed_over_to_id: int | None = None
    handed_over_to_name: str = ""
    person_nik: str = ""
    person_sex: str = ""
    person_birth_date: date | None = None
    person_birth_place: str = ""
    person_phone: str = ""
    person_address_line: str = ""
    destination_code: str = ""
    intended_job: str = ""
    documents: dict = field(default_factory=dict)
    shelter: str = ""
    circumstances: str = ""
    answers: dict = field(default_factory=dict)
    brokers: list = field(default_factory=list)  # [{"name", "kind"}]
    accompanying_officer_id: int | None = None


@dataclass
class _Clean:
    values: dict
    person_data: object  # PersonData or None
    brokers: list
    result: screening.Result
    officer: User | None


def _required(name: str):
    return error(name, _("This field is required."), "required")


def _text(data: InterceptionData, name: str, limit: int, *, required: bool = False) -> str:
    value = (getattr(data, name) or "").strip()
    if limit <= 300:  # one line
        value = " ".join(value.split())
    if required and not value:
        raise _required(name)
    if len(value) > limit:
        raise error(name, _("Keep it under %(n)s characters.") % {"n": limit}, "max_length")
    return value


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _agency(pk, name: str) -> Agency | None:
    if pk in (None, ""):
        return None
    try:
        return Agency.objects.get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError, OverflowError):
        raise error(name, _("Choose the agency from the list."), "invalid") from None


def _person(data: InterceptionData):
    """The registry's PersonData for a NIK, checked by the registry's form; None
    without a NIK (the name alone is kept on the interception)."""
    from garda.people.forms import PersonForm
    from garda.people.services.registry import PersonData

    full_name = _text(data, "person_full_name", 200, required=True)
    if not (data.person_nik or "").strip():
        if data.person_sex and data.person_sex not in ("M", "F"):
            raise error("person_sex", _("Choose the sex from the list."), "invalid")
        born = data.person_birth_date
        if born is not None and not (date(1900, 1, 1) <= born <= timezone.localdate()):
            # Without a NIK the registry's form does not check it: a slip (a date
            # to come, year 9999) would be kept as said.
            raise error("person_birth_date", _("Give a birth date in the past."), "invalid")
        return None
    raw = {name: getattr(data, f"person_{name}") or "" for name in PERSON_FIELDS}
    raw["full_name"] = full_name
    form = PersonForm(raw, may_override_nik=False)
    if not form.is_valid():
        raise ValidationError(
            {
                f"person_{name}" if name in PERSON_FIELDS else "person": errors
                for name, errors in form.errors.as_data().items()
            }
        )
    return PersonData.from_cleaned(form.cleaned_data)


def _check(actor: User, data: InterceptionData) -> _Clean:
    intercepted_at = _aware(data.intercepted_at)
    now = timezone.now()
    if intercepted_at is None:
        raise _required("intercepted_at")
    if intercepted_at > now + CLOCK_SKEW:
        raise error("intercepted_at", _("This date is in the future."), "future")
    if data.place_kind not in PlaceKind.values:
        raise error("place_kind", _("Choose the kind of place from the list."), "invalid")
    place_name = _text(data, "place_name", 200, required=True)
    region = None
    if data.region_code:
        region = Region.objects.filter(code=data.region_code).first()
        if region is None:
            raise error("region_code", _("Choose the region from the list."), "invalid")
    by_agency = _agency(data.intercepted_by_id, "intercepted_by_id")
    by_text = _text(data, "intercepted_by_text", 200)
    if by_agency is None and not by_text:
        raise error(
            "intercepted_by_id",
            _("Say who intercepted: choose the agency, or write it."),
            "required",
        )
    handed_at = _aware(data.handed_over_at)
    if handed_at is not None and handed_at < intercepted_at:
        raise error(
            "handed_over_at", _("The hand-over cannot come before the interception."), "order"
        )
    if handed_at is not None and handed_at > now + CLOCK_SKEW:
        raise error("handed_over_at", _("This date is in the future."), "future")
    to_agency = _agency(data.handed_over_to_id, "handed_over_to_id")
    person_data = _person(data)
    destination = None
    if data.destination_code:
        destination = Country.objects.filter(code=data.destination_code.upper()).first()
        if destination is None:
            raise error("destination_code", _("Choose the country from the list."), "invalid")
    documents = {}
    for kind, holder in (data.documents or {}).items():
        if kind not in DOCUMENTS or holder not in Holder.values:
            raise error("documents", _("Choose who holds each document from the list."), "invalid")
        documents[kind] = holder
    try:
        answers = screening.check(data.answers)
    except screening.ScreeningError:
        raise error("answers", _("An answer does not match the questions."), "invalid") from None
    officer = None
    if data.accompanying_officer_id not in (None, ""):
        from garda.accompaniment.access import manageable_officers

        officer = manageable_officers(actor).filter(pk=data.accompanying_officer_id).first()
        if officer is None:
            raise error(
                "accompanying_officer_id",
                _("Choose an officer of your agency from the list."),
                "invalid",
            )
    values = {
        "intercepted_at": intercepted_at,
        "place_kind": data.place_kind,
        "place_name": place_name,
        "region": region,
        "intercepted_by": by_agency,
        "intercepted_by_text": "" if by_agency else by_text,
        "handed_over_at": handed_at,
        "handed_over_to": to_agency,
        "handed_over_to_name": _text(data, "handed_over_to_name", 200),
        "subject_name": " ".join(data.person_full_name.split()),
        "subject_birth_date": person_data.birth_date if person_data else data.person_birth_date,
        "subject_sex": person_data.sex if person_data else (data.person_sex or ""),
        "destination": destination,
        "intended_job": _text(data, "intended_job", 200),
        "documents": documents,
        "shelter": _text(data, "shelter", 200),
        "circumstances": _text(data, "circumstances", 5000),
        "answers": answers,
    }
    return _Clean(
        values, person_data, clean_brokers(data.brokers or []), screening.assess(answers), officer
    )


def _find_or_register(actor: User, person_data) -> tuple[Person | None, bool]:
    """(the registry person, whether registered now)."""
    if person_data is None:
        return None, False
    from garda.cases.services.intake import nik_owner
    from garda.people.services.registry import DuplicateNik, person_register

    existing = nik_owner(person_data.nik)
    if existing is not None:
        return existing, False
    try:
        return person_register(actor=actor, data=person_data), True
    except DuplicateNik as exc:  # registered by someone else a moment ago
        return exc.existing, False


def _open_case(actor: User, interception: Interception, person_data):
    from garda.cases.models import Channel, Kind, Relationship
    from garda.cases.services.intake import ReportData, case_open

    with translation.override(settings.LANGUAGE_CODE):
        description = _(
            "Stopped before a non-procedural departure at %(place)s on %(date)s "
            "(interception %(reference)s); the screening shows signs of trafficking."
        ) % {
            "place": interception.place_name,
            "date": date_format(timezone.localtime(interception.intercepted_at), "j F Y"),
            "reference": interception.reference,
        }
        reporter = actor.agency.name if actor.agency_id else (actor.full_name or actor.email)
    case, _secret = case_open(
        actor=actor,
        data=ReportData(
            reporter_name=reporter,
            relationship=Relationship.OFFICIAL,
            person_name=interception.subject_name,
            kinds=[Kind.FAILED_DEPARTURE, Kind.TRAFFICKING],
            description=description,
            person_nik=person_data.nik if person_data else "",
            person_birth_date=interception.subject_birth_date,
            person_sex=interception.subject_sex,
            country=interception.destination,
            answers=interception.answers,
        ),
        channel=Channel.AGENCY,
    )
    return case


def _supervisors(*agencies: Agency | None):
    ids = {a.pk for a in agencies if a is not None}
    qs = User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
    return qs.filter(agency_id__in=ids) if ids else qs


def _tell(interception: Interception, actor: User) -> None:
    """The supervisors of the recorder's agency and of the agency it was handed to:
    numbers only, never a name (texts may travel by e-mail)."""
    url = reverse("interceptions:detail", args=[interception.pk])
    with translation.override(settings.LANGUAGE_CODE):
        if interception.case_id:
            title = _("Interception %(reference)s: signs of trafficking, case %(case)s opened") % {
                "reference": interception.reference,
                "case": interception.case.reference,
            }
        else:
            title = _("Interception %(reference)s recorded") % {"reference": interception.reference}
        for user in _supervisors(interception.agency, interception.handed_over_to):
            if user.pk != actor.pk:
                notify(user=user, title=title, url=url)


@dataclass
class LinkData:
    """What the officer gives to link an interception to the registry: the NIK, and
    the registry's other fields when the interception lacks them (sex, birth date) or
    the officer has them now."""

    person_nik: str
    person_sex: str = ""
    person_birth_date: date | None = None
    person_birth_place: str = ""
    person_phone: str = ""
    person_address_line: str = ""


# The audit reasons of a link (audit/display.py words them).
LINKED = "interception: person linked"
LINKED_REGISTERED = "interception: person registered and linked"


def _already_linked():
    return error(
        "person_nik",
        _("This interception is already linked to a person in the registry."),
        "linked",
    )


def interception_link_person(
    *, actor: User, interception: Interception, data: LinkData
) -> tuple[Interception, bool]:
    """Link `interception` (recorded without a NIK) to the registry person holding
    `data.person_nik`, registering them with the interception's name (and its birth
    date and sex, unless given now) when nobody holds it. Returns (interception,
    whether the person was registered now). Refused (403, audited) to whoever may not
    write on the interception; a ValidationError names the field otherwise."""
    if not may_write(actor, interception):
        deny(actor, "interceptions.interception_link_person", target=interception)
    if interception.person_id is not None:
        raise _already_linked()
    if not (data.person_nik or "").strip():
        raise error(
            "person_nik",
            _("Give the person's NIK, as on their KTP or family card."),
            "required",
        )
    person_data = _person(
        InterceptionData(
            intercepted_at=None,
            place_kind="",
            place_name="",
            person_full_name=interception.subject_name,
            person_nik=data.person_nik,
            person_sex=data.person_sex or interception.subject_sex,
            person_birth_date=data.person_birth_date or interception.subject_birth_date,
            person_birth_place=data.person_birth_place,
            person_phone=data.person_phone,
            person_address_line=data.person_address_line,
        )
    )
    from garda.cases.services.intake import nik_owner
    from garda.people.services.lookups import duplicate_found

    existing = nik_owner(person_data.nik)
    if existing is not None:
        # Naming the record that holds a NIK is a look-up (audited, counted; refused
        # over the budget), as when an interception is recorded with it.
        duplicate_found(actor, existing)
    with transaction.atomic():
        locked = Interception.objects.select_for_update().get(pk=interception.pk)
        if locked.person_id is not None:  # linked by someone else a moment ago
            raise _already_linked()
        person, registered = _find_or_register(actor, person_data)
        Interception.objects.filter(pk=interception.pk).update(person=person)
        interception.person = person
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=interception,
            changed_fields=["person"],
            reason=LINKED_REGISTERED if registered else LINKED,
        )
        case = interception.case
        if case is not None and case.person_id is None:
            from garda.cases.access import may_handle
            from garda.cases.services.intake import case_link_person

            if may_handle(actor, case):
                interception.case = case_link_person(actor=actor, case=case, person=person)
    return interception, registered


def interception_record(*, actor: User, data: InterceptionData) -> Interception:
    if actor is None or actor.role not in RECORD_ROLES:
        deny(actor, "interceptions.interception_record")
    clean = _check(actor, data)
    if clean.person_data is not None:
        from garda.cases.services.intake import nik_owner
        from garda.people.services.lookups import duplicate_found

        existing = nik_owner(clean.person_data.nik)
        if existing is not None:
            # Linking to a registered NIK names its record: a look-up, as the
            # registry's own 409 is (audited, counted; refused over the budget).
            duplicate_found(actor, existing)
    with transaction.atomic():
        person, registered = _find_or_register(actor, clean.person_data)
        interception = Interception(
            reference=ReferenceSequence.next_reference(REFERENCE_PREFIX, timezone.localdate().year),
            person=person,
            screening_level=clean.result.level,
            indicators=list(clean.result.indicators),
            recorded_by=actor,
            agency_id=actor.agency_id,
            recorded_at=timezone.now(),
            **clean.values,
        )
        interception.full_clean(exclude=["person", "case", "recorded_by", "agency", "region"])
        interception.save()
        FollowUp.objects.bulk_create(FollowUp(interception=interception, step=s) for s in Step)
        if clean.result.level in policy.current().case_levels:
            interception.case = _open_case(actor, interception, clean.person_data)
            interception.save(update_fields=["case"])
        mentions_create(actor=actor, rows=clean.brokers, interception=interception)
        if clean.officer is not None and person is not None:
            from garda.accompaniment.access import is_assigned
            from garda.accompaniment.services import assignment_add

            if not is_assigned(clean.officer, person):
                assignment_add(actor=actor, person=person, officer=clean.officer)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=interception,
            changed_fields=sorted(
                [k for k, v in clean.values.items() if v]
                + (["person"] if person else [])
                + (["case"] if interception.case_id else [])
                + (["brokers"] if clean.brokers else [])
            ),
            reason="person registered" if registered else "",
        )
        _tell(interception, actor)
    return interception


def followup_done(
    *, actor: User, step: FollowUp, done_on: date | None = None, note: str = ""
) -> FollowUp:
    """Tick one step of what follows (a date, by default today; a short note)."""
    if not may_write(actor, step.interception):
        deny(actor, "interceptions.followup_done", target=step.interception)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise error("done_on", _("This date is in the future."), "future")
    if done_on < timezone.localtime(step.interception.intercepted_at).date():
        raise error("done_on", _("This date is before the interception."), "order")
    note = " ".join((note or "").split())
    if len(note) > 300:
        raise error("note", _("Keep it under %(n)s characters.") % {"n": 300}, "max_length")
    with transaction.atomic():
        FollowUp.objects.filter(pk=step.pk).update(done_on=done_on, done_by=actor, note=note)
        step.done_on, step.done_by, step.note = done_on, actor, note
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=step.interception,
            changed_fields=[step.step],
            reason="follow-up done",
        )
    return step
