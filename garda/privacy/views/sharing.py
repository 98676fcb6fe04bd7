"""The sharing of persons' data with other agencies, for supervisors: overrides
(sharing without consent, with the officer's reason) first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.pagination import CappedPaginator
from garda.privacy.access import MANAGING_ROLES, visible_sharing

PAGE_SIZE = 25


@role_required(*MANAGING_ROLES)
@require_GET
def sharing_list(request: HttpRequest) -> HttpResponse:
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="privacy.sharingrecord",
        reason="sharing list",
    )
    only_overrides = request.GET.get("show") != "all"
    qs = visible_sharing(request.user).select_related("person", "agency", "shared_by")
    if only_overrides:
        qs = qs.filter(consent__isnull=True)
    page = CappedPaginator(qs.order_by("-shared_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/sharing.html", {"page": page, "only_overrides": only_overrides})
