"""Pages of the family app.

Staff (`/family/cases/<pk>/`): the family of a case, issue a secret (the answer to
the POST shows it once, never a redirect, never in a URL) and end an access. The
case page shows the same as a block (templatetags/family.py).

The worker (`/family/me/`, 360 px, no JavaScript): the choice "my family may follow
my cases" (a plain form) and who currently follows which case: the family's own
codes, and a family member who reported a case and follows it with the report's code.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import get_case_for, read_case_for, small_int
from garda.family.access import (
    family_reporters,
    get_access_for,
    is_restricted,
    own_accesses,
    own_person,
)
from garda.family.display import case_family
from garda.family.forms import PreferenceForm, RevokeForm
from garda.family.models import FamilyPreference
from garda.family.services.following import (
    family_access_issue,
    family_access_revoke,
    family_restrict,
)
from garda.people.models import FamilyContact

STAFF_ROLES = (roles.ADMIN, roles.SUPERVISOR, roles.OFFICER)


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _case_page(request, case, *, error=None, status=200):
    context = {**case_family(request.user, case), "error": error}
    return render(request, "family/case.html", context, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = read_case_for(request.user, pk, reason="family")
    return _case_page(request, case)


@never_cache
@role_required(*STAFF_ROLES)
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    contact = FamilyContact.objects.filter(pk=small_int(request.POST.get("contact"))).first()
    try:
        access, secret = family_access_issue(actor=request.user, case=case, contact=contact)
    except ValidationError as exc:
        return _case_page(request, case, error=" ".join(exc.messages), status=400)
    context = {"case": case, "access": access, "secret": secret}
    return _private(render(request, "family/issued.html", context))


@role_required(*STAFF_ROLES)
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_access_for(request.user, pk, for_write=True)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            family_access_revoke(
                actor=request.user, access=access, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            return _case_page(request, access.case, error=" ".join(exc.messages), status=400)
        messages.success(request, _("The family member's code no longer works."))
        return redirect(reverse("family:case", args=[access.case_id]))
    error = " ".join(" ".join(errors) for errors in form.errors.values())
    return _case_page(request, access.case, error=error, status=400)


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                family_restrict(worker=request.user, restricted=not form.cleaned_data["allowed"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Your choice is saved."))
            return redirect("family:mine")
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="family.familyaccess",
        reason="own family",
    )
    restricted = is_restricted(person)
    pref = FamilyPreference.objects.filter(person=person).first() if person else None
    context = {
        "person": person,
        "form": PreferenceForm(initial={"allowed": not restricted}),
        "restricted": restricted,
        "pref": pref,
        "following": list(own_accesses(person)) if person else [],
        "reporters": list(family_reporters(person)) if person else [],
    }
    return render(request, "family/mine.html", context)
