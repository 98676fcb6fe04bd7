"""The officer's worklist, the supervisor's workload per officer, and reassignment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from garda.accompaniment import worklist as wl
from garda.accompaniment.access import (
    ASSIGNING_ROLES,
    get_officer_for,
    manageable_officers,
    worklist_read,
    workload_read,
)
from garda.accompaniment.forms import ReassignForm, WorklistFilterForm
from garda.accompaniment.services import assignments_reassign
from garda.accompaniment.views.person import STAFF_ROLES
from garda.accompaniment.workload import workload
from garda.accounts import roles
from garda.accounts.access import visible_agencies
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.pagination import CappedPaginator
from garda.people.models import Assignment
from garda.viewutils import add_service_errors, is_htmx

WORKLIST_PAGE_SIZE = 25
WORKLOAD_PAGE_SIZE = 50
REASSIGN_LIST_LIMIT = 500


def worklist_officer(request: HttpRequest):
    """Whose worklist: an officer's own; a supervisor or an admin may look at an
    officer they manage with ?officer=<id> (404 otherwise), else their own."""
    user = request.user
    wanted = request.GET.get("officer")
    if wanted and user.role in ASSIGNING_ROLES:
        return get_officer_for(user, wanted)
    return user


@role_required(*STAFF_ROLES)
@require_GET
def worklist_page(request: HttpRequest) -> HttpResponse:
    officer = worklist_officer(request)
    form = WorklistFilterForm(request.GET or None)
    show = form.show_value()
    rows = wl.worklist_rows(officer, show=show)
    page = CappedPaginator(rows, WORKLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    wl.fill_page(list(page.object_list), officer, viewer=request.user)
    worklist_read(request.user, officer)
    context = {
        "form": form,
        "page": page,
        "officer": officer,
        "is_own": officer.pk == request.user.pk,
        "show": show,
        "officers": (
            manageable_officers(request.user).order_by("full_name")
            if request.user.role in ASSIGNING_ROLES
            else None
        ),
    }
    template = "accompaniment/_worklist.html" if is_htmx(request) else "accompaniment/worklist.html"
    return render(request, template, context)


def _agency_filter(request: HttpRequest):
    """An admin may narrow the workload to one agency (?agency=<id>)."""
    if request.user.role != roles.ADMIN:
        return None, None
    raw = request.GET.get("agency") or ""
    agencies = visible_agencies(request.user).order_by("short_name")
    agency = agencies.filter(pk=int(raw)).first() if raw.isdigit() else None
    return agency, agencies


@role_required(*sorted(ASSIGNING_ROLES))
@require_GET
def workload_page(request: HttpRequest) -> HttpResponse:
    agency, agencies = _agency_filter(request)
    officers = workload(request.user, agency_id=agency.pk if agency else None)
    page = CappedPaginator(officers, WORKLOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    workload_read(request.user)
    return render(
        request,
        "accompaniment/workload.html",
        {"page": page, "agency": agency, "agencies": agencies},
    )


@role_required(*sorted(ASSIGNING_ROLES))
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest) -> HttpResponse:
    """Move all or some persons of one officer to another (audited, bulk)."""
    user = request.user
    officers = manageable_officers(user).order_by("full_name")
    if request.method == "POST":
        form = ReassignForm(request.POST, officers=officers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                moved = assignments_reassign(
                    actor=user,
                    from_officer=data["from_officer"],
                    to_officer=data["to_officer"],
                    person_ids=None if data["everyone"] else data["person_ids"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(count)d persons moved to %(officer)s.")
                    % {
                        "count": moved,
                        "officer": data["to_officer"].full_name or data["to_officer"].email,
                    },
                )
                return redirect("accompaniment:workload")
        source = form.cleaned_data.get("from_officer") if hasattr(form, "cleaned_data") else None
    else:
        source = get_officer_for(user, request.GET["from"]) if request.GET.get("from") else None
        form = ReassignForm(officers=officers, initial={"from_officer": source})
    persons = []
    if source is not None:
        persons = list(
            Assignment.objects.filter(officer=source, person__merged_into__isnull=True)
            .select_related("person")
            .only("person__id", "person__reference", "person__full_name", "person__status")
            .order_by("person__full_name", "person_id")[:REASSIGN_LIST_LIMIT]
        )
        audit_record(
            actor=user,
            action=AuditEvent.Action.VIEW,
            object_type="people.person",
            reason=f"reassign list of user {source.pk}",
        )
    return render(
        request,
        "accompaniment/reassign.html",
        {
            "form": form,
            "source": source,
            "assignments": persons,
            "limit": REASSIGN_LIST_LIMIT,
            "ticked": set(getattr(form, "cleaned_data", {}).get("person_ids") or []),
        },
    )
