"""Family and emergency contact pages (the API's `/people/{id}/family` as forms): a
worker adds, changes and removes their own (`/people/me/family/`); an officer who
may see the person does the same for them (`/people/<id>/family/`).

Reads through read_own_person / read_person_for (one VIEW row, reason "family
contacts", as the API's list), writes through services.registry.family_contact_add,
family_contact_update and family_contact_remove (one audit row each; the phone
checked there, as for the API). Another person's contact id is a 404 with a denied
row (access.get_family_contact_for). Removing has a confirmation page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.people.access import (
    REGISTRY_ROLES,
    get_family_contact_for,
    get_person_for,
    read_person_for,
)
from garda.people.models import FamilyContact, Person
from garda.people.services.registry import (
    family_contact_add,
    family_contact_remove,
    family_contact_update,
)
from garda.people.views.consents import Subject, own_person
from garda.viewutils import add_service_errors

READ_REASON = "family contacts"


class FamilyContactForm(forms.Form):
    """The phone is checked by the service (E.164, the same parser as the API)."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    relation = forms.ChoiceField(
        label=gettext_lazy("Relation"),
        choices=[("", "—"), *FamilyContact.Relation.choices],
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        help_text=gettext_lazy("For example 0812 3456 7890, or +82 10 1234 5678 abroad."),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    is_emergency_contact = forms.BooleanField(
        label=gettext_lazy("Emergency contact"),
        help_text=gettext_lazy("Called first if something happens."),
        required=False,
    )
    gives_consent = forms.BooleanField(
        label=gettext_lazy("Gives the family consent"),
        help_text=gettext_lazy("Only a spouse, a parent or a guardian (UU 18/2017 art. 13)."),
        required=False,
    )


def _initial(contact: FamilyContact) -> dict:
    return {
        "name": contact.name,
        "relation": contact.relation,
        "phone": contact.phone,
        "is_emergency_contact": contact.is_emergency_contact,
        "gives_consent": contact.gives_consent,
    }


def _list(request: HttpRequest, person: Person, subject: Subject) -> HttpResponse:
    rows = [
        {
            "contact": contact,
            "edit_url": subject.url("family_edit", contact.pk),
            "remove_url": subject.url("family_remove", contact.pk),
        }
        for contact in person.family.order_by("-is_emergency_contact", "name", "id")
    ]
    context = {
        "person": person,
        "subject": subject,
        "rows": rows,
        "new_url": subject.url("family_new"),
        "back_url": subject.person_url(),
    }
    return render(request, "people/family.html", context)


def _form(
    request: HttpRequest, person: Person, subject: Subject, contact: FamilyContact | None
) -> HttpResponse:
    initial = _initial(contact) if contact is not None else None
    form = FamilyContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if contact is None:
                family_contact_add(actor=request.user, person=person, **form.cleaned_data)
                message = _("Contact added.")
            else:
                family_contact_update(actor=request.user, contact=contact, **form.cleaned_data)
                message = _("Contact saved.")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(subject.url("family"))
    context = {
        "person": person,
        "subject": subject,
        "form": form,
        "contact": contact,
        "back_url": subject.url("family"),
    }
    return render(request, "people/family_form.html", context, status=400 if form.errors else 200)


def _remove(
    request: HttpRequest, person: Person, subject: Subject, contact: FamilyContact
) -> HttpResponse:
    if request.method == "POST":
        family_contact_remove(actor=request.user, contact=contact)
        messages.success(request, _("Contact removed."))
        return redirect(subject.url("family"))
    context = {
        "person": person,
        "subject": subject,
        "contact": contact,
        "back_url": subject.url("family"),
    }
    return render(request, "people/family_remove.html", context)


def _own(request: HttpRequest, *, audited: bool) -> Person | None:
    return own_person(request, reason=READ_REASON, audited=audited)


def _person(request: HttpRequest, pk: int) -> Person:
    """A GET shows the person's contacts (an audited read); a POST writes."""
    if request.method == "GET":
        return read_person_for(request.user, pk, reason=READ_REASON)
    return get_person_for(request.user, pk, for_write=True)


# --- the worker's own -----------------------------------------------------------------


@role_required(roles.WORKER)
@require_GET
def my_family(request: HttpRequest) -> HttpResponse:
    person = _own(request, audited=True)
    if person is None:  # no record yet: complete the profile first
        return redirect("people:me")
    return _list(request, person, Subject.own())


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_family_new(request: HttpRequest) -> HttpResponse:
    person = _own(request, audited=False)
    if person is None:
        return redirect("people:me")
    return _form(request, person, Subject.own(), None)


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_family_edit(request: HttpRequest, contact_pk: int) -> HttpResponse:
    person = _own(request, audited=request.method == "GET")
    if person is None:
        return redirect("people:me")
    contact = get_family_contact_for(request.user, person, contact_pk)
    return _form(request, person, Subject.own(), contact)


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_family_remove(request: HttpRequest, contact_pk: int) -> HttpResponse:
    person = _own(request, audited=request.method == "GET")
    if person is None:
        return redirect("people:me")
    contact = get_family_contact_for(request.user, person, contact_pk)
    return _remove(request, person, Subject.own(), contact)


# --- an officer, for a person they may see --------------------------------------------


@role_required(*REGISTRY_ROLES)
@require_GET
def person_family(request: HttpRequest, pk: int) -> HttpResponse:
    person = read_person_for(request.user, pk, reason=READ_REASON)
    return _list(request, person, Subject.of(person))


@role_required(*REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def family_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, for_write=True)
    return _form(request, person, Subject.of(person), None)


@role_required(*REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def family_edit(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    person = _person(request, pk)
    contact = get_family_contact_for(request.user, person, contact_pk)
    return _form(request, person, Subject.of(person), contact)


@role_required(*REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def family_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    person = _person(request, pk)
    contact = get_family_contact_for(request.user, person, contact_pk)
    return _remove(request, person, Subject.of(person), contact)
