"""Issue 19, weakness 14: a supervisor of another agency revoked a training centre's
certificate. Only the centre's own agency's supervisor (or an admin) may."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.training.models import Certificate
from garda.training.services.certificates import certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["bob", "dewi"])
def test_a_supervisor_of_another_agency_cannot_revoke(who, request, wati_cert):
    if who == "dewi":
        from conftest import make_user
        from garda.accounts import roles

        user = make_user("dewi@example.org", roles.SUPERVISOR, request.getfixturevalue("dinsos"))
    else:
        user = request.getfixturevalue(who)
    client = verified_client(user)
    page = client.post(
        reverse("training:certificate_revoke", args=[wati_cert.pk]), {"reason": "Data palsu"}
    )
    api = client.post(
        f"/api/v1/certificates/{wati_cert.pk}/revoke",
        {"reason": "Data palsu"},
        content_type="application/json",
    )
    assert page.status_code in (403, 404) and api.status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=user, certificate=wati_cert, reason="Data palsu")
    wati_cert.refresh_from_db()
    assert wati_cert.status == Certificate.Status.VALID
    assert AuditEvent.objects.filter(
        actor=user, action="denied", reason="training.certificate_revoke"
    ).exists()
    detail = client.get(reverse("training:certificate", args=[wati_cert.pk]))
    assert 'id="revoke"' not in detail.content.decode()


def test_the_centres_own_supervisor_and_an_admin_may(wati_cert, ppkd_supervisor, admin_user):
    client = verified_client(ppkd_supervisor)
    response = client.post(
        f"/api/v1/certificates/{wati_cert.pk}/revoke",
        {"reason": "Data palsu"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "revoked"
