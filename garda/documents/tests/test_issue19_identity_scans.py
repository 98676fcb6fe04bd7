"""Issue 19, weakness 14: any officer downloaded pending identity scans (KTP, KK,
passport) of anyone from the verification queue. Identity and travel documents now
stay with the officers who accompany the person and the staff of a civil-registry
agency (Dukcapil); other pending documents remain shared verification work."""

import pytest
from django.urls import reverse

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.accounts.models import Agency
from garda.audit.models import AuditEvent
from garda.documents.tests.conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def dukcapil_officer(db):
    agency = Agency.objects.create(
        name="Dinas Dukcapil", short_name="Dukcapil", kind=Agency.Kind.CIVIL_REGISTRY
    )
    return make_user("dedi@example.org", roles.OFFICER, agency, full_name="Dedi")


@pytest.mark.parametrize("code", ["ktp", "kk", "passport"])
def test_an_officer_who_does_not_accompany_cannot_download_an_identity_scan(
    siti, alice, carol, code
):
    document = upload(siti, actor=alice, code=code)  # pending
    client = verified_client(carol)  # Dinsos, not Siti's pendamping
    page = client.get(reverse("documents:file", args=[document.pk, 1]))
    api = client.get(f"/api/v1/documents/{document.pk}/files/1")
    assert page.status_code == api.status_code == 404
    assert AuditEvent.objects.filter(
        actor=carol, action=AuditEvent.Action.DENIED, object_id=str(document.pk)
    ).exists()
    verify = client.post(f"/api/v1/documents/{document.pk}/verify")
    assert verify.status_code == 404
    document.refresh_from_db()
    assert document.status == "pending"


def test_the_pendamping_and_civil_registry_still_download_it(siti, alice, dukcapil_officer):
    document = upload(siti, actor=alice, code="ktp")
    for officer in (alice, dukcapil_officer):
        response = verified_client(officer).get(f"/api/v1/documents/{document.pk}/files/1")
        assert response.status_code == 200, officer


def test_other_pending_documents_stay_shared_work(siti, alice, carol):
    document = upload(siti, actor=alice, code="diploma")
    client = verified_client(carol)
    assert client.get(f"/api/v1/documents/{document.pk}/files/1").status_code == 200
    queue = client.get("/api/v1/documents/queue").json()["items"]
    assert document.pk in [item["id"] for item in queue]
