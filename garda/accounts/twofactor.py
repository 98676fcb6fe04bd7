"""Second factor: TOTP (django-otp) with single-use recovery codes (static tokens)."""

import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record

RECOVERY_CODES = 10


PENDING_KEY = "garda_pending_totp_key"


def pending_totp_device(request) -> TOTPDevice:
    """An unsaved TOTP device for enrolment. Its secret waits in the session, so that
    showing the QR code (a GET) writes nothing; the device is saved once confirmed."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY] = key
    return TOTPDevice(user=request.user, name="Authenticator", key=key, confirmed=False)


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def has_confirmed_device(user: User) -> bool:
    return any(devices_for_user(user, confirmed=True))


def _code_matches(device: TOTPDevice, token: str) -> bool:
    try:
        code = int(token)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.verify(code, device.tolerance):
        device.last_t = totp.t()  # so the enrolment code itself cannot be replayed
        return True
    return False


@transaction.atomic
def totp_confirm(*, actor: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm enrolment if `token` is right; returns fresh recovery codes, or None."""
    if not _code_matches(device, token):
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SECOND_FACTOR,
            target=actor,
            reason="enrolment code refused",
        )
        return None
    TOTPDevice.objects.filter(user=actor).delete()  # one authenticator per person
    device.confirmed = True
    device.save()
    codes = recovery_codes_regenerate(actor=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SECOND_FACTOR,
        target=actor,
        changed_fields=["totp_device"],
        reason="enrolled",
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, actor: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=actor, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SECOND_FACTOR,
        target=actor,
        changed_fields=["recovery_codes"],
        reason="recovery codes generated",
    )
    return codes


def verify_any(user: User, token: str):
    """The confirmed device that accepts `token` (TOTP or a recovery code), or None.

    TOTPDevice refuses a code from a time step already used (replay), and a static
    recovery code is deleted once used.
    """
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None
