"""Issue 19, weakness 10: five wrong passwords locked any known account for 30
minutes, whoever typed them (lockout by e-mail alone: anyone could lock a worker or
an officer out). The lock now holds the e-mail and the address together."""

import pytest
from django.conf import settings
from django.test import Client

from conftest import PASSWORD
from garda.audit.models import AuditEvent

LOGIN = "/accounts/login/"


def _post_login(email: str, password: str, ip: str):
    return Client().post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_a_stranger_cannot_lock_the_owner_out(wati):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _post_login("wati@example.org", f"guess-{i}-xxxxxx", ip="198.51.100.66")
    # The stranger's address is locked for this account...
    assert _post_login("wati@example.org", PASSWORD, ip="198.51.100.66").status_code == 429
    assert AuditEvent.objects.filter(action="lockout", object_id=str(wati.pk)).exists()
    # ...and Wati, from her own address, still logs in.
    assert _post_login("wati@example.org", PASSWORD, ip="10.0.0.7").status_code == 302
