"""Who may see which application, and make which move (docs/applications.md, "Who
does what"). Missing and forbidden look the same (404 with a `denied` row).

- the worker: their own applications (every status), and their own moves: accept or
  decline a nomination, withdraw;
- recruiters: the applications to their company's orders, once the worker applied or
  accepted a nomination (a nomination not yet accepted, or declined, is not theirs to
  see); they move them along the pipeline and reject;
- officers and admins: every application; they nominate, move, reject, and withdraw
  for a worker who asks them to;
- supervisors: every application, read only.

Signing the contract and departing are recorded by the placement (its own pages and
services call `application_move`), never by the generic move.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from garda.accounts import roles
from garda.audit.gate import deny_not_found
from garda.jobs.access import recruiter_agency_id
from garda.jobs.models import Application, ApplicationEvent, JobOrder

A = Application.Status

# Who reads an order's applications (the pages and the API).
READ_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER, roles.RECRUITER})
# Who moves applications along the pipeline.
MOVE_ROLES = frozenset({roles.ADMIN, roles.OFFICER, roles.RECRUITER})
NOMINATE_ROLES = frozenset({roles.ADMIN, roles.OFFICER})
# Who withdraws: the worker, or an officer on their word.
WITHDRAW_ROLES = frozenset({roles.WORKER, roles.OFFICER, roles.ADMIN})
# The steps the generic move makes (contract signed and departed: the placement's).
PIPELINE_STEPS = (A.SHORTLISTED, A.INTERVIEWED, A.SELECTED)
MOVE_TARGETS = frozenset({*PIPELINE_STEPS, A.REJECTED, A.WITHDRAWN})
PLACEMENT_STEPS = frozenset({A.CONTRACT_SIGNED, A.DEPARTED})


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def seen_by_company() -> Q:
    """Applications a company may see: the worker applied, or accepted a nomination."""
    accepted = ApplicationEvent.objects.filter(application=OuterRef("pk"), to_status=A.APPLIED)
    return Q(source=Application.Source.WORKER) | Q(Exists(accepted))


def visible_applications(user) -> QuerySet[Application]:
    if not _signed_in(user):
        return Application.objects.none()
    qs = Application.objects.all()
    if user.role == roles.WORKER:
        return qs.filter(person__user=user)
    if user.role == roles.RECRUITER:
        agency = recruiter_agency_id(user)
        if agency is None:
            return qs.none()
        return qs.filter(order__agency_id=agency).filter(seen_by_company())
    if user.role in READ_ROLES:
        return qs
    return qs.none()


def get_application_for(user, pk) -> Application:
    """Application `pk` as `user` may see it; else 404 with a denied row."""
    try:
        return (
            visible_applications(user)
            .select_related("order", "order__agency", "person", "person__user")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.application", pk, "get_application_for")


def order_applications(user, order: JobOrder) -> QuerySet[Application]:
    """The applications of `order` (which `user` may see) as `user` may see them."""
    return visible_applications(user).filter(order=order)


def may_move(user, application: Application, to_status: str) -> bool:
    """Whether `user` may ask for `application -> to_status` through the generic move
    (the table of services/applications.py still decides whether it is a legal step)."""
    if not _signed_in(user) or to_status not in MOVE_TARGETS:
        return False
    if to_status == A.WITHDRAWN:
        return user.role in (roles.OFFICER, roles.ADMIN)
    if user.role == roles.RECRUITER:
        return application.order.agency_id == recruiter_agency_id(user)
    return user.role in (roles.OFFICER, roles.ADMIN)


def may_nominate(user) -> bool:
    return _signed_in(user) and user.role in NOMINATE_ROLES


def may_withdraw(user, application: Application) -> bool:
    if not _signed_in(user):
        return False
    if user.role == roles.WORKER:
        return application.person.user_id == user.pk
    return user.role in (roles.OFFICER, roles.ADMIN)


def may_answer(user, application: Application) -> bool:
    """Accept or decline a nomination: the worker it names, or, for a worker without an
    account (most have none), an officer or admin recording the answer they gave."""
    if application.status != A.NOMINATED or not may_withdraw(user, application):
        return False
    return user.role == roles.WORKER or application.person.user_id is None


def next_steps(user, application: Application) -> list[str]:
    """The forward step `user` may offer on `application` (none, or the next one)."""
    from garda.jobs.services.applications import NEXT

    step = NEXT.get(application.status)
    if step is None or not may_move(user, application, step):
        return []
    return [step]
