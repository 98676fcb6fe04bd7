from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record


def role_required(*allowed: str):
    """Anonymous users go to the log-in page; other roles get 403 and an audit row."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:
                audit_record(
                    actor=user,
                    action=AuditEvent.Action.DENIED,
                    reason=f"{request.method} {request.resolver_match.view_name}",
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
