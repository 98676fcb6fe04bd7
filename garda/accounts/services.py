"""Every write to accounts, agencies and API tokens goes through here (docs/style.md)."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.access import visible_notifications
from garda.accounts.models import Agency, ApiToken, Notification, User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.links import absolute_url

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


# --- self-service sign-up (issue 19: it says nothing about who has an account) -------
#
# The answer to a sign-up is the same whether or not the e-mail has an account: the
# work done is the same (one password hash, one audit row, one e-mail) and only the
# e-mail says which case it was, to the mailbox's owner. A new account stays inactive
# until the person opens the link mailed to them and types the password they chose
# (both the mailbox and the password: someone who signs up with another person's
# address cannot finish, and the address's owner cannot finish someone else's sign-up
# into an account whose password a stranger knows).

SIGNUP_SALT = "garda.accounts.signup"


def _signup_state(user: User) -> str:
    """What a confirmation link is bound to: it dies when the account is confirmed,
    when the sign-up is repeated (new password) or when the account is deleted."""
    since = user.unconfirmed_since.isoformat() if user.unconfirmed_since else ""
    return salted_hmac(
        SIGNUP_SALT, f"{user.pk}|{user.password}|{since}|{user.is_active}"
    ).hexdigest()[:24]


def signup_token(user: User) -> str:
    """A signed, timestamped token for the confirmation link of `user`'s sign-up."""
    return signing.dumps({"u": user.pk, "s": _signup_state(user)}, salt=SIGNUP_SALT)


def signup_user_for_token(token: str) -> User | None:
    """The account waiting for confirmation that `token` was made for, or None when
    the token is forged, expired (GARDA_SIGNUP_LINK_HOURS), already used or stale."""
    try:
        data = signing.loads(
            token, salt=SIGNUP_SALT, max_age=timedelta(hours=settings.GARDA_SIGNUP_LINK_HOURS)
        )
        user = User.objects.get(pk=int(data["u"]), unconfirmed_since__isnull=False)
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        return None
    if not constant_time_compare(str(data.get("s", "")), _signup_state(user)):
        return None
    return user


def _send_signup_mail(to: str, kind: str, context: dict) -> None:
    """One plain-text e-mail (`accounts/signup_<kind>_email.txt`), in the language of
    the page the person used, sent once the transaction commits."""
    subject = render_to_string(f"accounts/signup_{kind}_subject.txt", context).strip()
    body = render_to_string(f"accounts/signup_{kind}_email.txt", context)
    transaction.on_commit(
        lambda: send_mail(
            subject=subject, message=body, from_email=None, recipient_list=[to], fail_silently=True
        )
    )


def _mail_confirmation(user: User) -> None:
    _send_signup_mail(
        user.email,
        "confirm",
        {
            "email": user.email,
            "link": absolute_url(reverse("accounts:signup_confirm", args=[signup_token(user)])),
            "hours": settings.GARDA_SIGNUP_LINK_HOURS,
        },
    )


def _mail_exists(user: User) -> None:
    context = {"email": user.email, "login": absolute_url(reverse("accounts:login"))}
    if user.is_active:
        context["reset"] = absolute_url(
            reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        )
    _send_signup_mail(user.email, "exists", context)


def worker_sign_up(*, email: str, full_name: str, password: str) -> None:
    """Someone signs up as a worker with `email` (already validated with `password`
    by the form). Returns nothing: the caller must answer the same in every case.

    - unknown address: an inactive worker account and the confirmation link;
    - an account still waiting for confirmation: its name and password are replaced
      by these (earlier links die) and a new link is sent;
    - any other account: nothing changes, and the owner gets "someone tried to create
      an account with your address" with a log-in and a password-reset link.
    Each case hashes the password once and writes one audit row."""
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is None:
            try:
                with transaction.atomic():
                    user = user_create(
                        actor=None,
                        email=email,
                        password=password,
                        role=roles.WORKER,
                        full_name=full_name,
                    )
            except (IntegrityError, ValidationError):
                # The same address signed up a moment ago: answer as for a known one.
                user = User.objects.filter(email__iexact=email).first()
                make_password(password)
                if user is not None:
                    _signup_repeated(user)
                return
            User.objects.filter(pk=user.pk).update(
                is_active=False, unconfirmed_since=timezone.now()
            )
            user.refresh_from_db()
            _mail_confirmation(user)
        elif user.unconfirmed_since is not None:
            user.full_name = full_name
            user.set_password(password)
            user.unconfirmed_since = timezone.now()
            user.save(update_fields=["full_name", "password", "unconfirmed_since"])
            audit_record(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                target=user,
                changed_fields=["full_name", "password"],
                reason="sign-up repeated before confirmation",
            )
            _mail_confirmation(user)
        else:
            make_password(password)  # the same work as a new account: no timing tell
            _signup_repeated(user)


def _signup_repeated(user: User) -> None:
    audit_record(
        actor=None,
        action=AuditEvent.Action.VIEW,
        target=user,
        reason="sign-up tried with the address of an existing account",
    )
    _mail_exists(user)


def signup_link_resend(*, email: str) -> None:
    """Someone asks for the confirmation link again. Always one e-mail (so the time
    taken tells nothing): the link to an account waiting for it, "you already have an
    account" to any other, and "no sign-up is waiting" to an unknown address."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        _send_signup_mail(
            email,
            "none",
            {"email": email, "signup": absolute_url(reverse("accounts:signup"))},
        )
    elif user.unconfirmed_since is not None:
        _mail_confirmation(user)
    else:
        _mail_exists(user)
    audit_record(
        actor=None,
        action=AuditEvent.Action.VIEW,
        object_type="accounts.user",
        object_id=str(user.pk) if user else "",
        reason="sign-up link asked for again",
    )


def signup_confirm(*, user: User, password: str) -> User:
    """The person opened the link and typed the password they chose: the account
    becomes active (the link with it becomes useless). ValidationError on a wrong
    password; the caller has checked the token."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.unconfirmed_since is None:
            raise ValidationError(_("This link was already used."), code="used")
        if not user.check_password(password):
            raise ValidationError(
                {"password": _("This is not the password you chose when signing up.")},
                code="wrong_password",
            )
        user.is_active = True
        user.unconfirmed_since = None
        user.save(update_fields=["is_active", "unconfirmed_since"])
        audit_record(
            actor=user,
            action=AuditEvent.Action.UPDATE,
            target=user,
            changed_fields=["is_active"],
            reason="sign-up confirmed by e-mail",
        )
    return user


def signups_unconfirmed_purge(*, now=None) -> int:
    """Delete the sign-ups still unconfirmed after GARDA_SIGNUP_UNCONFIRMED_DAYS, so
    the address can sign up again; one audit row each (the system did it). Such an
    account never logged in, so nothing else points at it."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.GARDA_SIGNUP_UNCONFIRMED_DAYS)
    stale = list(
        User.objects.filter(
            unconfirmed_since__lt=cutoff, is_active=False, last_login__isnull=True
        ).only("pk")
    )
    with transaction.atomic():
        for user in stale:
            audit_record(
                actor=None,
                action=AuditEvent.Action.DELETE,
                target=user,
                reason="sign-up not confirmed in time",
            )
        User.objects.filter(pk__in=[u.pk for u in stale]).delete()
    return len(stale)
