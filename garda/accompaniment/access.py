"""Who may see and change the accompaniment of a person (docs/design.md, need to know).

- admins: every person, every officer;
- supervisors: read every person's accompaniment (the registry is shared across
  agencies); they assign, reassign and change tasks only for the officers of their
  own agency;
- officers: the persons assigned to them (tasks, contacts, timeline); any other
  person only as far as the registry shows it (who accompanies them), and an
  officer may take an unaccompanied person themself;
- workers: their own officers and appointments (never task notes or contact
  summaries), through `appointments_for_worker`;
- trainers and partners: nothing.
Missing and forbidden look the same: 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from garda.accompaniment.models import Task
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.people.access import get_person_for, person_read
from garda.people.models import Assignment, Person

# Roles that accompany persons at all.
ACCOMPANY_ROLES = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
# Roles that assign, remove and reassign officers.
ASSIGNING_ROLES = frozenset({roles.SUPERVISOR, roles.ADMIN})


def is_assigned(officer: User, person: Person) -> bool:
    return Assignment.objects.filter(person=person, officer=officer).exists()


def may_accompany(user: User, person: Person) -> bool:
    """The full accompaniment record of `person` (tasks with notes, contacts,
    timeline), and writing tasks and contacts for them."""
    if not user.is_authenticated:
        return False
    if user.role in ASSIGNING_ROLES:
        return True
    if user.role == roles.OFFICER:
        return is_assigned(user, person)
    return False


def get_accompanied_person_for(user: User, pk: int) -> Person:
    """The person `pk` if `user` may see their whole accompaniment record; else 404."""
    person = get_person_for(user, pk)
    if not may_accompany(user, person):
        deny_not_found(user, "people.person", pk, "accompaniment")
    return person


def read_accompanied_person_for(user: User, pk: int, *, reason: str) -> Person:
    """get_accompanied_person_for, and the read audited: a VIEW of the person naming
    the part read ("timeline", "tasks", "contacts"), the same row for the page and the
    API."""
    person = get_accompanied_person_for(user, pk)
    person_read(user, person, reason=reason)
    return person


def _list_read(user: User, object_type: str, reason: str) -> None:
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(actor=user, action=AuditEvent.Action.VIEW, object_type=object_type, reason=reason)


def worklist_read(user: User, officer: User) -> None:
    """The VIEW row of reading `officer`'s worklist (the page and the API)."""
    _list_read(user, "people.person", f"worklist of user {officer.pk}")


def workload_read(user: User) -> None:
    """The VIEW row of reading the officers' workload (the page and the API)."""
    _list_read(user, "accounts.user", "workload")


def officers() -> QuerySet[User]:
    """Active accounts whose role is officer (the only role that is assigned)."""
    return (
        User.objects.filter(is_active=True, groups__name=roles.OFFICER)
        .exclude(groups__name__in=[roles.ADMIN, roles.SUPERVISOR])
        .select_related("agency")
    )


def manageable_officers(user: User) -> QuerySet[User]:
    """The officers `user` may assign, see the workload of and reassign between:
    every officer for an admin, the officers of their own agency for a supervisor,
    nobody for anyone else."""
    if not user.is_authenticated:
        return User.objects.none()
    if user.role == roles.ADMIN:
        return officers()
    if user.role == roles.SUPERVISOR and user.agency_id is not None:
        return officers().filter(agency_id=user.agency_id)
    return User.objects.none()


def may_manage_officer(user: User, officer: User) -> bool:
    """Whether `user` may assign `officer` or move persons to or from them."""
    if not user.is_authenticated or officer is None:
        return False
    if user.role == roles.ADMIN:
        return True
    return (
        user.role == roles.SUPERVISOR
        and user.agency_id is not None
        and officer.agency_id == user.agency_id
    )


def get_officer_for(user: User, pk) -> User:
    """An officer `user` manages (admin: any; supervisor: their agency's); else 404."""
    try:
        return manageable_officers(user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_tasks(user: User) -> QuerySet[Task]:
    """Tasks and appointments with their internal notes: admins and supervisors all;
    an officer the tasks they hold and those of the persons assigned to them."""
    if not user.is_authenticated:
        return Task.objects.none()
    qs = Task.objects.filter(person__merged_into__isnull=True)
    if user.role in ASSIGNING_ROLES:
        return qs
    if user.role == roles.OFFICER:
        mine = Assignment.objects.filter(officer=user).values("person_id")
        return qs.filter(Q(officer=user) | Q(person_id__in=mine))
    return qs.none()


def may_change_task(user: User, task: Task) -> bool:
    """Complete, cancel, reschedule: admins; a supervisor for the officers of their
    agency; the officer who holds the task or any officer accompanying the person."""
    if not user.is_authenticated:
        return False
    if user.role == roles.ADMIN:
        return True
    if user.role == roles.SUPERVISOR:
        return user.agency_id is not None and task.officer.agency_id == user.agency_id
    if user.role == roles.OFFICER:
        return task.officer_id == user.pk or is_assigned(user, task.person)
    return False


def get_task_for(user: User, pk, *, for_write: bool = False) -> Task:
    """The task `pk` if `user` may see it (and change it, with for_write); else 404."""
    try:
        task = visible_tasks(user).select_related("person", "officer__agency").get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "accompaniment.task", pk, "get_task_for")
    if for_write and not may_change_task(user, task):
        deny_not_found(user, "accompaniment.task", pk, "get_task_for:write")
    return task


def open_tasks(qs: QuerySet[Task] | None = None) -> QuerySet[Task]:
    qs = Task.objects.all() if qs is None else qs
    return qs.filter(done_at__isnull=True, cancelled_at__isnull=True)


def appointments_for_worker(person: Person, *, now=None) -> QuerySet[Task]:
    """What a worker sees of their own agenda: open appointments from now on. The
    caller shows only title, place, time and officer: task notes stay internal."""
    now = now or timezone.now()
    return (
        open_tasks(person.accompaniment_tasks.all())
        .filter(kind=Task.Kind.APPOINTMENT, due_at__gte=now)
        .select_related("officer__agency")
        .order_by("due_at", "id")
    )
