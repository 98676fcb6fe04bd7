"""The incident register: the list and the form, and one incident with its persons,
the search of the audit trail, the notification and the 72-hour clock."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.compliance import display
from garda.compliance.access import INCIDENT_ROLES, get_incident_for, visible_incidents
from garda.compliance.forms import AuthorityForm, IncidentForm, SearchForm
from garda.compliance.models import IncidentPerson
from garda.compliance.services import incidents as service
from garda.viewutils import add_service_errors

LIST_LIMIT = 100
PERSONS_SHOWN = 500


@role_required(*INCIDENT_ROLES)
@require_http_methods(["GET", "POST"])
def incident_list(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = service.incident_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Incident recorded. Now find the persons it touched."))
            return redirect("compliance:incident", pk=incident.pk)
    incidents = list(visible_incidents(request.user)[:LIST_LIMIT])
    tallies = display.tallies([i.pk for i in incidents])
    rows = [(i, display.incident_clock(i, tallies.get(i.pk)), tallies.get(i.pk)) for i in incidents]
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="compliance.incident",
        reason="incident list",
    )
    return render(
        request,
        "compliance/incidents.html",
        {"form": form, "rows": rows},
        status=400 if form.errors else 200,
    )


def _detail(request, incident, *, search_form=None, authority_form=None, status=200):
    tally = display.tallies([incident.pk]).get(incident.pk)
    persons = list(
        IncidentPerson.objects.filter(incident=incident)
        .select_related("person", "notified_by")
        .order_by("id")[:PERSONS_SHOWN]
    )
    title, body = service.notice(incident)
    return render(
        request,
        "compliance/incident.html",
        {
            "incident": incident,
            "clock": display.incident_clock(incident, tally),
            "tally": tally or {"total": 0, "told": 0, "unreachable": 0},
            "persons": persons,
            "shown": PERSONS_SHOWN,
            "notice_title": title,
            "notice_body": body,
            "search_form": search_form or SearchForm(),
            "authority_form": authority_form
            or AuthorityForm(initial={"informed_at": timezone.localtime().replace(second=0)}),
            "now": timezone.now(),
        },
        status=status,
    )


@role_required(*INCIDENT_ROLES)
@require_http_methods(["GET"])
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, target=incident)
    return _detail(request, incident)


@role_required(*INCIDENT_ROLES)
@require_POST
def incident_search(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk)
    form = SearchForm(request.POST)
    if form.is_valid():
        try:
            new = service.incident_find_persons(
                actor=request.user,
                incident=incident,
                account=form.cleaned_data["account"],
                since=form.cleaned_data["since"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)s persons added from the audit trail.") % {"n": new})
            return redirect("compliance:incident", pk=incident.pk)
    incident.refresh_from_db()
    return _detail(request, incident, search_form=form, status=400)


@role_required(*INCIDENT_ROLES)
@require_POST
def incident_notify(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk)
    told = service.incident_notify(actor=request.user, incident=incident)
    messages.success(
        request,
        _("Told: %(app)s in Garda, %(email)s by e-mail; %(none)s without a channel.")
        % {"app": told["app"], "email": told["email"], "none": told["none"]},
    )
    return redirect("compliance:incident", pk=incident.pk)


@role_required(*INCIDENT_ROLES)
@require_POST
def incident_authority(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for(request.user, pk)
    form = AuthorityForm(request.POST)
    if form.is_valid():
        try:
            service.incident_authority_informed(
                actor=request.user,
                incident=incident,
                informed_at=form.cleaned_data["informed_at"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recorded: the authority was informed."))
            return redirect("compliance:incident", pk=incident.pk)
    return _detail(request, incident, authority_form=form, status=400)
