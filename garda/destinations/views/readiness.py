"""Readiness pages: the worker's own checklist ("Kesiapan saya") and an officer's view
of a person's readiness, each with the plan form (the worker for themself, the
officer on the person's behalf). The same partial shows the answer on both pages;
the API's `GET /people/{id}/readiness` as a page. Views of the answer are audited, and
a health result's details are left out for readers who may not see the person's
health data (rules.redact_for), as in the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.destinations.access import readiness_read
from garda.destinations.forms import PlanForm
from garda.destinations.readiness import current_plan, readiness_for
from garda.destinations.rules import STATES, Result, for_staff, redact_for
from garda.destinations.services.plans import plan_set
from garda.destinations.views import checklist
from garda.documents.access import may_see_health
from garda.people.access import REGISTRY_ROLES, get_person_for, visible_people
from garda.people.models import Person
from garda.viewutils import is_htmx

STATE_LABELS = {
    "met": gettext_lazy("Done"),
    "missing": gettext_lazy("Missing"),
    "pending": gettext_lazy("Waiting for verification"),
    "rejected": gettext_lazy("Rejected"),
    "expired": gettext_lazy("Expired"),
    "expiring": gettext_lazy("Expires too soon"),
}
STATE_CSS = {
    "met": "ok",
    "missing": "bad",
    "pending": "",
    "rejected": "bad",
    "expired": "bad",
    "expiring": "bad",
}
# What each state means, in words a worker understands (shown as a legend).
STATE_HELP = {
    "met": gettext_lazy("You have it, it is verified and it is valid long enough."),
    "missing": gettext_lazy("You do not have it yet, or its level or score is too low."),
    "pending": gettext_lazy(
        "You uploaded it; an officer still has to check it against the original."
    ),
    "rejected": gettext_lazy(
        "An officer found a problem with it: read the reason, fix it and upload it again."
    ),
    "expired": gettext_lazy("It is no longer valid: you need a new one."),
    "expiring": gettext_lazy(
        "It is valid now, but not long enough for your departure: renew it in time."
    ),
}
# The same, said to an officer about the person (readiness_person.html).
STATE_HELP_STAFF = {
    "met": gettext_lazy("The person has it, it is verified and it is valid long enough."),
    "missing": gettext_lazy("Not uploaded yet, or its level or score is too low."),
    "pending": gettext_lazy("Uploaded; an officer still has to check it against the original."),
    "rejected": gettext_lazy(
        "An officer found a problem with it: the person must fix it and upload it again."
    ),
    "expired": gettext_lazy("It is no longer valid: the person needs a new one."),
    "expiring": gettext_lazy(
        "It is valid now, but not long enough for the departure: it must be renewed in time."
    ),
}
assert set(STATE_LABELS) == set(STATES) == set(STATE_HELP) == set(STATE_CSS)
assert set(STATE_HELP_STAFF) == set(STATE_HELP)


def _upload_url(user, person: Person) -> str | None:
    """Where to upload documents (the documents app's pages), when it has them."""
    try:
        if user.role == roles.WORKER:
            return reverse("documents:mine")
        return reverse("documents:person", args=[person.pk])
    except NoReverseMatch:  # the documents app without its pages (it is optional here)
        return None


def _render(
    request: HttpRequest,
    person: Person,
    *,
    template: str,
    form: PlanForm | None = None,
) -> HttpResponse:
    plan = current_plan(person)
    result: Result | None = readiness_for(person, plan) if plan is not None else None
    if result is not None:
        if request.user.role != roles.WORKER:  # said to the officer, about the person
            result = for_staff(result, person.full_name or person.reference)
        result = redact_for(result, may_see_health(request.user, person))
    readiness_read(request.user, person)
    help_texts = STATE_HELP if request.user.role == roles.WORKER else STATE_HELP_STAFF
    context = {
        "person": person,
        "plan": plan,
        "result": result,
        "rows": [
            {"requirement": r, "label": STATE_LABELS[r.state], "css": STATE_CSS[r.state]}
            for r in (result.requirements if result else ())
        ],
        "counts": [(STATE_LABELS[state], n) for state, n in result.counts().items() if n]
        if result
        else [],
        "moratorium": bool(result) and any(b.code == "moratorium" for b in result.blockers),
        "checklist": checklist.build(
            user=request.user, person=person, plan=plan, result=result, labels=STATE_LABELS
        )
        if result is not None
        else None,
        "legend": [(state, STATE_LABELS[state], help_texts[state]) for state in STATES],
        # A worker with a plan gets "Change my plan" as a link to the plan's own page:
        # the form and its lists cost a fifth of the page's CPU, for a link most never
        # open (a refused change is shown on that page, never here).
        "form": form
        or (
            None
            if plan is not None and request.user.role == roles.WORKER
            else PlanForm.for_plan(plan, user=request.user)
        ),
        "upload_url": _upload_url(request.user, person),
    }
    return render(request, template, context)


def _save_plan(request: HttpRequest, person: Person, form: PlanForm) -> bool:
    """Set the plan from a bound form; False (with the errors on the form) if refused."""
    if not form.is_valid():
        return False
    try:
        plan_set(
            actor=request.user,
            person=person,
            destination_code=form.cleaned_data["destination"],
            scheme_code=form.cleaned_data["scheme"],
            sector=form.cleaned_data["sector"],
            planned_departure=form.cleaned_data["planned_departure"],
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    messages.success(request, _("The placement plan is saved; the checklist below follows it."))
    return True


def _own_person(request: HttpRequest) -> Person | None:
    return visible_people(request.user).filter(user=request.user).first()


@role_required(roles.WORKER)
@require_GET
def my_readiness(request: HttpRequest) -> HttpResponse:
    """The worker's checklist: what is done, what is missing, where to go."""
    person = _own_person(request)
    if person is None:
        messages.info(request, _("Complete your profile first: your checklist follows from it."))
        return redirect("people:me")
    return _render(request, person, template="destinations/readiness_me.html")


def _plan_page(
    request: HttpRequest,
    person: Person,
    *,
    action: str,
    back_url: str,
    form: PlanForm | None = None,
) -> HttpResponse:
    """The plan form on a page of its own: the second step without JavaScript (GET
    with the chosen country), the form again after a refused save, or (HTMX) only the
    form, reloaded for the country just chosen. It shows the person's name and plan:
    an audited read, like the readiness page."""
    readiness_read(request.user, person)
    if form is None:
        code = request.GET.get("destination")
        if code is not None:
            form = PlanForm(user=request.user, initial={"destination": code[:2]})
        else:
            form = PlanForm.for_plan(current_plan(person), user=request.user)
    context = {
        "person": person,
        "form": form,
        "action": action,
        "back_url": back_url,
        "is_self": person.user_id == request.user.pk,
    }
    if request.method == "GET" and is_htmx(request):
        return render(request, "destinations/plan_form.html", context)
    return render(request, "destinations/plan_page.html", context)


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_plan(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        return redirect("people:me")
    pages = {
        "action": reverse("destinations:my_plan"),
        "back_url": reverse("destinations:my_readiness"),
    }
    if request.method == "GET":
        return _plan_page(request, person, **pages)
    form = PlanForm(request.POST, user=request.user)
    if _save_plan(request, person, form):
        return redirect("destinations:my_readiness")
    return _plan_page(request, person, form=form, **pages)


@role_required(*REGISTRY_ROLES)
@require_GET
def person_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer's view of a person's readiness, with the plan form."""
    person = get_person_for(request.user, pk)
    return _render(request, person, template="destinations/readiness_person.html")


@role_required(*REGISTRY_ROLES)
@require_http_methods(["GET", "POST"])
def person_plan(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, for_write=True)
    pages = {
        "action": reverse("destinations:person_plan", args=[person.pk]),
        "back_url": reverse("destinations:person_readiness", args=[person.pk]),
    }
    if request.method == "GET":
        return _plan_page(request, person, **pages)
    form = PlanForm(request.POST, user=request.user)
    if _save_plan(request, person, form):
        return redirect("destinations:person_readiness", pk=person.pk)
    return _plan_page(request, person, form=form, **pages)
