"""Worker self-service sign-up: /accounts/signup/."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.models import AuditEvent

GOOD = {
    "email": "Sari@Example.org",
    "full_name": "Sari Dewi",
    "password1": "Tanjung-Priok-77",
    "password2": "Tanjung-Priok-77",
}


@pytest.mark.django_db
def test_worker_signs_up_is_logged_in_and_sent_to_complete_the_profile():
    client = Client()
    assert client.get(reverse("accounts:signup")).status_code == 200
    response = client.post(reverse("accounts:signup"), GOOD)
    assert response.status_code == 302 and response.url == reverse("people:me")
    user = User.objects.get(email="sari@example.org")
    assert user.role == roles.WORKER and user.agency is None and not user.is_staff
    assert user.full_name == "Sari Dewi" and user.check_password("Tanjung-Priok-77")
    assert AuditEvent.objects.filter(action="create", object_id=str(user.pk)).exists()
    assert AuditEvent.objects.filter(action="login", actor=user).exists()
    profile = client.get(response.url)
    assert profile.status_code == 200
    assert "form" in profile.context  # "complete your profile"


@pytest.mark.django_db
def test_an_existing_email_is_refused_whatever_its_case(wati):
    response = Client().post(reverse("accounts:signup"), {**GOOD, "email": "WATI@example.org"})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["email"]] == ["email_taken"]
    assert User.objects.filter(email__iexact="wati@example.org").count() == 1


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


@pytest.mark.django_db
def test_signed_in_users_are_sent_home(wati, alice):
    for user in (wati, alice):
        response = verified_client(user).get(reverse("accounts:signup"))
        assert response.status_code == 302 and response.url == reverse("home")
    posted = verified_client(wati).post(
        reverse("accounts:signup"), {**GOOD, "email": "other@example.org"}
    )
    assert posted.status_code == 302
    assert not User.objects.filter(email="other@example.org").exists()


@pytest.mark.django_db
def test_login_and_anonymous_home_link_to_sign_up(wati):
    signup = f'href="{reverse("accounts:signup")}"'
    assert signup in Client().get(reverse("accounts:login")).content.decode()
    assert signup in Client().get("/").content.decode()
    assert signup not in verified_client(wati).get("/").content.decode()
