"""Who accessed a person's data: a right of the data subject (UU 27/2022 on Personal
Data Protection, the right of access to their data and its processing). The worker sees
every view, reveal, change and export touching their record, with the role and agency
of whoever did it; supervisors and admins see the same for anyone."""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.accounts.models import Agency
from garda.accounts.roles import WORKER
from garda.audit.display import label_events
from garda.audit.models import AuditEvent
from garda.people.access import visible_people
from garda.people.models import Person


def access_events(person: Person) -> QuerySet[AuditEvent]:
    """Audit rows about `person` itself (list views are not per person)."""
    return AuditEvent.objects.filter(
        Q(object_type="people.person", object_id=str(person.pk))
    ).order_by("-id")


@role_required(WORKER)
@require_GET
def my_access_log(request: HttpRequest) -> HttpResponse:
    person = visible_people(request.user).filter(user=request.user).first()
    events = access_events(person) if person else AuditEvent.objects.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    agencies = dict(
        Agency.objects.filter(
            pk__in={e.actor_agency_id for e in page if e.actor_agency_id}
        ).values_list("pk", "name")
    )
    label_events(page)
    for event in page:
        event.agency_name = agencies.get(event.actor_agency_id, "")
        event.is_self = event.actor_id == request.user.pk
        # The template prints the changed fields: their labels, never the code names
        # (in memory only; the stored row is part of the hashed chain).
        event.changed_fields = event.field_labels
    return render(request, "people/access_log.html", {"page": page, "person": person})
