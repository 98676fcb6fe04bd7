"""A supervisor's view of the workload per officer: assigned persons, documents
waiting for verification, open and overdue tasks, expired or expiring documents.
One query for a page of officers (correlated counts), whatever the caseloads."""

from datetime import datetime

from django.db.models import OuterRef, QuerySet
from django.utils import timezone

from garda.accompaniment.access import manageable_officers, open_tasks
from garda.accompaniment.models import Task
from garda.accompaniment.queries import SubqueryCount
from garda.accompaniment.worklist import expiring_documents
from garda.accounts.models import User
from garda.documents.models import Document
from garda.people.models import Assignment


def workload(user: User, *, agency_id: int | None = None, now: datetime | None = None) -> QuerySet:
    """The officers `user` manages (a supervisor: their agency's; an admin: all, or
    one agency's with `agency_id`), each annotated with their numbers."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    officers = manageable_officers(user)
    if agency_id is not None:
        officers = officers.filter(agency_id=agency_id)
    theirs = Document.objects.filter(
        person__assignments__officer=OuterRef("pk"), person__merged_into__isnull=True
    )
    tasks = open_tasks(Task.objects.filter(officer=OuterRef("pk")))
    return officers.annotate(
        assigned=SubqueryCount(
            Assignment.objects.filter(officer=OuterRef("pk"), person__merged_into__isnull=True)
        ),
        pending_docs=SubqueryCount(theirs.filter(status=Document.Status.PENDING)),
        open_task_count=SubqueryCount(tasks),
        overdue_tasks=SubqueryCount(tasks.filter(due_at__lt=now)),
        expiring_docs=SubqueryCount(expiring_documents(theirs, today=today)),
    ).order_by("agency__short_name", "full_name", "email")
