"""The worker's "Pendampingan saya": their officers with their contact, their
upcoming appointments (what, when, where: never the internal notes), and the
readiness summary PDF."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from garda.accompaniment.access import appointments_for_worker
from garda.accompaniment.views.person import pdf_response
from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.people.access import read_own_person, visible_people
from garda.people.models import Person

APPOINTMENTS_SHOWN = 20


def own_person(user) -> Person | None:
    return visible_people(user).filter(user=user).first()


@role_required(roles.WORKER)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    # The read audited as the API's `GET /me/accompaniment`.
    person = read_own_person(request.user, reason="my accompaniment")
    context = {"person": person}
    if person is not None:
        context["assignments"] = list(
            person.assignments.select_related("officer__agency").order_by("assigned_at", "id")
        )
        context["appointments"] = list(appointments_for_worker(person)[:APPOINTMENTS_SHOWN])
    return render(request, "accompaniment/mine.html", context)


@role_required(roles.WORKER)
@require_GET
def my_summary_pdf(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    if person is None:
        raise Http404
    return pdf_response(request, person)
