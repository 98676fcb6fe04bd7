"""Consent pages (the API's `/people/{id}/consents` as forms): a worker sees what they
agreed to, gives a consent and withdraws one (`/people/me/consents/`); an officer who
may see the person (people.access, as the person page) sees their consents, records
one from a signed paper form, and records a withdrawal the person asked for
(`/people/<id>/consents/`).

Reads go through read_own_person / read_person_for (one VIEW row, reason
"consents"), writes through services.registry.consent_give and consent_withdraw (one
audit row each). A consent id of another person is a 404 with a denied row
(access.get_consent_for). Withdrawing has a confirmation page: GET asks, POST does.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.accounts.models import Agency
from garda.fields import IdModelMultipleChoiceField
from garda.people.access import (
    REGISTRY_ROLES,
    get_consent_for,
    get_person_for,
    read_own_person,
    read_person_for,
    visible_people,
)
from garda.people.consent_texts import CURRENT_VERSION, consent_text
from garda.people.models import Consent, Person
from garda.people.services.registry import consent_give, consent_withdraw
from garda.viewutils import add_service_errors

READ_REASON = "consents"


@dataclass(frozen=True)
class Subject:
    """Whose pages these are: the worker's own (`people:my_<name>` routes) or a
    person's, for an officer (`people:<name>` routes with the person's id). The
    family pages use it too."""

    is_self: bool
    pk: int | None = None

    @classmethod
    def own(cls) -> "Subject":
        return cls(is_self=True)

    @classmethod
    def of(cls, person: Person) -> "Subject":
        return cls(is_self=False, pk=person.pk)

    def url(self, name: str, *args) -> str:
        if self.is_self:
            return reverse(f"people:my_{name}", args=args)
        return reverse(f"people:{name}", args=[self.pk, *args])

    def person_url(self) -> str:
        """The person page: /people/me/ for the worker."""
        return reverse("people:me") if self.is_self else reverse("people:detail", args=[self.pk])


class ConsentForm(forms.Form):
    """A consent the person gives themself, under the current text."""

    purpose = forms.ChoiceField(
        label=gettext_lazy("What do you agree to?"),
        choices=Consent.Purpose.choices,
        widget=forms.RadioSelect,
    )
    agencies = IdModelMultipleChoiceField(
        label=gettext_lazy("Agencies that may receive the data"),
        help_text=gettext_lazy("Only for sharing: choose one or more."),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(
        label=gettext_lazy("I have read the text above and I agree"),
        error_messages={"required": gettext_lazy("Tick the box to say that you agree.")},
    )


class ConsentRecordForm(ConsentForm):
    """An officer records, on the person's behalf, a consent form the person signed."""

    text_version = forms.CharField(
        label=gettext_lazy("Version of the text on the form"),
        max_length=20,
        initial=CURRENT_VERSION,
    )
    source_note = forms.CharField(
        label=gettext_lazy("Where the signed form is kept"),
        help_text=gettext_lazy("For example: form number 12/2026, kept at Disnakertransgi."),
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].label = gettext_lazy("What did the person agree to?")
        self.fields["agree"].label = gettext_lazy(
            "I have seen the consent form, signed by the person"
        )
        self.fields["agree"].error_messages["required"] = gettext_lazy(
            "Tick the box to confirm that you have seen the signed form."
        )
        # The officer types what the form says, then confirms: the text last.
        self.order_fields(["purpose", "agencies", "text_version", "source_note", "agree"])


def _texts() -> list[tuple[str, str]]:
    return [
        (label, consent_text(value, CURRENT_VERSION)) for value, label in Consent.Purpose.choices
    ]


def _list(request: HttpRequest, person: Person, subject: Subject) -> HttpResponse:
    consents = person.consents.select_related("given_via", "withdrawn_via").prefetch_related(
        "agencies"
    )
    rows = [
        {
            "consent": consent,
            "text": consent_text(consent.purpose, consent.text_version),
            "withdraw_url": subject.url("consent_withdraw", consent.pk),
        }
        for consent in consents
    ]
    context = {
        "person": person,
        "subject": subject,
        "rows": rows,
        "in_force": sum(1 for row in rows if row["consent"].withdrawn_at is None),
        "new_url": subject.url("consent_new"),
        "back_url": subject.person_url(),
    }
    return render(request, "people/consents.html", context)


def _new(request: HttpRequest, person: Person, subject: Subject) -> HttpResponse:
    form_class = ConsentForm if subject.is_self else ConsentRecordForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_give(
                actor=request.user,
                person=person,
                purpose=data["purpose"],
                text_version=data.get("text_version") or CURRENT_VERSION,
                agencies=data["agencies"] if data["purpose"] == Consent.Purpose.SHARING else (),
                source_note=data.get("source_note", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your consent is recorded.") if subject.is_self else _("Consent recorded."),
            )
            return redirect(subject.url("consents"))
    context = {
        "person": person,
        "subject": subject,
        "form": form,
        "texts": _texts(),
        "version": CURRENT_VERSION,
        "back_url": subject.url("consents"),
    }
    return render(request, "people/consent_form.html", context, status=400 if form.errors else 200)


def _withdraw(request: HttpRequest, person: Person, consent: Consent, subject: Subject):
    if request.method == "POST":
        try:
            consent_withdraw(actor=request.user, consent=consent)
        except ValidationError:
            messages.info(request, _("This consent was already withdrawn."))
        else:
            messages.success(
                request,
                _("Your consent is withdrawn.")
                if subject.is_self
                else _("The withdrawal of the consent is recorded."),
            )
        return redirect(subject.url("consents"))
    context = {
        "person": person,
        "subject": subject,
        "consent": consent,
        "text": consent_text(consent.purpose, consent.text_version),
        "back_url": subject.url("consents"),
    }
    return render(request, "people/consent_withdraw.html", context)


def own_person(request: HttpRequest, *, reason: str, audited: bool) -> Person | None:
    """The signed-in worker's own record (None before the profile is completed): an
    audited read for a page that shows it, a plain one before a write. The family
    pages use it too."""
    if audited:
        return read_own_person(request.user, reason=reason)
    return visible_people(request.user).filter(user=request.user).first()


def _own(request: HttpRequest, *, audited: bool) -> Person | None:
    return own_person(request, reason=READ_REASON, audited=audited)


# --- the worker's own -----------------------------------------------------------------


@role_required(roles.WORKER)
@require_GET
def my_consents(request: HttpRequest) -> HttpResponse:
    person = _own(request, audited=True)
    if person is None:  # no record yet: complete the profile first
        return redirect("people:me")
    return _list(request, person, Subject.own())


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_consent_new(request: HttpRequest) -> HttpResponse:
    person = _own(request, audited=False)
    if person is None:
        return redirect("people:me")
    return _new(request, person, Subject.own())


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_consent_withdraw(request: HttpRequest, consent_pk: int) -> HttpResponse:
    person = _own(request, audited=request.method == "GET")
    if person is None:
        return redirect("people:me")
    consent = get_consent_for(request.user, person, consent_pk)
    return _withdraw(request, person, consent, Subject.own())


# --- an officer, for a person they may see --------------------------------------------


@role_required(*REGISTRY_ROLES)
@require_GET
def person_consents(request: HttpRequest, pk: int) -> HttpResponse:
    person = read_person_for(request.user, pk, reason=READ_REASON)
    return _list(request, person, Subject.of(person))


@role_required(*REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, for_write=True)
    return _new(request, person, Subject.of(person))


@role_required(*REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    if request.method == "GET":
        person = read_person_for(request.user, pk, reason=READ_REASON)
    else:
        person = get_person_for(request.user, pk, for_write=True)
    consent = get_consent_for(request.user, person, consent_pk)
    return _withdraw(request, person, consent, Subject.of(person))
