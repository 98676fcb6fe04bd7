"""Adding and removing a person's skills, languages and work experience from the
person page (the API's `POST /people/{id}/skills` ... and `DELETE
/people/{id}/{kind}/{item_id}` as forms). Officers, supervisors and admins for anyone
in the registry, a worker for their own record: the rule of access.may_edit, enforced
by get_person_for(for_write=True) and again by the services.

Plain POST-redirect-GET; with HTMX the `#profile-items` section is swapped in place.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.people.access import get_person_for
from garda.people.forms import PROFILE_FORMS
from garda.people.models import Person
from garda.people.services.profile import (
    experience_add,
    language_add,
    profile_item_remove,
    skill_add,
)
from garda.people.views.registry import (
    PEOPLE_ROLES,
    _render_detail,
    profile_items_context,
)
from garda.viewutils import add_service_errors, is_htmx

# The kind in the URL (a Person relation, as in the API) -> the service that adds one.
ADD_SERVICES = {
    "skills": skill_add,
    "languages": language_add,
    "experience": experience_add,
}
ADDED = {
    "skills": _("Skill added."),
    "languages": _("Language added."),
    "experience": _("Work experience added."),
}


class ProfileKind:
    """URL converter: only the three kinds route to these views."""

    regex = "|".join(ADD_SERVICES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def _back_to_person(request: HttpRequest, person: Person, message: str) -> HttpResponse:
    """Success: the updated section (HTMX) or, after a plain POST, the page again."""
    if is_htmx(request):
        return _render_items(request, person, notice=message)
    messages.success(request, message)
    # A worker's own record lives at /people/me/ (as after person_edit).
    if request.user.role == roles.WORKER:
        url = reverse("people:me")
    else:
        url = reverse("people:detail", args=[person.pk])
    return redirect(f"{url}#profile-items")


def _render_items(request: HttpRequest, person: Person, **kwargs) -> HttpResponse:
    context = profile_items_context(request.user, person, **kwargs)
    return render(request, "people/_profile_items.html", context)


@role_required(*PEOPLE_ROLES)
@require_POST
def profile_item_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    person = get_person_for(request.user, pk, for_write=True)
    form = PROFILE_FORMS[kind](request.POST)
    if form.is_valid():
        try:
            ADD_SERVICES[kind](actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _back_to_person(request, person, ADDED[kind])
    if is_htmx(request):
        return _render_items(request, person, bound=form)
    return _render_detail(request, person, profile_form=form)


@role_required(*PEOPLE_ROLES)
@require_POST
def profile_item_delete(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk, for_write=True)
    item = getattr(person, kind).filter(pk=item_pk).first()
    if item is None:
        raise Http404
    profile_item_remove(actor=request.user, item=item)
    return _back_to_person(request, person, _("Entry removed."))
