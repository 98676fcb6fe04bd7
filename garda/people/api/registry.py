from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.accounts.models import Agency
from garda.apiutils import error_body, form_errors
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.crypto import mask
from garda.pagination import Pagination
from garda.people.access import (
    REGISTRY_ROLES,
    get_consent_for,
    get_family_contact_for,
    get_person_for,
    read_people,
    read_person_for,
    visible_people,
)
from garda.people.export import XLSX_CONTENT_TYPE, csv_rows, xlsx_file
from garda.people.forms import PersonEditForm, PersonForm, country_by_code
from garda.people.models import Consent, DuplicateCandidate, FamilyContact, LanguageSkill
from garda.people.nik import parse_nik
from garda.people.search import (
    PersonFilter,
    filter_people,
    identity_query,
    list_notice,
    search_people,
)
from garda.people.services.duplicates import duplicate_decide, duplicate_pairs_marked
from garda.people.services.lookups import (
    IdentityLookupsExceeded,
    duplicate_found,
    identity_check,
    identity_search,
)
from garda.people.services.profile import (
    experience_add,
    language_add,
    profile_item_remove,
    skill_add,
)
from garda.people.services.registry import (
    DuplicateNik,
    IdentityRevealRefused,
    NikAttemptsExceeded,
    PersonData,
    VersionConflict,
    consent_give,
    consent_withdraw,
    family_contact_add,
    family_contact_remove,
    family_contact_update,
    identity_reveal,
    person_change_status,
    person_form_values,
    person_register,
    person_update,
)

router = Router(tags=["people"])


class RegionRef(Schema):
    code: str
    name: str


class NikErrorOut(Schema):
    code: str
    message: str


class NikOut(Schema):
    nik: str
    valid: bool
    errors: list[NikErrorOut]
    province: RegionRef | None
    regency: RegionRef | None
    district: RegionRef | None
    birth_date: date | None
    sex: str | None
    is_jakarta: bool


class NikCheckIn(Schema):
    nik: str = Field(max_length=64)
    birth_date: date | None = None
    sex: Literal["M", "F"] | None = None


def nik_payload(nik: str, *, birth_date: date | None = None, sex: str | None = None) -> dict:
    result = parse_nik(nik, birth_date=birth_date, sex=sex)
    lang = get_language()

    def ref(region):
        return {"code": region.code, "name": region.name} if region else None

    return {
        "nik": result.nik,
        "valid": result.valid,
        "errors": [{"code": e.code, "message": e.message(lang)} for e in result.errors],
        "province": ref(result.province),
        "regency": ref(result.regency),
        "district": ref(result.district),
        "birth_date": result.birth_date,
        "sex": result.sex,
        "is_jakarta": result.is_jakarta,
    }


@router.post("/nik/check", response=NikOut, summary="Check a NIK against declared data")
def nik_check_declared(request: HttpRequest, payload: NikCheckIn):
    """Like `GET /nik/{nik}`, with the NIK in the body (kept out of URLs and logs) and
    optionally the birth date and sex the person declares: a mismatch is reported as
    `birth_date_mismatch` or `sex_mismatch` (possible age falsification)."""
    return nik_payload(payload.nik, birth_date=payload.birth_date, sex=payload.sex)


# Registered after /nik/check, which it would otherwise shadow.
@router.get("/nik/{nik}", response=NikOut, summary="Check a NIK")
def nik_check(request: HttpRequest, nik: str):
    """Parse and validate a 16-digit NIK: region codes, birth date, sex, serial.

    Errors come in the request's language (Indonesian unless `Accept-Language: en`).
    """
    return nik_payload(nik)


# --- the registry -------------------------------------------------------------------


# Roles that use the registry at all; trainers and partners get their (narrower)
# access through batches and referrals later.
PEOPLE_ROLES = (*REGISTRY_ROLES, roles.WORKER)


class PersonIn(Schema):
    """A person as submitted; validated by forms.PersonForm (same rules as the page)."""

    nik: str
    full_name: str
    sex: Literal["M", "F"]
    birth_date: date
    other_names: str = ""
    birth_place: str = ""
    marital_status: str = ""
    address_line: str = ""
    village_code: str = ""
    phone: str = ""
    email: str = ""
    education_level: str = ""
    education_field: str = ""
    kk_number: str = ""
    passport_number: str = ""
    nik_mismatch_reason: str = ""


class PersonPatchIn(PersonIn):
    """The fields a PATCH changes: only those the body names (the others keep their
    value; an explicit null empties nothing: it is refused). Validated by
    forms.PersonEditForm over the record as saved, with the page's rules. PersonIn's
    fields, the required ones made optional."""

    nik: str | None = None
    full_name: str | None = None
    sex: Literal["M", "F"] | None = None
    birth_date: date | None = None


class PersonOut(Schema):
    id: int
    reference: str
    nik: str  # masked unless the caller may reveal it (see /identity)
    full_name: str
    other_names: str
    sex: str
    birth_date: date
    birth_place: str
    address_line: str
    village_code: str | None
    domicile_jakarta: bool
    phone: str
    email: str
    education_level: str
    status: str
    route: str
    training_only: bool
    identity_verified: bool
    needs_duplicate_review: bool
    version: int


class PersonListOut(Schema):
    id: int
    reference: str
    nik: str
    full_name: str
    sex: str
    birth_date: date
    village_code: str | None = Field(None, alias="village_id")
    phone: str
    status: str

    @staticmethod
    def resolve_nik(obj) -> str:
        return mask(obj.nik)


class IdentityOut(Schema):
    nik: str
    kk_number: str
    passport_number: str


class StatusIn(Schema):
    status: str
    route: str = ""
    reason: str = Field("", max_length=500)


def person_out(person) -> dict:
    return {
        "id": person.pk,
        "reference": person.reference,
        "nik": mask(person.nik),
        "full_name": person.full_name,
        "other_names": person.other_names,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_place": person.birth_place,
        "address_line": person.address_line,
        "village_code": person.village_id,
        "domicile_jakarta": person.domicile_jakarta,
        "phone": person.phone,
        "email": person.email,
        "education_level": person.education_level,
        "status": person.status,
        "route": person.route,
        "training_only": person.training_only,
        "identity_verified": person.identity_verified,
        "needs_duplicate_review": person.needs_duplicate_review,
        "version": person.version,
    }


def _validated(request: HttpRequest, payload: PersonIn, **form_kwargs) -> PersonData:
    form = PersonForm(
        payload.dict(), may_override_nik=request.auth.role != roles.WORKER, **form_kwargs
    )
    if not form.is_valid():
        raise form_errors(form)
    return PersonData.from_cleaned(form.cleaned_data)


def _too_many(exc: NikAttemptsExceeded):
    """429: a worker over their budget of NIK tries (the field's message, in words)."""
    return Status(
        429,
        error_body(
            exc.message_dict["nik"][0],
            [{"field": "nik", "code": "nik_attempts", "message": exc.message_dict["nik"][0]}],
        ),
    )


class TooManyLookups(HttpError):
    """429 for a user over their budget of identity look-ups (api.py adds Retry-After)."""

    def __init__(self, exc: IdentityLookupsExceeded):
        super().__init__(429, exc.message())
        self.retry_after = exc.retry_after


def _conflict(request, exc: DuplicateNik):
    """409 naming the record when the caller may see it: a look-up
    (services/lookups.duplicate_found), 429 instead over the budget."""
    try:
        duplicate_found(request.auth, exc.existing)
    except IdentityLookupsExceeded as over:
        raise TooManyLookups(over) from None
    visible = visible_people(request.auth).filter(pk=exc.existing.pk).exists()
    body = error_body(
        _("A person with this NIK is already registered."),
        [
            {
                "field": "nik",
                "code": "duplicate_nik",
                "message": _("A person with this NIK is already registered."),
            }
        ],
    )
    if visible:
        body["existing"] = {"id": exc.existing.pk, "reference": exc.existing.reference}
    return Status(409, body)


class PeoplePagination(Pagination):
    """The registry's pages also say when the list is cut (search.list_notice): how
    many persons a common name's ranking covered, and a sentence for the officer."""

    class Output(Pagination.Output):
        ranked_only: int | None = Field(
            None,
            description="a common name: only this many best matches are ranked by name, "
            "the other matches follow newest first",
        )
        notice: str = Field("", description="why the list is cut, if it is (Indonesian)")

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["ranked_only"] = getattr(queryset, "ranked_only", None)
        page["notice"] = list_notice(queryset, page["count"], page["count_capped"])
        return page


@router.get("/people", response=list[PersonListOut], summary="Search the registry")
@paginate(PeoplePagination, page_size=25)
def person_list(request: HttpRequest, filters: Query[PersonFilter]):
    """Registry search: `q` finds a person by NIK (exact), reference, phone or name;
    the other parameters filter. Officers, supervisors and admins see the registry;
    a worker sees only themself.

    A NIK in `q` is a look-up of a specific person: for the registry's roles only
    (403 otherwise), audited as such with the query's blind index, and at most
    `GARDA_IDENTITY_LOOKUP_RATE` per user with the page's (429 with Retry-After)."""
    ensure_role(request.auth, *PEOPLE_ROLES, what="api person_list")
    params = filters.dict()
    if identity_query(params.get("q")) is not None:
        try:
            return identity_search(request.auth, params)
        except IdentityLookupsExceeded as exc:
            raise TooManyLookups(exc) from None
    return search_people(read_people(request.auth), params)


@router.post(
    "/people", response={201: PersonOut, 409: dict, 429: dict}, summary="Register a person"
)
def person_create(request: HttpRequest, payload: PersonIn):
    """A NIK already registered: 409 for the registry's roles (with `existing` when
    the caller may see it); a worker is told only that the NIK cannot be used here
    (422 `nik_unavailable`, officers are told to check it), and 429 after too many."""
    ensure_role(request.auth, *PEOPLE_ROLES, what="api person_create")
    data = _validated(request, payload)
    user = request.auth if request.auth.role == roles.WORKER else None
    try:
        person = person_register(actor=request.auth, data=data, user=user)
    except DuplicateNik as exc:
        return _conflict(request, exc)
    except NikAttemptsExceeded as exc:
        return _too_many(exc)
    return Status(201, person_out(person))


def _export_queryset(request: HttpRequest, filters: PersonFilter, fmt: str):
    """The people an export holds (the caller's scope, filtered as `GET /people`);
    the export is audited here, once, with the format and the row count."""
    ensure_role(request.auth, *REGISTRY_ROLES, what=f"api person_export {fmt}")
    qs = filter_people(visible_people(request.auth), filters.dict()).defer(
        "kk_number", "passport_number"
    )
    audit_record(
        actor=request.auth,
        action=AuditEvent.Action.EXPORT,
        object_type="people.person",
        reason=f"{fmt}, {qs.count()} rows",
    )
    return qs


@router.get(
    "/people/export.csv",
    summary="Export the filtered registry as CSV (audited)",
    response={200: None},
)
def person_export(request: HttpRequest, filters: Query[PersonFilter]):
    """The same filters as `GET /people`. NIKs are masked unless the caller may reveal
    them for that person; every export writes an audit row."""
    qs = _export_queryset(request, filters, "csv")
    response = StreamingHttpResponse(
        csv_rows(request.auth, qs.iterator(chunk_size=2000)), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="garda-registri.csv"'
    return response


@router.get(
    "/people/export.xlsx",
    summary="Export the filtered registry as XLSX (audited)",
    response={200: None},
)
def person_export_xlsx(request: HttpRequest, filters: Query[PersonFilter]):
    """The same rows as `export.csv` (filters, masking, neutralised formulas, audit)
    in an Excel workbook."""
    qs = _export_queryset(request, filters, "xlsx")
    return FileResponse(
        xlsx_file(request.auth, qs.iterator(chunk_size=2000)),
        as_attachment=True,
        filename="garda-registri.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


# Registered after /people/export.csv and .xlsx, which it would otherwise shadow.
@router.get("/people/{person_id}", response=PersonOut, summary="One person")
def person_detail(request: HttpRequest, response: HttpResponse, person_id: int):
    person = read_person_for(request.auth, person_id)
    response["ETag"] = f'"{person.version}"'
    return person_out(person)


@router.patch(
    "/people/{person_id}",
    response={200: PersonOut, 409: dict, 428: dict, 429: dict},
    summary="Edit a person (If-Match: the ETag you read)",
)
def person_edit(
    request: HttpRequest, response: HttpResponse, person_id: int, payload: PersonPatchIn
):
    """Changes only the fields the body names. Naming the NIK, KK or passport number
    needs the right to see them (403 otherwise, as on the page); a worker changes no
    identity field once an officer verified it (422 naming the field)."""
    person = get_person_for(request.auth, person_id, for_write=True)
    version = _if_match(request)
    if version is None:
        return Status(428, error_body(_("Send the ETag you read in an If-Match header.")))
    given = payload.dict(exclude_unset=True)
    recorded = person_form_values(person)
    form = PersonEditForm(
        {**recorded, **given, "version": version},
        may_override_nik=request.auth.role != roles.WORKER,
        recorded=recorded,
    )
    if not form.is_valid():
        raise form_errors(form)
    data = PersonData.from_cleaned(form.cleaned_data)
    try:
        person = person_update(
            actor=request.auth, person=person, data=data, version=version, given=given
        )
    except IdentityRevealRefused:
        raise HttpError(403, _("You may not change this person's identity numbers.")) from None
    except VersionConflict as exc:
        return Status(
            409,
            {
                **error_body(
                    _(
                        "Someone else changed this record since you opened it. "
                        "Reload it and apply your change again."
                    )
                ),
                "current_version": exc.current.version,
            },
        )
    except DuplicateNik as exc:
        return _conflict(request, exc)
    except NikAttemptsExceeded as exc:
        return _too_many(exc)
    response["ETag"] = f'"{person.version}"'
    return person_out(person)


@router.post("/people/{person_id}/status", response=PersonOut, summary="Change the status")
def person_status(request: HttpRequest, person_id: int, payload: StatusIn):
    person = get_person_for(request.auth, person_id, for_write=True)
    person = person_change_status(
        actor=request.auth,
        person=person,
        to_status=payload.status,
        route=payload.route,
        reason=payload.reason,
    )
    return person_out(person)


@router.get(
    "/people/{person_id}/identity",
    response=IdentityOut,
    summary="Reveal identity numbers (audited)",
)
def person_identity(request: HttpRequest, person_id: int):
    person = get_person_for(request.auth, person_id)
    try:
        return identity_reveal(actor=request.auth, person=person)
    except IdentityRevealRefused:
        raise HttpError(403, _("You may not see this person's identity numbers.")) from None


class IdentityCheckIn(Schema):
    kind: Literal["nik", "kk_number", "passport_number"]
    number: str = Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z ]+$")


class IdentityCheckOut(Schema):
    matches: bool


@router.post(
    "/people/{person_id}/identity/check",
    response={200: IdentityCheckOut, 429: dict},
    summary="Check a number against the record (audited)",
)
def person_identity_check(request: HttpRequest, person_id: int, payload: IdentityCheckIn):
    """Whether `number` is the person's NIK, KK or passport number, without showing
    any of it: for the registry's roles; a look-up, audited and counted against
    `GARDA_IDENTITY_LOOKUP_RATE` with the registry search (429 with Retry-After)."""
    ensure_role(request.auth, *REGISTRY_ROLES, what="api person_identity_check")
    person = get_person_for(request.auth, person_id)
    try:
        matches = identity_check(
            actor=request.auth, person=person, kind=payload.kind, number=payload.number
        )
    except IdentityLookupsExceeded as exc:
        raise TooManyLookups(exc) from None
    return {"matches": matches}


def _if_match(request: HttpRequest) -> int | None:
    value = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- family contacts and consents ---------------------------------------------------


class FamilyIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    relation: FamilyContact.Relation
    phone: str = Field("", max_length=30)
    is_emergency_contact: bool = False
    gives_consent: bool = False


class FamilyOut(Schema):
    id: int
    name: str
    relation: str
    phone: str
    is_emergency_contact: bool
    gives_consent: bool


class ConsentIn(Schema):
    purpose: Consent.Purpose
    text_version: str = Field(min_length=1, max_length=20)
    agency_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field([], max_length=50)
    source_note: str = Field(
        "",
        max_length=200,
        description="on the person's behalf: where the signed form is kept (required then)",
    )


class ConsentOut(Schema):
    id: int
    purpose: str
    text_version: str
    agency_ids: list[int]
    given_at: datetime
    withdrawn_at: datetime | None
    source: str = Field(description="self (the person in Garda), paper (a signed form), or ''")
    source_note: str

    @staticmethod
    def resolve_agency_ids(obj) -> list[int]:
        return [a.pk for a in obj.agencies.all()]


@router.get("/people/{person_id}/family", response=list[FamilyOut], summary="Family contacts")
def family_list(request: HttpRequest, person_id: int):
    person = read_person_for(request.auth, person_id, reason="family contacts")
    return list(person.family.all())


@router.post(
    "/people/{person_id}/family",
    response={201: FamilyOut},
    summary="Add a family or emergency contact",
)
def family_add(request: HttpRequest, person_id: int, payload: FamilyIn):
    person = get_person_for(request.auth, person_id, for_write=True)
    contact = family_contact_add(
        actor=request.auth,
        person=person,
        name=payload.name,
        relation=payload.relation,
        phone=payload.phone,
        is_emergency_contact=payload.is_emergency_contact,
        gives_consent=payload.gives_consent,
    )
    return Status(201, contact)


@router.put(
    "/people/{person_id}/family/{contact_id}",
    response=FamilyOut,
    summary="Change a family or emergency contact",
)
def family_update(request: HttpRequest, person_id: int, contact_id: int, payload: FamilyIn):
    person = get_person_for(request.auth, person_id, for_write=True)
    contact = get_family_contact_for(request.auth, person, contact_id)
    return family_contact_update(
        actor=request.auth,
        contact=contact,
        name=payload.name,
        relation=payload.relation,
        phone=payload.phone,
        is_emergency_contact=payload.is_emergency_contact,
        gives_consent=payload.gives_consent,
    )


@router.delete(
    "/people/{person_id}/family/{contact_id}",
    response={204: None},
    summary="Remove a family or emergency contact",
)
def family_delete(request: HttpRequest, person_id: int, contact_id: int):
    person = get_person_for(request.auth, person_id, for_write=True)
    contact = get_family_contact_for(request.auth, person, contact_id)
    family_contact_remove(actor=request.auth, contact=contact)
    return Status(204, None)


@router.get("/people/{person_id}/consents", response=list[ConsentOut], summary="Consents")
def consent_list(request: HttpRequest, person_id: int):
    person = read_person_for(request.auth, person_id, reason="consents")
    return list(person.consents.prefetch_related("agencies"))


@router.post("/people/{person_id}/consents", response={201: ConsentOut}, summary="Record a consent")
def consent_add(request: HttpRequest, person_id: int, payload: ConsentIn):
    person = get_person_for(request.auth, person_id, for_write=True)
    agencies = list(Agency.objects.filter(pk__in=payload.agency_ids, is_active=True))
    if len(agencies) != len(set(payload.agency_ids)):
        raise DjangoValidationError({"agency_ids": _("Unknown or inactive agency.")})
    consent = consent_give(
        actor=request.auth,
        person=person,
        purpose=payload.purpose,
        text_version=payload.text_version,
        agencies=agencies,
        source_note=payload.source_note,
    )
    return Status(201, consent)


@router.post(
    "/people/{person_id}/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent",
)
def consent_withdraw_op(request: HttpRequest, person_id: int, consent_id: int):
    person = get_person_for(request.auth, person_id, for_write=True)
    consent = get_consent_for(request.auth, person, consent_id)
    return consent_withdraw(actor=request.auth, consent=consent)


# --- duplicates --------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    reference: str
    full_name: str
    birth_date: date
    has_account: bool = Field(
        description="The person signed up themselves: this record has their own account"
    )

    @staticmethod
    def resolve_has_account(obj) -> bool:
        return obj.user_id is not None


class CandidateOut(Schema):
    id: int
    person_a: PersonRef
    person_b: PersonRef
    score: float
    reasons: list[str]
    status: str
    needs_supervisor: bool = Field(
        description="The caller may not decide this pair: another officer accompanies "
        "one of the persons, and a supervisor decides it (issue 19)"
    )
    account_moves: bool = Field(
        description='"Same person" would move the newer record\'s worker account to the '
        "kept record: the decision must say `move_account`"
    )

    @staticmethod
    def resolve_account_moves(obj) -> bool:
        return bool(obj.person_b.user_id and not obj.person_a.user_id)


class DuplicateDecisionIn(Schema):
    same: bool
    keep_officers: bool = Field(
        False,
        description="Supervisors and admins: keep the officers accompanying the merged "
        "record (those they manage) instead of ending their accompaniment",
    )
    move_account: bool = Field(
        False,
        description="Confirm that the newer record's worker account moves to the kept "
        "record (required when the candidate's `account_moves` is true)",
    )


def _candidates(user):
    return duplicate_pairs_marked(
        user,
        DuplicateCandidate.objects.filter(
            person_a__in=visible_people(user), person_b__in=visible_people(user)
        ).select_related("person_a", "person_b"),
    )


@router.get(
    "/people/{person_id}/duplicates",
    response=list[CandidateOut],
    summary="Likely duplicates of a person",
)
def person_duplicates(request: HttpRequest, person_id: int):
    ensure_role(request.auth, *REGISTRY_ROLES, what="api person_duplicates")
    person = get_person_for(request.auth, person_id)
    return list(_candidates(request.auth).filter(Q(person_a=person) | Q(person_b=person)))


@router.get("/duplicates", response=list[CandidateOut], summary="Duplicate review queue")
@paginate(Pagination, page_size=25)
def duplicate_queue(request: HttpRequest, status: DuplicateCandidate.Decision = "open"):
    ensure_role(request.auth, *REGISTRY_ROLES, what="api duplicate_queue")
    return _candidates(request.auth).filter(status=status)


@router.post(
    "/duplicates/{candidate_id}/decision",
    response=PersonOut,
    summary="Decide: same person (merge) or different people",
)
def duplicate_decision(request: HttpRequest, candidate_id: int, payload: DuplicateDecisionIn):
    ensure_role(request.auth, *REGISTRY_ROLES, what="api duplicate_decision")
    try:
        candidate = _candidates(request.auth).get(pk=candidate_id)
    except DuplicateCandidate.DoesNotExist:
        raise HttpError(404, _("Not found.")) from None
    survivor = duplicate_decide(
        actor=request.auth,
        candidate=candidate,
        same=payload.same,
        keep_officers=payload.keep_officers,
        move_account=payload.move_account,
    )
    return person_out(survivor)


# --- skills, languages, work experience ------------------------------------------


class SkillIO(Schema):
    id: int | None = None
    occupation_code: str = Field(max_length=8)
    title: str = Field(min_length=1, max_length=200)


class LanguageIO(Schema):
    id: int | None = None
    language: str = Field(max_length=3)
    scale: LanguageSkill.Scale
    level: str = Field(max_length=10)


class ExperienceIn(Schema):
    employer: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    occupation_code: str = Field("", max_length=8)
    started_on: date
    ended_on: date | None = None


class ExperienceOut(Schema):
    id: int
    employer: str
    country: str = Field(alias="country_id")
    occupation_code: str
    started_on: date
    ended_on: date | None


class ProfileOut(Schema):
    skills: list[SkillIO]
    languages: list[LanguageIO]
    experience: list[ExperienceOut]


def _profile(person) -> dict:
    return {
        "skills": list(person.skills.all()),
        "languages": list(person.languages.all()),
        "experience": list(person.experience.all()),
    }


@router.get(
    "/people/{person_id}/profile",
    response=ProfileOut,
    summary="Skills, languages and work experience",
)
def profile_detail(request: HttpRequest, person_id: int):
    person = get_person_for(request.auth, person_id)
    return _profile(person)


@router.post("/people/{person_id}/skills", response={201: SkillIO}, summary="Add a skill")
def profile_skill_add(request: HttpRequest, person_id: int, payload: SkillIO):
    person = get_person_for(request.auth, person_id, for_write=True)
    return Status(
        201,
        skill_add(
            actor=request.auth,
            person=person,
            occupation_code=payload.occupation_code,
            title=payload.title,
        ),
    )


@router.post("/people/{person_id}/languages", response={201: LanguageIO}, summary="Add a language")
def profile_language_add(request: HttpRequest, person_id: int, payload: LanguageIO):
    person = get_person_for(request.auth, person_id, for_write=True)
    return Status(
        201,
        language_add(
            actor=request.auth,
            person=person,
            language=payload.language,
            scale=payload.scale,
            level=payload.level,
        ),
    )


@router.post(
    "/people/{person_id}/experience", response={201: ExperienceOut}, summary="Add work experience"
)
def profile_experience_add(request: HttpRequest, person_id: int, payload: ExperienceIn):
    person = get_person_for(request.auth, person_id, for_write=True)
    try:
        country = country_by_code(payload.country)
    except DjangoValidationError as exc:
        raise DjangoValidationError({"country": exc.error_list}) from None
    return Status(
        201,
        experience_add(
            actor=request.auth,
            person=person,
            employer=payload.employer,
            country=country,
            started_on=payload.started_on,
            ended_on=payload.ended_on,
            occupation_code=payload.occupation_code,
        ),
    )


@router.delete(
    "/people/{person_id}/{kind}/{item_id}",
    response={204: None},
    summary="Remove a skill, language or experience entry",
)
def profile_item_delete(
    request: HttpRequest,
    person_id: int,
    kind: Literal["skills", "languages", "experience"],
    item_id: int,
):
    person = get_person_for(request.auth, person_id, for_write=True)
    item = getattr(person, kind).filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, _("Not found."))
    profile_item_remove(actor=request.auth, item=item)
    return Status(204, None)
