"""Issue 19, weakness 10 (first half): sign-up told whether an e-mail had an account
("An account with this e-mail already exists"), and a new account logged in at once.

Written as the attacks: the answers for a known and an unknown address are the same
bytes (but for the address typed and the CSRF token) and cost the same work; nobody
uses an account before opening the link mailed to the address; the link cannot be
reused, forged or used late; someone who signs up with another person's address
cannot finish, and cannot make its owner finish into an account they control."""

import re
import time
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core import mail, signing
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from garda.accounts.models import User
from garda.accounts.services import SIGNUP_SALT, signup_token
from garda.audit.models import AuditEvent
from garda.throttles import CACHE_ALIAS

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
NEW_PASSWORD = "Tanjung-Priok-77"


def _form(email: str, password: str = NEW_PASSWORD) -> dict:
    return {"email": email, "full_name": "Sari Dewi", "password1": password, "password2": password}


def _answer(response, email: str) -> tuple:
    """What a client learns from a response, with the address it typed, the CSRF
    token and the request's random id taken out."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", body)
    body = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", body)
    body = body.replace(email, "ADDRESS")
    varying = {"set-cookie", "content-length", "x-request-id"}
    headers = sorted((k.lower(), v) for k, v in response.items() if k.lower() not in varying)
    return response.status_code, headers, body


def _sign_up(email: str, capture, password: str = NEW_PASSWORD):
    client = Client()
    client.get(SIGNUP)
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(SIGNUP, _form(email, password))
    return client, response


def _logs_in(email: str, password: str) -> bool:
    client = Client()
    client.post(LOGIN, {"username": email, "password": password})
    return "_auth_user_id" in client.session


def _link(message) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/signup/confirm/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


@pytest.fixture
def fresh_budget():
    """The sign-up budget's counters, empty (they live in the shared throttle cache,
    which outlives a test)."""
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.mark.django_db
def test_known_and_unknown_addresses_get_byte_identical_answers(
    wati, django_capture_on_commit_callbacks
):
    _c, unknown = _sign_up("nobody.here@example.org", django_capture_on_commit_callbacks)
    _c, known = _sign_up("wati@example.org", django_capture_on_commit_callbacks)
    _c, pending = _sign_up("nobody.here@example.org", django_capture_on_commit_callbacks)
    assert _answer(known, "wati@example.org") == _answer(unknown, "nobody.here@example.org")
    assert _answer(pending, "nobody.here@example.org") == _answer(
        unknown, "nobody.here@example.org"
    )
    assert "sudah ada" not in known.content.decode().lower()
    # Same case-folding either way: "WATI@…" gets the same page too.
    _c, upper = _sign_up("WATI@example.org", django_capture_on_commit_callbacks)
    assert _answer(upper, "wati@example.org") == _answer(known, "wati@example.org")


@pytest.mark.django_db
def test_the_answer_costs_the_same_work_either_way(
    wati, django_capture_on_commit_callbacks, monkeypatch
):
    """One password hash each way (the expensive step: Argon2 in production), one
    audit row, one e-mail."""
    hasher = type(get_hasher("default"))
    encode = hasher.encode
    calls = []

    def counting(self, *args, **kwargs):
        calls.append(1)
        return encode(self, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting)
    for email in ("nobody.here@example.org", "wati@example.org", "nobody.here@example.org"):
        calls.clear()
        before = AuditEvent.objects.count()
        _sign_up(email, django_capture_on_commit_callbacks)
        assert len(calls) == 1, email
        assert AuditEvent.objects.count() == before + 1, email
        assert len(mail.outbox) == 1, email


@pytest.mark.django_db
def test_the_owner_of_a_known_address_is_told_by_mail_and_nothing_is_created(
    wati, django_capture_on_commit_callbacks
):
    _c, response = _sign_up("WATI@example.org", django_capture_on_commit_callbacks)
    assert User.objects.filter(email__iexact="wati@example.org").count() == 1
    wati.refresh_from_db()
    assert wati.check_password(PASSWORD) and wati.is_active  # untouched
    [message] = mail.outbox
    assert message.to == ["wati@example.org"]
    assert message.subject == "Garda: Anda sudah punya akun"
    assert "Seseorang mencoba membuat akun Garda dengan alamat Anda" in message.body
    reset = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", message.body)
    assert reset, message.body
    # The reset link in it works.
    client = Client()
    page = client.get(reset.group(1), follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()


@pytest.mark.django_db
def test_resending_the_link_answers_the_same_for_anyone(wati, django_capture_on_commit_callbacks):
    answers = []
    for email in ("wati@example.org", "nobody.here@example.org"):
        client = Client()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:signup_resend"), {"email": email})
        answers.append(_answer(response, email))
        assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
        assert "/accounts/signup/confirm/" not in mail.outbox[0].body
    assert answers[0] == answers[1]


@pytest.mark.django_db
def test_no_account_can_be_used_before_its_link_is_opened(django_capture_on_commit_callbacks):
    client, _response = _sign_up("sari@example.org", django_capture_on_commit_callbacks)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("people:me")).status_code == 302  # to the log-in page
    login = Client().post(LOGIN, {"username": "sari@example.org", "password": NEW_PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in login.client.session


@pytest.mark.django_db
def test_a_stranger_who_signs_up_with_my_address_cannot_finish_nor_make_me_finish_into_it(
    django_capture_on_commit_callbacks,
):
    """The link needs the mailbox and the password chosen: the stranger has only the
    password; the address's owner, clicking the link, does not know it. Signing up
    herself replaces the stranger's password and kills the stranger's link."""
    _sign_up("sari@example.org", django_capture_on_commit_callbacks, password="Orang-Asing-99")
    strangers_link = _link(mail.outbox[0])
    owner = Client()
    assert owner.post(strangers_link, {"password": NEW_PASSWORD}).status_code == 200
    assert not User.objects.get(email="sari@example.org").is_active
    _sign_up("sari@example.org", django_capture_on_commit_callbacks)
    assert owner.post(strangers_link, {"password": "Orang-Asing-99"}).status_code == 400
    done = owner.post(_link(mail.outbox[0]), {"password": NEW_PASSWORD})
    assert done.status_code == 302
    assert not _logs_in("sari@example.org", "Orang-Asing-99")
    assert _logs_in("sari@example.org", NEW_PASSWORD)


@pytest.mark.django_db
def test_a_link_cannot_be_used_twice(django_capture_on_commit_callbacks):
    client, _r = _sign_up("sari@example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    assert client.post(link, {"password": NEW_PASSWORD}).status_code == 302
    again = Client()
    assert again.get(link).status_code == 400
    response = again.post(link, {"password": NEW_PASSWORD})
    assert response.status_code == 400 and "_auth_user_id" not in again.session
    assert "Tautan ini tidak berlaku lagi" in response.content.decode()


@pytest.mark.django_db
def test_a_link_cannot_be_forged(wati, django_capture_on_commit_callbacks):
    _sign_up("sari@example.org", django_capture_on_commit_callbacks)
    sari = User.objects.get(email="sari@example.org")
    token = signup_token(sari)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # tampered signature
        signing.dumps({"u": sari.pk, "s": "0" * 24}, salt=SIGNUP_SALT),  # wrong state
        signing.dumps({"u": sari.pk}, salt=SIGNUP_SALT, key="not-the-secret-key-at-all-x"),
        signing.dumps({"u": wati.pk, "s": "0" * 24}, salt=SIGNUP_SALT),  # another account
        signing.dumps({"u": sari.pk}, salt="django.contrib.sessions"),  # another signer's
        "not-a-token",
    ]
    for bad in forged:
        client = Client()
        path = reverse("accounts:signup_confirm", args=[bad])
        assert client.get(path).status_code == 400, bad
        assert client.post(path, {"password": NEW_PASSWORD}).status_code == 400, bad
    assert not User.objects.get(pk=sari.pk).is_active


@pytest.mark.django_db
def test_a_link_expires(settings, django_capture_on_commit_callbacks):
    _sign_up("sari@example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    later = time.time() + settings.GARDA_SIGNUP_LINK_HOURS * 3600 + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert Client().post(link, {"password": NEW_PASSWORD}).status_code == 400
    assert not User.objects.get(email="sari@example.org").is_active
    assert Client().post(link, {"password": NEW_PASSWORD}).status_code == 302  # in time: works


@pytest.mark.django_db
def test_guessing_the_password_behind_a_forwarded_link_is_limited(
    fresh_budget, settings, django_capture_on_commit_callbacks
):
    _sign_up("sari@example.org", django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    settings.GARDA_SIGNUP_RATE = "4/h"  # the sign-up used one
    guesser = Client()
    answers = [guesser.post(link, {"password": f"Tebak-Tebak-{n}"}).status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    assert guesser.post(link, {"password": NEW_PASSWORD}).status_code == 429
    assert not User.objects.get(email="sari@example.org").is_active
