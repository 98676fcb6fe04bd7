from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from garda.audit.access import visible_audit_events
from garda.audit.forms import AuditFilterForm
from garda.audit.gate import ensure_permission
from garda.pagination import Pagination

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    action: str
    actor_id: int | None
    actor_role: str
    actor_agency_id: int | None
    object_type: str
    object_id: str
    changed_fields: list[str]
    reason: str
    ip: str | None
    request_id: str


class AuditFilter(Schema):
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    actor: int | None = None
    since: date | None = None
    until: date | None = None


@router.get("/audit/events", response=list[AuditEventOut], summary="Audit trail")
@paginate(Pagination, page_size=50)
def audit_event_list(request: HttpRequest, filters: Query[AuditFilter]):
    """Admins: every event; supervisors: events by their agency's staff."""
    ensure_permission(request.auth, "audit.view_auditevent", what="api audit_event_list")
    form = AuditFilterForm({k: v for k, v in filters.dict().items() if v is not None})
    if not form.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError({f: e for f, e in form.errors.items()})
    return form.filter(visible_audit_events(request.auth))
