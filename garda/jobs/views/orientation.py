"""Pre-departure orientation (OPP) sessions: officers and admins plan them; supervisors
read them. A session's page lists who is on it (name, attendance, certificate): the
attendance itself is recorded on each placement's page (services/placement.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.jobs.access.placement import READ_ROLES, get_session_for, visible_sessions
from garda.jobs.forms.placement import SessionForm
from garda.jobs.models import Placement
from garda.jobs.services import orientation as service
from garda.jobs.services.placement import PlacementRefused
from garda.pagination import CappedPaginator
from garda.viewutils import add_service_errors

READERS = tuple(sorted(READ_ROLES))
OFFICE = (roles.ADMIN, roles.OFFICER)
PAGE_SIZE = 25


def _seats():
    return Count("placements", filter=~Q(placements__status=Placement.Status.CANCELLED))


@role_required(*READERS)
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("past") == "1"
    today = timezone.localdate()
    qs = visible_sessions(request.user).annotate(taken=_seats()).select_related("batch")
    if past:
        qs = qs.filter(starts_at__date__lt=today).order_by("-starts_at", "-pk")
    else:
        qs = qs.filter(starts_at__date__gte=today).order_by("starts_at", "pk")
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/orientation_list.html",
        {"page": page, "past": past, "may_write": request.user.role in OFFICE},
    )


@role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                session = service.session_create(actor=request.user, data=form.data_out())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The orientation session is planned."))
                return redirect("jobs:orientation_detail", pk=session.pk)
        return render(request, "jobs/orientation_form.html", {"form": form}, status=400)
    return render(request, "jobs/orientation_form.html", {"form": SessionForm()})


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The session, who is on it; officers and admins change it here (POST)."""
    user = request.user
    session = get_session_for(user, pk, for_write=request.method == "POST")
    form = None
    status = 200
    if user.role in OFFICE:
        if request.method == "POST":
            form = SessionForm(request.POST)
            if form.is_valid():
                try:
                    service.session_update(actor=user, session=session, data=form.data_out())
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("The changes are saved."))
                    return redirect("jobs:orientation_detail", pk=session.pk)
            status = 400
        else:
            form = SessionForm.for_instance(session)
    attendees = list(
        session.placements.exclude(status=Placement.Status.CANCELLED)
        .select_related("person")
        .order_by("person__full_name", "pk")
    )
    if attendees:
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            object_type="jobs.orientationsession",
            object_id=str(session.pk),
            reason="attendees",
        )
    return render(
        request,
        "jobs/orientation_detail.html",
        {
            "session": session,
            "attendees": attendees,
            "form": form,
            "may_delete": user.role in OFFICE and not attendees,
        },
        status=status,
    )


@role_required(*OFFICE)
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk, for_write=True)
    try:
        service.session_delete(actor=request.user, session=session)
    except PlacementRefused as exc:
        messages.error(request, str(exc.message))
        return redirect("jobs:orientation_detail", pk=session.pk)
    messages.success(request, _("The orientation session is deleted."))
    return redirect("jobs:orientation_list")
