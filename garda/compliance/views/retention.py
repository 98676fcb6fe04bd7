"""The admins' retention page: each rule, its legal basis, and how many records are past
their time now (two counting queries per rule), with how many a legal hold keeps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.compliance import display, retention
from garda.compliance.access import RETENTION_ROLES
from garda.compliance.services import purge


@role_required(*RETENTION_ROLES)
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    counts = {o.code: o for o in purge.counts()}
    language = get_language() or "id"
    rows = [
        {
            "code": rule.code,
            "record": display.RECORDS.get(rule.code, rule.code),
            "period": display.period(rule.keep_days) if rule.purges else "",
            "event": display.EVENTS[rule.after],
            "basis": rule.basis_for(language),
            "outcome": counts[rule.code],
        }
        for rule in retention.rules()
    ]
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=purge.OBJECT_TYPE,
        reason="retention rules",
    )
    return render(request, "compliance/retention.html", {"rows": rows})
