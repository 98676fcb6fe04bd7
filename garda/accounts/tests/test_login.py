"""Log-in, lockout (docs/security.md, test 8), session fixation (test 10)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from garda.audit.models import AuditEvent

LOGIN = "/accounts/login/"


def _post_login(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_login_with_email_rotates_the_session(wati):
    client = Client()
    client.get(LOGIN)
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-key"
    response = _post_login(client, "WATI@example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != "attacker-chosen-session-key"
    assert AuditEvent.objects.filter(action="login", actor=wati).count() == 1


@pytest.mark.django_db
def test_wrong_password_is_refused_in_indonesian_and_audited_without_the_email(wati):
    response = _post_login(Client(), "wati@example.org", "wrong-password-123")
    assert response.status_code == 200
    assert "kata sandi" in response.content.decode().lower()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.object_id == str(wati.pk)
    assert "wati@example.org" not in str(event.__dict__)


@pytest.mark.django_db
def test_brute_force_locks_the_account_from_that_address(wati):
    # Issue 19: the lock holds the e-mail and the address together (locking by e-mail
    # alone let anyone lock any account out). Each address gets 5 guesses per account
    # per cool-off; a stranger locking Wati out: test_issue19_lockout.py.
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "wati@example.org", f"guess-{i}-xxxxxx", ip="10.1.0.1")
    # The right password during the cool-off, from the same address, is still refused.
    response = _post_login(Client(), "wati@example.org", PASSWORD, ip="10.1.0.1")
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session
    assert "30" in response.content.decode()  # says how long to wait
    assert AuditEvent.objects.filter(action="lockout", object_id=str(wati.pk)).exists()


@pytest.mark.django_db
def test_a_few_typos_in_a_shared_office_lock_no_one_else(wati, tono):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post_login(Client(), f"staff{i}@example.org", "typo-typo-123", ip="10.2.0.1")
    assert _post_login(Client(), "tono@example.org", PASSWORD, ip="10.2.0.1").status_code == 302


@pytest.mark.django_db
def test_one_ip_spraying_many_accounts_is_refused(wati, tono, settings):
    settings.LOGIN_FAILURES_PER_IP = 8
    for i in range(8):
        _post_login(Client(), f"nobody{i}@example.org", "Password-2026", ip="10.2.0.1")
    response = _post_login(Client(), "tono@example.org", PASSWORD, ip="10.2.0.1")
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="lockout", reason="ip").exists()
    # Another address is not affected.
    assert _post_login(Client(), "tono@example.org", PASSWORD, ip="10.3.0.1").status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_client_address_counts(wati, settings):
    settings.PROXY_COUNT = 1
    settings.LOGIN_FAILURES_PER_IP = 3
    for i in range(3):
        Client().post(
            LOGIN,
            {"username": f"x{i}@example.org", "password": "nope-nope-1"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, 203.0.113.{i}",
        )
    # Three different clients behind the same proxy: none of them is refused.
    ok = Client().post(
        LOGIN,
        {"username": "wati@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert ok.status_code == 302
    event = AuditEvent.objects.filter(action="login").get()
    assert event.ip == "203.0.113.9"


@pytest.mark.django_db
def test_logged_in_user_is_sent_home_from_login_page(wati):
    client = Client()
    client.force_login(wati)
    assert client.get(LOGIN).status_code == 302


@pytest.mark.django_db
def test_logout_ends_session_and_old_cookie_is_refused(wati):
    client = Client()
    _post_login(client, "wati@example.org", PASSWORD)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("accounts:logout")).status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert replay.get("/api/v1/me").status_code == 401
    assert replay.get(reverse("accounts:account")).status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=wati).count() == 1


@pytest.mark.django_db
def test_logout_by_get_is_not_allowed(wati):
    client = Client()
    client.force_login(wati)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get("/api/v1/me").status_code == 200
