"""Every write to accounts, agencies and API tokens goes through here (docs/style.md)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.access import visible_notifications
from garda.accounts.models import Agency, ApiToken, Notification, User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record

# Roles whose work happens inside one agency: they must belong to one.
ROLES_NEEDING_AGENCY = frozenset({roles.SUPERVISOR, roles.OFFICER, roles.TRAINER, roles.PARTNER})


def _require(actor: User | None, perm: str) -> None:
    # actor None means the system itself (a management command run by an operator).
    if actor is not None and not actor.has_perm(perm):
        deny(actor, perm)


def _service(perm: str | Callable[[dict], str]):
    """Check `perm` first, then run the service in one transaction.

    The check runs outside the transaction so that the denied-access audit row is
    not rolled back with it (unless the caller holds a transaction of its own).
    """

    def decorator(fn):
        @wraps(fn)
        def wrapper(*, actor: User | None, **kwargs):
            _require(actor, perm(kwargs) if callable(perm) else perm)
            with transaction.atomic():
                return fn(actor=actor, **kwargs)

        return wrapper

    return decorator


def _check_role_and_agency(role: str, agency: Agency | None) -> None:
    if role not in roles.ALL:
        raise ValidationError({"role": _("Unknown role: %(role)s") % {"role": role}})
    if role in ROLES_NEEDING_AGENCY and agency is None:
        raise ValidationError({"agency": _("This role requires an agency.")})


def _set_role(user: User, role: str) -> None:
    user.groups.set([Group.objects.get(name=role)])
    user.__dict__.pop("role", None)


@_service("accounts.add_user")
def user_create(
    *,
    actor: User | None,
    email: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    full_name: str = "",
    phone: str = "",
) -> User:
    """Create an account with exactly one role. Admins get the admin screen (is_staff)."""
    _check_role_and_agency(role, agency)
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail already exists.")})
    user = User(email=email, full_name=full_name, phone=phone, agency=agency)
    user.is_staff = role == roles.ADMIN
    if password is not None:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _set_role(user, role)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        target=user,
        changed_fields=["email", "role", "agency", "full_name", "phone"],
    )
    return user


@_service("accounts.change_user")
def user_update(
    *,
    actor: User | None,
    user: User,
    role: str,
    agency: Agency | None,
    full_name: str,
    phone: str,
    is_active: bool,
    reason: str = "",
) -> User:
    """Change a user's profile, role or agency; deactivation also revokes API tokens."""
    _check_role_and_agency(role, agency)
    if actor is not None and actor.pk == user.pk and (not is_active or role != actor.role):
        raise ValidationError(_("You cannot deactivate yourself or change your own role."))
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = []
    for field, value in (("agency", agency), ("full_name", full_name), ("phone", phone)):
        if getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if user.role != role:
        _set_role(user, role)
        changed.append("role")
    if user.is_staff != (role == roles.ADMIN):
        user.is_staff = role == roles.ADMIN
        changed.append("is_staff")
    if user.is_active != is_active:
        user.is_active = is_active
        changed.append("is_active")
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=[f for f in changed if f != "role"] or None)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=user,
            changed_fields=changed,
            reason=reason,
        )
    if not is_active:
        _revoke_all_tokens(user, actor=actor, reason="account deactivated")
    return user


def _revoke_all_tokens(user: User, *, actor: User | None, reason: str) -> None:
    # A deactivated user's sessions die on their next request (ModelBackend refuses
    # inactive users); their tokens are revoked here, each with its audit row.
    tokens = list(user.api_tokens.filter(revoked_at__isnull=True).select_for_update())
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
    for token in tokens:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=token,
            changed_fields=["revoked_at"],
            reason=reason,
        )


def user_password_set(*, actor: User, user: User, password: str, reason: str) -> User:
    """Set a new (already validated) password: by the user themself (change, or reset
    by e-mail link, where `actor` is the user who proved control of the mailbox) or by
    an administrator. API tokens are revoked: a password change often means the
    account was at risk."""
    if actor.pk != user.pk:
        _require(actor, "accounts.change_user")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=user,
            changed_fields=["password"],
            reason=reason,
        )
        _revoke_all_tokens(user, actor=actor, reason="password changed")
    return user


def user_deactivate(*, actor: User | None, user: User, reason: str) -> User:
    return user_update(
        actor=actor,
        user=user,
        role=user.role or roles.WORKER,
        agency=user.agency,
        full_name=user.full_name,
        phone=user.phone,
        is_active=False,
        reason=reason,
    )


@_service(lambda kw: "accounts.add_agency" if kw["agency"].pk is None else "accounts.change_agency")
def agency_save(*, actor: User | None, agency: Agency, changed_fields: list[str]) -> Agency:
    """Create or update an agency (from the admin screen or a command)."""
    creating = agency.pk is None
    agency.full_clean()
    agency.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        target=agency,
        changed_fields=changed_fields,
    )
    return agency


@_service("accounts.add_user")
def api_token_create(*, actor: User | None, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a bearer token for `user`; the key is returned once and never stored."""
    if not user.is_active:
        raise ValidationError(_("An inactive user cannot get an API token."))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=token, changed_fields=["user", "name"]
    )
    return token, key


@_service("accounts.delete_apitoken")
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=token,
            changed_fields=["revoked_at"],
        )
    token.refresh_from_db()
    return token


# --- notifications ---------------------------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (again: no change, no audit row)."""
    if notification.user_id != actor.pk:
        raise Http404
    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if updated:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=notification,
                changed_fields=["read_at"],
            )
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; one audit row for all."""
    with transaction.atomic():
        count = (
            visible_notifications(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
        )
        if count:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                object_type="accounts.notification",
                changed_fields=["read_at"],
                reason=f"all read: {count}",
            )
    return count
