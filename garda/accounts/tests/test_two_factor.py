"""Mandatory second factor for staff (docs/security.md, test 9)."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, make_user
from garda.accounts import roles
from garda.accounts.twofactor import PENDING_KEY
from garda.audit.models import AuditEvent


def _login(client: Client, email: str) -> None:
    response = client.post(
        "/accounts/login/", {"username": email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.5"
    )
    assert response.status_code == 302


def _code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():06d}"


@pytest.mark.django_db
def test_staff_without_second_factor_reach_only_enrolment(alice):
    client = Client()
    _login(client, alice.email)
    for url in [
        "/",
        reverse("accounts:agency_list"),
        reverse("people:nik_check"),
        reverse("accounts:account"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:2fa_setup"))
    assert client.get("/api/v1/me").status_code == 403
    assert client.get(reverse("accounts:2fa_setup")).status_code == 200


@pytest.mark.django_db
def test_enrolment_then_access(alice):
    client = Client()
    _login(client, alice.email)
    page = client.get(reverse("accounts:2fa_setup"))
    assert "<svg" in page.content.decode()
    # Showing the QR code saved nothing.
    assert not TOTPDevice.objects.filter(user=alice).exists()
    key = client.session[PENDING_KEY]
    device = TOTPDevice(user=alice, key=key)

    wrong = client.post(reverse("accounts:2fa_setup"), {"token": "000000"})
    assert wrong.status_code == 200
    assert "tidak benar" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()

    ok = client.post(reverse("accounts:2fa_setup"), {"token": _code(device)})
    assert ok.status_code == 200
    assert len(ok.context["codes"]) == 10
    assert TOTPDevice.objects.get(user=alice).confirmed
    assert client.get(reverse("accounts:agency_list")).status_code == 200
    assert AuditEvent.objects.filter(
        actor=alice, action="second_factor", reason="enrolled"
    ).exists()


@pytest.mark.django_db
def test_verify_refuses_replayed_code_and_accepts_recovery_code_once(alice):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    from garda.accounts.twofactor import recovery_codes_regenerate

    recovery = recovery_codes_regenerate(actor=alice)
    code = _code(device)

    first = Client()
    _login(first, alice.email)
    assert first.get("/")["Location"].startswith(reverse("accounts:2fa_verify"))
    assert first.post(reverse("accounts:2fa_verify"), {"token": code}).status_code == 302
    assert first.get(reverse("accounts:agency_list")).status_code == 200

    replay = Client()
    _login(replay, alice.email)
    refused = replay.post(reverse("accounts:2fa_verify"), {"token": code})
    assert refused.status_code == 200
    assert "sudah pernah dipakai" in refused.content.decode()
    assert replay.get(reverse("accounts:agency_list")).status_code == 302

    # django-otp throttles after a failure (1 s, then 2 s...): wait it out.
    with time_machine.travel(dt.timedelta(seconds=5)):
        ok = replay.post(reverse("accounts:2fa_verify"), {"token": recovery[0]})
        assert ok.status_code == 302
        again = Client()
        _login(again, alice.email)
        reused = again.post(reverse("accounts:2fa_verify"), {"token": recovery[0]})
    assert reused.status_code == 200


@pytest.mark.django_db
def test_workers_are_not_forced(wati):
    client = Client()
    _login(client, wati.email)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(roles.STAFF))
def test_every_staff_role_is_forced(role, disnaker):
    user = make_user(f"{role}@example.org", role, disnaker if role != roles.ADMIN else None)
    client = Client()
    _login(client, user.email)
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_demo_mode_shows_a_banner_when_second_factor_is_off(alice):
    with override_settings(REQUIRE_2FA=False):
        client = Client()
        _login(client, alice.email)
        response = client.get(reverse("accounts:agency_list"))
    assert response.status_code == 200
    assert "faktor kedua" in response.content.decode().lower()


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_the_authenticator(alice):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    attacker = Client()
    _login(attacker, alice.email)
    response = attacker.get(reverse("accounts:2fa_setup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:2fa_verify")
    posted = attacker.post(reverse("accounts:2fa_setup"), {"token": "123456"})
    assert posted.status_code == 302
    assert list(TOTPDevice.objects.filter(user=alice)) == [device]
    assert attacker.get(reverse("accounts:agency_list")).status_code == 302


@pytest.mark.django_db
def test_a_worker_who_opted_in_must_pass_the_second_factor(wati):
    device = TOTPDevice.objects.create(user=wati, name="phone", confirmed=True)
    client = Client()
    _login(client, wati.email)
    assert client.get("/api/v1/me").status_code == 403
    response = client.get(reverse("accounts:account"))
    assert response["Location"].startswith(reverse("accounts:2fa_verify"))
    assert client.post(reverse("accounts:2fa_verify"), {"token": _code(device)}).status_code == 302
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_redirect_keeps_the_requested_page_encoded(alice):
    client = Client()
    _login(client, alice.email)
    response = client.get("/accounts/agencies/?kind=health&page=2")
    assert response["Location"] == (
        reverse("accounts:2fa_setup") + "?next=%2Faccounts%2Fagencies%2F%3Fkind%3Dhealth%26page%3D2"
    )
