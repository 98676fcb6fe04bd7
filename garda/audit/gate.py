"""The one gate: every refusal writes a `denied` audit row, then raises.

- `deny` refuses an action (403, PermissionDenied naming it): services, API
  operations, pages;
- `deny_not_found` refuses an object as if it did not exist (404): the access
  functions, where missing and forbidden look the same;
- `page_gate` and `permission_required` guard whole pages (anonymous users go to the
  log-in page); `accounts.decorators.role_required` and
  `accounts.access.ensure_role` are the role versions, built on these.

The reason on the row is a short name of what was refused ("people.person_update",
"GET audit:event_list"), never personal data.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, NoReturn

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from garda.accounts.models import User


def deny(
    actor: "User | AnonymousUser | None",
    what: str,
    *,
    target: models.Model | None = None,
    exc: Exception | None = None,
) -> NoReturn:
    """Write a `denied` row (reason `what`, on `target` if given), then raise `exc`,
    by default PermissionDenied(what)."""
    audit_record(actor=actor, action=AuditEvent.Action.DENIED, target=target, reason=what)
    raise exc if exc is not None else PermissionDenied(what)


def deny_not_found(user: "User | AnonymousUser", object_type: str, pk, what: str) -> NoReturn:
    """Refuse object `pk` of `object_type` ("people.person") as if it were missing:
    a `denied` row for a signed-in user (anonymous readers are not logged), then
    Http404. `pk` is whatever the caller was given, cut to the column's length."""
    if getattr(user, "is_authenticated", False):
        audit_record(
            actor=user,
            action=AuditEvent.Action.DENIED,
            object_type=object_type,
            object_id=str(pk)[:64],
            reason=what,
        )
    raise Http404 from None


def page_gate(allowed: Callable[["User"], bool]):
    """A page's gate: anonymous users go to the log-in page; a signed-in user for
    whom `allowed(user)` is false gets 403 and a `denied` row naming the request
    ("GET people:person_list")."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(user):
                deny(
                    user,
                    f"{request.method} {request.resolver_match.view_name}",
                    exc=PermissionDenied(),
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def permission_required(perm: str):
    """`page_gate` for the users holding `perm` ("audit.view_auditevent")."""
    return page_gate(lambda user: user.has_perm(perm))


def ensure_permission(user: "User", perm: str, *, what: str) -> None:
    """In an API operation: refuse (403, audited) a signed-in user without `perm`."""
    if not user.has_perm(perm):
        deny(user, what)
