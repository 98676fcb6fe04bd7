"""Legal holds and the retention page: who may place and lift a hold (and on what), the
refusals audited, bad input refused in Indonesian, and the retention page's counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.compliance.models import LegalHold
from garda.compliance.services.holds import hold_place
from garda.compliance.tests.helpers import inactive_person
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def test_a_supervisor_places_and_lifts_a_hold_on_the_page(bob, alice):
    person = register(serial=1, actor=alice, full_name="Siti Aminah")
    client = verified_client(bob)
    response = client.post(
        reverse("compliance:holds"),
        {"reference": person.reference.lower(), "reason": "Laporan ke Polda Metro Jaya"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(person=person)
    assert hold.in_force and hold.placed_by == bob
    assert AuditEvent.objects.filter(
        object_type="compliance.legalhold", object_id=str(hold.pk), action="create"
    ).exists()
    page = client.get(reverse("compliance:holds")).content.decode()
    assert person.reference in page and "Berlaku" in page

    response = client.post(
        reverse("compliance:hold_lift", args=[hold.pk]), {"lift_reason": "Perkara dihentikan"}
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_by == bob and hold.lift_reason == "Perkara dihentikan"
    assert not hold.in_force
    # Lifting again is refused, in words.
    response = client.post(
        reverse("compliance:hold_lift", args=[hold.pk]), {"lift_reason": "sekali lagi"}, follow=True
    )
    assert "Penahanan ini sudah dicabut." in response.content.decode()


def test_bad_input_is_refused_in_indonesian(bob):
    client = verified_client(bob)
    response = client.post(
        reverse("compliance:holds"),
        {"reference": "PMI-1999-999999", "reason": "x", "ends_on": "2000-01-01"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tanggal berakhir tidak boleh di masa lalu." in page
    response = client.post(
        reverse("compliance:holds"),
        {"reference": "PMI-1999-999999", "reason": "Sengketa ahli waris"},
    )
    assert "Tidak ada orang atau kasus dengan nomor ini." in response.content.decode()
    assert not LegalHold.objects.exists()


def test_a_supervisor_cannot_lift_another_agencys_hold(bob, carol, alice, dinsos):
    from conftest import make_user
    from garda.accounts import roles

    other = make_user("sari@example.org", roles.SUPERVISOR, dinsos, full_name="Sari")
    person = register(serial=2, actor=carol, full_name="Dewi")
    hold = hold_place(actor=other, person=person, reason="Gugatan perdata")
    response = verified_client(bob).post(
        reverse("compliance:hold_lift", args=[hold.pk]), {"lift_reason": "Saya cabut saja"}
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=bob, action="denied", object_type="compliance.legalhold", object_id=str(hold.pk)
    ).exists()
    hold.refresh_from_db()
    assert hold.lifted_at is None
    assert (
        person.reference
        not in verified_client(bob).get(reverse("compliance:holds")).content.decode()
    )


@pytest.mark.parametrize("persona", ["alice", "wati", "teguh"])
def test_other_roles_may_not_place_holds(persona, request, alice):
    user = request.getfixturevalue(persona)
    person = register(serial=3, actor=alice, full_name="Siti")
    client = verified_client(user)
    assert client.get(reverse("compliance:holds")).status_code == 403
    response = client.post(
        reverse("compliance:holds"), {"reference": person.reference, "reason": "Iseng saja dong"}
    )
    assert response.status_code == 403
    response = client.post(
        "/api/v1/legal-holds",
        {"reference": person.reference, "reason": "Iseng saja dong"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not LegalHold.objects.exists()
    assert AuditEvent.objects.filter(actor=user, action="denied").count() >= 3


def test_the_api_places_and_lifts_holds(bob, alice):
    person = register(serial=4, actor=alice, full_name="Siti")
    client = verified_client(bob)
    response = client.post(
        "/api/v1/legal-holds",
        {"reference": person.reference, "reason": "Penyidikan TPPO"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    hold_id = response.json()["id"]
    assert response.json()["in_force"] is True
    response = client.post(
        f"/api/v1/legal-holds/{hold_id}/lift",
        {"lift_reason": "x"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 422
    assert "Sebutkan alasannya dalam beberapa kata." in response.content.decode()
    response = client.post(
        f"/api/v1/legal-holds/{hold_id}/lift",
        {"lift_reason": "Perkara selesai"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["in_force"] is False


def test_the_retention_page_lists_every_rule_with_its_count(admin_user, alice, bob):
    inactive_person(serial=1, officer=alice, name="Siti Aminah")
    held = inactive_person(serial=2, officer=alice, name="Rina")
    hold_place(actor=bob, person=held, reason="Sengketa di pengadilan")
    client = verified_client(admin_user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("compliance:retention"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Orang yang tidak pernah berangkat dan tidak aktif" in page
    assert "5 tahun setelah perubahan terakhir datanya" in page
    assert "pasal 43" in page  # the legal basis, in Indonesian
    assert "Jejak audit" in page and "disimpan selamanya" in page
    assert "<strong>1</strong>" in page
    assert len(ctx.captured_queries) < 40  # two counts per rule, plus the session
    assert "Siti" not in page  # counts, never names


@pytest.mark.parametrize("persona", ["bob", "alice", "wati"])
def test_only_admins_open_the_retention_page(persona, request):
    user = request.getfixturevalue(persona)
    client = verified_client(user)
    assert client.get(reverse("compliance:retention")).status_code == 403
    assert client.get("/api/v1/retention/rules").status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 2


def test_the_api_lists_the_rules(admin_user):
    body = verified_client(admin_user).get("/api/v1/retention/rules").json()
    codes = [r["code"] for r in body]
    assert codes[0] == "people_inactive" and "audit" in codes
    audit = next(r for r in body if r["code"] == "audit")
    assert audit["due"] is None
