"""Authentication events -> audit log. Django and axes announce them as signals;
this is the only place Garda listens to signals (docs/style.md, rule 1, keeps logic in services)."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from garda.accounts.middleware import LOGIN_AT, SEEN_AT
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, target=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    # An expired session was audited as such by the timeout middleware.
    if user is not None and not getattr(request, "garda_session_expired", False):
        audit_record(actor=user, action=AuditEvent.Action.LOGOUT, target=user)


def _user_for(username: str | None) -> User | None:
    # The attempted e-mail is personal data: the row keeps only the account id, if any.
    if not username:
        return None
    return User.objects.filter(email__iexact=username.strip()).first()


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    user = _user_for(credentials.get("username") or credentials.get("email"))
    audit_record(actor=None, action=AuditEvent.Action.LOGIN_FAILED, target=user)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(actor=None, action=AuditEvent.Action.LOCKOUT, target=_user_for(username))
