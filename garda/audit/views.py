from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from garda.audit.access import visible_audit_events
from garda.audit.display import label_events
from garda.audit.forms import AuditFilterForm
from garda.audit.gate import permission_required


@permission_required("audit.view_auditevent")
def event_list(request: HttpRequest) -> HttpResponse:
    """The audit trail: admins see all of it, supervisors their agency's staff."""
    form = AuditFilterForm(request.GET or None)
    qs = form.filter(visible_audit_events(request.user)).select_related("actor")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    label_events(page)
    template = (
        "audit/_event_table.html"
        if request.headers.get("HX-Request")
        else ("audit/event_list.html")
    )
    return render(request, template, {"form": form, "page": page})
