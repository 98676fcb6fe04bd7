"""Registry pages: search, a person's profile, registration, edit, and the worker's
own profile. Thin views over access.py and services/ that behave like api/:
the same roles, the same scoping (404 for missing and forbidden alike), the same
audit rows (a VIEW per list and per profile shown, a REVEAL per unmasking)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.accounts.models import User
from garda.accounts.roles import GOVERNMENT
from garda.audit.access import visible_audit_events
from garda.audit.display import label_events, reason_label
from garda.crypto import mask
from garda.pagination import CappedPaginator
from garda.people.access import (
    REGISTRY_ROLES,
    get_person_for,
    may_edit,
    may_reveal_identity,
    person_read,
    read_people,
    visible_people,
)
from garda.people.forms import (
    PROFILE_FORMS,
    IdentityCheckForm,
    NikCheckForm,
    PersonEditForm,
    PersonFilterForm,
    PersonForm,
    ProfileItemForm,
    StatusChangeForm,
)
from garda.people.models import Person
from garda.people.nik import parse_nik
from garda.people.search import identity_query, list_notice, search_people
from garda.people.services.lookups import (
    IdentityLookupsExceeded,
    duplicate_found,
    identity_check,
    identity_search,
)
from garda.people.services.registry import (
    IDENTITY_NUMBERS,
    DuplicateNik,
    PersonData,
    VersionConflict,
    identity_reveal,
    identity_reveal_check,
    person_change_status,
    person_form_values,
    person_register,
    person_update,
    person_verify_identity,
)
from garda.viewutils import add_service_errors, is_htmx

PAGE_SIZE = 25
# Officers, supervisors and admins use the registry; a worker only their own record.
PEOPLE_ROLES = (*REGISTRY_ROLES, roles.WORKER)
AUDIT_TRAIL_LENGTH = 20


@role_required(*GOVERNMENT)
@require_http_methods(["GET", "POST"])
def nik_check(request: HttpRequest) -> HttpResponse:
    """Check a NIK someone shows at the desk, before registering them.

    POST, not GET: the NIK must not end up in URLs, browser history or access logs.
    """
    form = NikCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = parse_nik(
            form.cleaned_data["nik"],
            birth_date=form.cleaned_data["birth_date"],
            sex=form.cleaned_data["sex"] or None,
        )
    context = {"form": form, "result": result, "lang": get_language()}
    template = (
        "people/_nik_result.html" if request.headers.get("HX-Request") else "people/nik_check.html"
    )
    return render(request, template, context)


def _duplicate_nik(request: HttpRequest, form: Form, exc: DuplicateNik) -> Person | None:
    """Put the duplicate-NIK error on the form; return the existing record when the
    user may see it (the template links to it), None otherwise. The answer tells
    that the record exists: a look-up (services/lookups.duplicate_found), refused
    without naming it over the budget."""
    try:
        duplicate_found(request.user, exc.existing)
    except IdentityLookupsExceeded as over:
        form.add_error("nik", ValidationError(over.message(), code="identity_lookups"))
        return None
    form.add_error(
        "nik",
        ValidationError(_("A person with this NIK is already registered."), code="duplicate_nik"),
    )
    if visible_people(request.user).filter(pk=exc.existing.pk).exists():
        return exc.existing
    return None


# --- the registry list ------------------------------------------------------------


@role_required(*PEOPLE_ROLES)
@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    """Search the registry (the API's `GET /people` as a page). A worker has no
    registry to search: they are sent to their own profile."""
    if request.user.role == roles.WORKER:
        return redirect("people:me")
    form = PersonFilterForm(request.GET or None)
    params = form.params(request.user)
    throttled = False
    if identity_query(params.get("q")) is not None:
        # A NIK typed in the box: a look-up of a specific person (throttled, audited
        # with the query's blind index: services/lookups.py), not a list.
        try:
            people = identity_search(request.user, params)
        except IdentityLookupsExceeded:
            throttled, people = True, Person.objects.none()
        people = people.select_related("village").defer("kk_number", "passport_number")
    else:
        people = search_people(
            read_people(request.user)
            .select_related("village")
            .defer("kk_number", "passport_number"),
            params,
        )
    page = CappedPaginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page:
        person.nik_masked = mask(person.nik)
    template = "people/_results.html" if is_htmx(request) else "people/person_list.html"
    context = {
        "form": form,
        "page": page,
        "throttled": throttled,
        "count_shown": number_format(page.paginator.count, force_grouping=True),
        # The capped count has its own sentence; this one is for a common name.
        "ranked_notice": list_notice(people, 0, capped=False),
    }
    if throttled:
        context["throttled_message"] = IdentityLookupsExceeded.message()
    return render(request, template, context, status=429 if throttled else 200)


# --- one person -------------------------------------------------------------------


def _identity(person: Person, *, revealed: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The identity numbers as (label, value): masked, unless `revealed` holds them
    (what services.registry.identity_reveal returned)."""
    labels = {
        "nik": _("NIK"),
        "kk_number": _("Family card (KK) number"),
        "passport_number": _("Passport number"),
    }
    return [
        (labels[name], revealed[name] if revealed else mask(getattr(person, name)))
        for name in IDENTITY_NUMBERS
    ]


def profile_items_context(
    user: User, person: Person, *, bound: ProfileItemForm | None = None, notice: str = ""
) -> dict:
    """What people/_profile_items.html shows: the skills, languages and experience,
    and for a user who may edit the person, a form to add each (`bound`, the one just
    submitted with its errors, replaces its blank form)."""
    forms = None
    if may_edit(user, person):
        forms = {kind: form_class() for kind, form_class in PROFILE_FORMS.items()}
        if bound is not None:
            forms[bound.kind] = bound
    return {
        "person": person,
        # Evaluated once each (the template tests and then loops over them).
        "skills": list(person.skills.all()),
        "languages": list(person.languages.all()),
        "experience": list(person.experience.select_related("country")),
        "profile_forms": forms,
        "open_form": bound.kind if bound is not None else "",
        "notice": notice,
    }


def _in_words(events: list) -> None:
    """Audit rows as the page shows them: fields and reasons in words (in memory only:
    the stored rows are part of the hashed chain)."""
    label_events(events)
    for event in events:
        event.changed_fields = event.field_labels
        event.reason = event.reason_label


def _render_detail(
    request: HttpRequest,
    person: Person,
    *,
    status_form: StatusChangeForm | None = None,
    profile_form: ProfileItemForm | None = None,
) -> HttpResponse:
    """The profile page. Showing it is a VIEW of the person, audited every time
    (access.person_read, the row the API's `GET /people/{id}` writes)."""
    user = request.user
    person_read(user, person)
    in_registry = user.role in REGISTRY_ROLES
    may_reveal = may_reveal_identity(user, person)
    if in_registry and status_form is None:
        status_form = StatusChangeForm(current=person.status)
    audit_events = None
    if user.has_perm("audit.view_auditevent"):
        audit_events = list(
            visible_audit_events(user)
            .filter(object_type="people.person", object_id=str(person.pk))
            .select_related("actor")[:AUDIT_TRAIL_LENGTH]
        )
        _in_words(audit_events)
    status_changes = list(person.status_changes.select_related("actor"))
    for change in status_changes:  # "registration" in words (in memory, never saved)
        change.reason = reason_label(change.reason)
    context = {
        "person": person,
        "in_registry": in_registry,
        "is_self": person.user_id == user.pk,
        "identity": _identity(person),
        "may_reveal": may_reveal,
        "check_form": IdentityCheckForm() if in_registry else None,
        # Editing shows the identity numbers in the form: see person_edit.
        "may_edit": may_reveal and may_edit(user, person),
        "status_changes": status_changes,
        "assignments": person.assignments.select_related("officer__agency").order_by("assigned_at"),
        "family": person.family.all(),
        **profile_items_context(user, person, bound=profile_form),
        "consents": person.consents.prefetch_related("agencies"),
        "status_form": status_form,
        "audit_events": audit_events,
    }
    return render(request, "people/person_detail.html", context)


@role_required(*PEOPLE_ROLES)
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk)
    return _render_detail(request, person)


@role_required(*PEOPLE_ROLES)
@require_POST
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The unmasked identity numbers (the API's `/identity`): POST, so that a link
    or a prefetch never reveals them, and audited."""
    person = get_person_for(request.user, pk)
    # Refused (403, audited) or audited as a reveal: services.registry.identity_reveal.
    numbers = identity_reveal(actor=request.user, person=person)
    context = {"person": person, "identity": _identity(person, revealed=numbers), "revealed": True}
    template = "people/_identity.html" if is_htmx(request) else "people/identity.html"
    return render(request, template, context)


@role_required(*REGISTRY_ROLES)
@require_POST
def person_identity_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Whether a number a person reads out is the one on their record, without
    showing any digit of it (the API's `/identity/check`): a look-up, throttled and
    audited (services/lookups.identity_check)."""
    person = get_person_for(request.user, pk)
    form = IdentityCheckForm(request.POST)
    context = {"person": person, "check_form": form, "check_result": None}
    status = 200
    if form.is_valid():
        try:
            context["check_result"] = identity_check(
                actor=request.user,
                person=person,
                kind=form.cleaned_data["kind"],
                number=form.cleaned_data["number"],
            )
        except IdentityLookupsExceeded as exc:
            context["throttled_message"], status = exc.message(), 429
        else:  # the number does not stay on the screen
            context["check_form"] = IdentityCheckForm(initial={"kind": form.cleaned_data["kind"]})
    template = "people/_identity_check.html" if is_htmx(request) else "people/identity_check.html"
    return render(request, template, context, status=status)


@role_required(*REGISTRY_ROLES)
@require_POST
def person_status(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, for_write=True)
    form = StatusChangeForm(request.POST, current=person.status)
    if form.is_valid():
        try:
            person = person_change_status(
                actor=request.user,
                person=person,
                to_status=form.cleaned_data["status"],
                route=form.cleaned_data["route"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Status changed to: %(status)s.") % {"status": person.get_status_display()},
            )
            return redirect("people:detail", pk=person.pk)
    return _render_detail(request, person, status_form=form)


@role_required(*REGISTRY_ROLES)
@require_POST
def person_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer has seen the KTP/KK: the worker can no longer change identity fields."""
    person = get_person_for(request.user, pk, for_write=True)
    if person.identity_verified:
        messages.info(request, _("The identity was already verified."))
    else:
        person_verify_identity(actor=request.user, person=person)
        messages.success(request, _("Identity verified."))
    return redirect("people:detail", pk=person.pk)


# --- registration and edit ------------------------------------------------------------


@role_required(*REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    """An officer registers a walk-in (assisted registration)."""
    form = PersonForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            person = person_register(
                actor=request.user, data=PersonData.from_cleaned(form.cleaned_data)
            )
        except DuplicateNik as exc:
            duplicate = _duplicate_nik(request, form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Registered as %(reference)s.") % {"reference": person.reference}
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "duplicate": duplicate})


def _initial(person: Person) -> dict:
    """The record as the person form shows it, identity numbers unmasked."""
    return {**person_form_values(person), "version": person.version}


def _differences(form: PersonEditForm, current: Person) -> list[tuple[str, str]]:
    """Fields where the record saved meanwhile differs from what the user typed:
    (label, current value); identity numbers stay masked."""
    saved = _initial(current)
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], saved.get(name)
        if (mine or "") == (theirs or ""):
            continue
        shown = mask(theirs) if name in IDENTITY_NUMBERS else theirs
        rows.append((field.label, shown if shown not in (None, "") else "—"))
    return rows


@role_required(*PEOPLE_ROLES)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a person; the hidden `version` guards against lost updates.

    The form carries the NIK, KK and passport numbers in clear (they are edited
    there), so only a user who may reveal them gets it: supervisors, admins, the
    officers assigned to the person, and the worker themself. Any other officer is
    refused (403): they can still see the profile and change the status, or ask to be
    assigned. A worker cannot change identity fields once an officer verified them.
    """
    user = request.user
    person = get_person_for(user, pk, for_write=True)
    if request.method == "GET":
        # The form shows the numbers: a reveal (refused with 403, or audited).
        identity_reveal(actor=user, person=person, purpose="edit form")
    else:
        identity_reveal_check(actor=user, person=person, purpose="edit form")
    is_worker = user.role == roles.WORKER
    form_kwargs = {
        "may_override_nik": not is_worker,
        "locked_identity": is_worker and person.identity_verified,
        "initial": _initial(person),
        "recorded": _initial(person),
    }
    conflict = None
    duplicate = None
    if request.method == "GET":
        form = PersonEditForm(**form_kwargs)
    else:
        form = PersonEditForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                person_update(
                    actor=user,
                    person=person,
                    data=PersonData.from_cleaned(form.cleaned_data),
                    version=form.cleaned_data["version"],
                    # What the user could change: not the fields locked for them.
                    given=[n for n, f in form.fields.items() if not f.disabled],
                )
            except VersionConflict as exc:
                # Keep what the user typed, now based on the current version: saving
                # again is a deliberate overwrite, after seeing what changed.
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = PersonEditForm(data, **form_kwargs)
                form.is_valid()
                conflict = _differences(form, exc.current)
                form.add_error(
                    None,
                    ValidationError(
                        _(
                            "Someone else changed this record since you opened it. Your "
                            "changes are not saved yet: check the current values below, "
                            "then save again to keep yours."
                        ),
                        code="version_conflict",
                    ),
                )
            except DuplicateNik as exc:
                duplicate = _duplicate_nik(request, form, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                if is_worker:
                    return redirect("people:me")
                return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": person,
            "duplicate": duplicate,
            "conflict": conflict,
        },
    )


# --- the worker's own profile ---------------------------------------------------------


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    """A worker's own record; until there is one, the form to complete it
    (self-service registration, the same rules as an officer's)."""
    user = request.user
    person = visible_people(user).select_related("village").filter(user=user).first()
    if person is not None:
        if request.method == "POST":
            return redirect("people:me")
        return _render_detail(request, person)
    form = PersonForm(
        request.POST or None,
        may_override_nik=False,
        initial={"full_name": user.full_name, "email": user.email, "phone": user.phone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            # A NIK of another record is refused without saying so (nik_unavailable,
            # services.registry._nik_unavailable): a ValidationError on the field.
            person_register(actor=user, data=PersonData.from_cleaned(form.cleaned_data), user=user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:me")
    return render(request, "people/profile_form.html", {"form": form})
