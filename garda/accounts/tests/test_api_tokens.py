import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from garda.accounts.models import ApiToken
from garda.accounts.services import api_token_revoke, user_deactivate


def _create(email: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", email, "--name", "SISKOP2MI", stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.mark.django_db
def test_token_is_printed_once_and_only_its_hash_is_stored(alice):
    key = _create(alice.email)
    assert key.startswith("garda_") and len(key) > 40
    token = ApiToken.objects.get(user=alice)
    assert token.key_hash != key and key not in token.key_hash
    assert token.key_prefix == key[:12]
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["email"] == alice.email
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_unknown_user_is_a_clear_error():
    with pytest.raises(CommandError, match="No user"):
        _create("nobody@example.org")


@pytest.mark.django_db
def test_revoked_and_wrong_tokens_get_401(alice, admin_user):
    key = _create(alice.email)
    api_token_revoke(actor=admin_user, token=ApiToken.objects.get(user=alice))
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "Silakan masuk terlebih dahulu.", "errors": []}
    wrong = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer garda_not-a-token")
    assert wrong.status_code == 401


@pytest.mark.django_db
def test_deactivating_a_user_revokes_their_tokens(alice, admin_user):
    key = _create(alice.email)
    user_deactivate(actor=admin_user, user=alice, reason="left")
    assert ApiToken.objects.get(user=alice).revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_bearer_requests_need_no_csrf_but_session_posts_do(alice):
    from conftest import verified_client

    key = _create(alice.email)
    body = {"nik": "3171014101900001"}
    by_token = Client(enforce_csrf_checks=True).post(
        "/api/v1/nik/check",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert by_token.status_code == 200
    session = verified_client(alice)
    session.handler.enforce_csrf_checks = True
    no_csrf = session.post("/api/v1/nik/check", body, content_type="application/json")
    assert no_csrf.status_code == 403


@pytest.mark.django_db
def test_password_change_revokes_tokens_with_an_audit_row(alice):
    from garda.accounts.services import user_password_set
    from garda.audit.models import AuditEvent

    key = _create(alice.email)
    user_password_set(actor=alice, user=alice, password="Monas-Bersinar-88", reason="test")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    token = ApiToken.objects.get(user=alice)
    assert (
        AuditEvent.objects.filter(
            object_type="accounts.apitoken", object_id=str(token.pk), changed_fields=["revoked_at"]
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_stray_anonymous_session_cookie_does_not_block_a_bearer_post(alice):
    from django.conf import settings as dj

    key = _create(alice.email)
    client = Client(enforce_csrf_checks=True)
    client.cookies[dj.SESSION_COOKIE_NAME] = "left-over-anonymous-session"
    response = client.post(
        "/api/v1/nik/check",
        {"nik": "3171014101900001"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200
