"""The matching pages (docs/matching.md): an order's ranked candidates and, on request
(`?near=1`, a plain link), its near misses for officers, supervisors and admins ("Calon
yang cocok"), and the worker's own
"Pekerjaan yang cocok untuk saya" with their preferences. Plain pages, POST-redirect-
GET, no script; the reads go through the same services and audit rows as the API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.jobs import access
from garda.jobs.forms.matching import PreferenceForm
from garda.jobs.models import JobOrder
from garda.jobs.services import matching as service
from garda.people.access import read_own_person

MATCHERS = (roles.ADMIN, roles.OFFICER, roles.SUPERVISOR)


def _pager(count: int, number: int):
    """A page of the project's pager (`_pager.html`) for a ranked list the service
    already cut: the numbers only, over a range (no rows are read again)."""
    return Paginator(range(count), service.PAGE_SIZE).get_page(number)


def _page_number(request: HttpRequest) -> int:
    raw = (request.GET.get("page") or "1").strip()
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


@role_required(*MATCHERS)
@require_GET
def order_candidates(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_order_for(request.user, pk)
    context: dict = {"order": order, "verified": order.status == JobOrder.Status.VERIFIED}
    if context["verified"]:
        context["ranked"] = service.read_candidates(request.user, order, page=_page_number(request))
        # The near misses cost a second pass over the registry (most of a second at a
        # million persons): read only when the officer asks for them.
        context["show_near"] = request.GET.get("near") == "1"
        if context["show_near"]:
            context["near"] = service.read_candidates(request.user, order, near=True)["items"]
        start = (context["ranked"]["page"] - 1) * service.PAGE_SIZE
        context["start"] = start
        context["page"] = _pager(context["ranked"]["count"], context["ranked"]["page"])
    return render(request, "jobs/matching_candidates.html", context)


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def my_matches(request: HttpRequest) -> HttpResponse:
    person = read_own_person(request.user, reason="job_matches")
    context: dict = {"person": person}
    if person is None:
        return render(request, "jobs/matching_mine.html", context)
    pref = service.preference_of(person)
    initial = {
        "destinations": pref.destinations if pref else [],
        "sectors": pref.sectors if pref else [],
    }
    form = PreferenceForm(initial=initial)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                service.preference_set(
                    actor=request.user,
                    person=person,
                    destinations=form.cleaned_data["destinations"],
                    sectors=form.cleaned_data["sectors"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Your wishes are saved."))
                return redirect(reverse("jobs:my_matches"))
    ranked = service.matches_for(person, page=_page_number(request))
    context.update(
        {
            "form": form,
            "ranked": ranked,
            "start": (ranked.page - 1) * service.PAGE_SIZE,
            "page": _pager(ranked.count, ranked.page),
        }
    )
    return render(request, "jobs/matching_mine.html", context, status=400 if form.errors else 200)
