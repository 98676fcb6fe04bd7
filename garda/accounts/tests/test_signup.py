"""Worker self-service sign-up: /accounts/signup/, the link mailed to finish it, and
"send the link again" (issue 19: the answer never says who has an account)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.services import signups_unconfirmed_purge
from garda.accounts.tasks import purge_unconfirmed_signups
from garda.audit.models import AuditEvent
from garda.throttles import CACHE_ALIAS

GOOD = {
    "email": "Sari@Example.org",
    "full_name": "Sari Dewi",
    "password1": "Tanjung-Priok-77",
    "password2": "Tanjung-Priok-77",
}
SENT = "Kami mengirim tautan ke <strong>sari@example.org</strong>. Buka tautan itu untuk"


def confirm_link(message) -> str:
    """The path of the confirmation link in a sign-up e-mail."""
    found = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def sign_up(client, capture, **changes):
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(reverse("accounts:signup"), {**GOOD, **changes})
    return response


@pytest.fixture
def fresh_budget():
    """The sign-up budget's counters, empty (they live in the shared throttle cache,
    which outlives a test)."""
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.mark.django_db
def test_worker_signs_up_confirms_by_mail_and_completes_the_profile(
    django_capture_on_commit_callbacks,
):
    client = Client()
    assert client.get(reverse("accounts:signup")).status_code == 200
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert SENT in response.content.decode()
    user = User.objects.get(email="sari@example.org")
    assert user.role == roles.WORKER and user.agency is None and not user.is_staff
    assert user.full_name == "Sari Dewi" and user.check_password("Tanjung-Priok-77")
    assert not user.is_active and user.unconfirmed_since is not None
    assert AuditEvent.objects.filter(action="create", object_id=str(user.pk)).exists()

    [message] = mail.outbox
    assert message.to == ["sari@example.org"]
    assert message.subject == "Garda: selesaikan pendaftaran"
    assert "Jika itu Anda, buka tautan ini" in message.body
    link = confirm_link(message)

    page = client.get(link)
    assert page.status_code == 200
    assert "Ketik kata sandi yang Anda pilih" in page.content.decode()
    assert User.objects.get(pk=user.pk).is_active is False  # opening the link changes nothing
    wrong = client.post(link, {"password": "Tanjung-Priok-78"})
    assert wrong.status_code == 200
    assert "Ini bukan kata sandi yang Anda pilih" in wrong.content.decode()
    done = client.post(link, {"password": "Tanjung-Priok-77"})
    assert done.status_code == 302 and done.url == reverse("people:me")
    user.refresh_from_db()
    assert user.is_active and user.unconfirmed_since is None
    assert AuditEvent.objects.filter(action="login", actor=user).exists()
    assert AuditEvent.objects.filter(
        action="update", object_id=str(user.pk), reason="sign-up confirmed by e-mail"
    ).exists()
    profile = client.get(done.url)
    assert profile.status_code == 200
    assert "form" in profile.context  # "complete your profile"


@pytest.mark.django_db
def test_signing_up_again_before_confirming_replaces_the_password_and_kills_old_links(
    django_capture_on_commit_callbacks,
):
    client = Client()
    sign_up(client, django_capture_on_commit_callbacks)
    first = confirm_link(mail.outbox[0])
    sign_up(
        client,
        django_capture_on_commit_callbacks,
        password1="Kali-Besar-2026",
        password2="Kali-Besar-2026",
        full_name="Sari D.",
    )
    second = confirm_link(mail.outbox[0])
    assert User.objects.filter(email="sari@example.org").count() == 1
    assert client.get(first).status_code == 400
    assert client.post(second, {"password": "Tanjung-Priok-77"}).status_code == 200
    assert client.post(second, {"password": "Kali-Besar-2026"}).status_code == 302
    assert User.objects.get(email="sari@example.org").full_name == "Sari D."


@pytest.mark.django_db
def test_the_link_can_be_asked_for_again(django_capture_on_commit_callbacks):
    client = Client()
    sign_up(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup_resend"), {"email": "SARI@example.org"})
    assert response.status_code == 200 and SENT in response.content.decode()
    link = confirm_link(mail.outbox[0])
    assert client.post(link, {"password": GOOD["password1"]}).status_code == 302


@pytest.mark.django_db
def test_unconfirmed_signups_are_deleted_after_the_set_days_and_the_address_is_free(
    wati, django_capture_on_commit_callbacks, settings
):
    client = Client()
    sign_up(client, django_capture_on_commit_callbacks)
    sign_up(client, django_capture_on_commit_callbacks, email="fresh@example.org")
    old = timezone.now() - timedelta(days=settings.GARDA_SIGNUP_UNCONFIRMED_DAYS, hours=1)
    User.objects.filter(email="sari@example.org").update(unconfirmed_since=old)
    User.objects.filter(pk=wati.pk).update(is_active=False)  # closed by an admin: kept
    stale = User.objects.get(email="sari@example.org")
    assert purge_unconfirmed_signups.call_local() == 1
    assert not User.objects.filter(email="sari@example.org").exists()
    assert User.objects.filter(email="fresh@example.org").exists()
    assert User.objects.filter(pk=wati.pk).exists()
    assert AuditEvent.objects.filter(
        action="delete", object_id=str(stale.pk), reason="sign-up not confirmed in time"
    ).exists()
    assert signups_unconfirmed_purge() == 0
    # The address signs up again, as new.
    sign_up(client, django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject == "Garda: selesaikan pendaftaran"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"password2": "Tanjung-Priok-78"}, "password2", "password_mismatch"),
        ({"password1": "short", "password2": "short"}, "password1", "password_too_short"),
        ({"password1": "1234567890123", "password2": "1234567890123"}, "password1", None),
        ({"password1": "sari@example.org", "password2": "sari@example.org"}, "password1", None),
        ({"password1": "Garda-Jakarta-1", "password2": "Garda-Jakarta-1"}, "password1", None),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"full_name": ""}, "full_name", "required"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(changes, field, code):
    response = Client().post(reverse("accounts:signup"), {**GOOD, **changes})
    assert response.status_code == 200
    codes = [e.code for e in response.context["form"].errors.as_data().get(field, [])]
    assert codes, response.context["form"].errors
    if code:
        assert code in codes
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not User.objects.filter(email="sari@example.org").exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_sign_ups_from_one_address_are_limited(
    fresh_budget, settings, django_capture_on_commit_callbacks
):
    settings.GARDA_SIGNUP_RATE = "2/h"
    client = Client()
    for n in range(2):
        assert sign_up(client, django_capture_on_commit_callbacks, email=f"s{n}@example.org")
    response = sign_up(client, django_capture_on_commit_callbacks, email="s3@example.org")
    assert response.status_code == 429
    assert "Terlalu banyak pendaftaran" in response.content.decode()
    assert not mail.outbox
    resend = client.post(reverse("accounts:signup_resend"), {"email": "s0@example.org"})
    assert resend.status_code == 429


@pytest.mark.django_db
def test_signed_in_users_are_sent_home(wati, alice):
    for user in (wati, alice):
        for name in ("accounts:signup", "accounts:signup_resend"):
            response = verified_client(user).get(reverse(name))
            assert response.status_code == 302 and response.url == reverse("home")
    posted = verified_client(wati).post(
        reverse("accounts:signup"), {**GOOD, "email": "other@example.org"}
    )
    assert posted.status_code == 302
    assert not User.objects.filter(email="other@example.org").exists()


@pytest.mark.django_db
def test_login_and_anonymous_home_link_to_sign_up(wati):
    signup = f'href="{reverse("accounts:signup")}"'
    login_page = Client().get(reverse("accounts:login")).content.decode()
    assert signup in login_page
    assert f'href="{reverse("accounts:signup_resend")}"' in login_page
    assert signup in Client().get("/").content.decode()
    assert signup not in verified_client(wati).get("/").content.decode()
