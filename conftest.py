"""Personas shared by every app's tests (STYLE.md rule 9).

alice: officer at Disnakertransgi; bob: her supervisor; carol: officer at Dinsos, who
must not see alice's agency's work; teguh: trainer; putri: partner at BP3MI; admin;
wati and tono: workers.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from garda.accounts import roles
from garda.accounts.models import Agency, User

PASSWORD = "Correct-Horse-Battery-9"


def make_user(email: str, role: str, agency: Agency | None = None, **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, agency=agency, is_staff=role == roles.ADMIN, **extra
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def verified_client(user: User) -> Client:
    """A logged-in client; staff have passed the second factor."""
    client = Client()
    client.force_login(user)
    if user.role in roles.STAFF:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def disnaker(db) -> Agency:
    return Agency.objects.create(
        name="Dinas Tenaga Kerja, Transmigrasi dan Energi",
        short_name="Disnakertransgi",
        kind=Agency.Kind.MANPOWER,
    )


@pytest.fixture
def dinsos(db) -> Agency:
    return Agency.objects.create(name="Dinas Sosial", short_name="Dinsos", kind=Agency.Kind.SOCIAL)


@pytest.fixture
def bp3mi(db) -> Agency:
    return Agency.objects.create(
        name="BP3MI DKI Jakarta", short_name="BP3MI", kind=Agency.Kind.BP3MI
    )


@pytest.fixture
def ppkd(db) -> Agency:
    return Agency.objects.create(
        name="PPKD Jakarta Timur", short_name="PPKD JT", kind=Agency.Kind.TRAINING
    )


@pytest.fixture
def alice(disnaker) -> User:
    return make_user("alice@example.org", roles.OFFICER, disnaker, full_name="Alice")


@pytest.fixture
def bob(disnaker) -> User:
    return make_user("bob@example.org", roles.SUPERVISOR, disnaker, full_name="Bob")


@pytest.fixture
def carol(dinsos) -> User:
    return make_user("carol@example.org", roles.OFFICER, dinsos, full_name="Carol")


@pytest.fixture
def teguh(ppkd) -> User:
    return make_user("teguh@example.org", roles.TRAINER, ppkd, full_name="Teguh")


@pytest.fixture
def putri(bp3mi) -> User:
    return make_user("putri@example.org", roles.PARTNER, bp3mi, full_name="Putri")


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin@example.org", roles.ADMIN, full_name="Admin")


@pytest.fixture
def wati(db) -> User:
    return make_user("wati@example.org", roles.WORKER, full_name="Wati")


@pytest.fixture
def tono(db) -> User:
    return make_user("tono@example.org", roles.WORKER, full_name="Tono")


@pytest.fixture
def personas(admin_user, bob, alice, carol, teguh, putri, wati, tono) -> dict[str, User]:
    """One user per role, keyed by role name."""
    return {
        roles.ADMIN: admin_user,
        roles.SUPERVISOR: bob,
        roles.OFFICER: alice,
        roles.TRAINER: teguh,
        roles.PARTNER: putri,
        roles.WORKER: wati,
    }
