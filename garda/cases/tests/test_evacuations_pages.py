"""Evacuations and the arrivals board on the staff pages (views/evacuations.py) and the
printable sheets (arrivals_pdf.py): plain forms without JavaScript, messages in words,
bad rows named with nothing written, PDFs with names and flights and no NIK."""

import io
import re
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import verified_client
from garda.cases.models import Evacuation, Repatriation
from garda.cases.services import repatriation as svc
from garda.cases.tests.test_evacuations_api import sudan
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def evac(alice):
    return svc.evacuation_create(
        actor=alice, name="Evakuasi Sudan", country=sudan(), cause="Konflik"
    )


def test_start_an_evacuation_from_the_list(alice):
    client = verified_client(alice)
    r = client.get(reverse("cases:evacuations"))
    assert r.status_code == 200
    r = client.post(reverse("cases:evacuation_create"), {"name": "", "cause": ""})
    assert r.status_code == 200 and r.context["form"].errors
    sudan()
    r = client.post(
        reverse("cases:evacuation_create"),
        {"name": "Evakuasi Sudan", "country": "SD", "cause": "Konflik"},
        follow=True,
    )
    evac = Evacuation.objects.get()
    assert r.redirect_chain[-1][0] == reverse("cases:evacuation", args=[evac.pk])
    assert evac.reference in " ".join(messages_of(r))
    assert "Evakuasi Sudan" in client.get(reverse("cases:evacuations")).content.decode()


def test_add_people_from_a_list_names_bad_rows_and_writes_nothing(alice, evac):
    client = verified_client(alice)
    url = reverse("cases:evacuation_people", args=[evac.pk])
    r = client.post(url, {"people": "Siti Aminah;GA 991;kursi roda\nBudi;GA 991;terbang\n"})
    assert r.status_code == 422
    assert re.search(r"(Row|Baris) 2", r.content.decode())
    assert not Repatriation.objects.exists()

    r = client.post(
        url,
        {"people": "Siti Aminah;GA 991;kursi roda, medis\nBudi;GA 991\nAni\n"},
        follow=True,
    )
    assert r.status_code == 200
    assert any("3" in m for m in messages_of(r))
    siti = Repatriation.objects.get(name="Siti Aminah")
    assert siti.flight == "GA 991" and siti.needs == ["wheelchair", "medical"]

    csv_file = SimpleUploadedFile(
        "orang.csv", b"nama,penerbangan,kebutuhan\nCici,QR 1,pendamping\n"
    )
    r = client.post(url, {"people": "", "file": csv_file})
    assert r.status_code == 302
    assert Repatriation.objects.get(name="Cici").needs == ["escort"]

    page = client.get(reverse("cases:evacuation", args=[evac.pk])).content.decode()
    assert "Siti Aminah" in page and 'name="ids"' in page and "GA 991" in page


def test_bulk_actions_report_done_and_blocked_by_name(alice, evac, django_assert_max_num_queries):
    client = verified_client(alice)
    reps = svc.repatriations_start_many(
        actor=alice,
        evacuation=evac,
        people=[{"name": f"Orang {i:02d}", "flight": "GA 7"} for i in range(40)],
    )
    url = reverse("cases:evacuation_bulk", args=[evac.pk])
    r = client.post(
        url, {"action": "complete", "step": "health_confirmed", "flight": "GA 7"}, follow=True
    )
    assert any(re.search(r"40 (done|selesai)", m) for m in messages_of(r))
    r = client.post(
        url,
        {"action": "complete", "step": "travel_document", "ids": [reps[0].pk, reps[1].pk]},
        follow=True,
    )
    r = client.post(url, {"action": "complete", "step": "ticket", "flight": "GA 7"}, follow=True)
    text = " ".join(messages_of(r))
    assert re.search(r"2 (done|selesai)", text) and re.search(r"38 (not yet|belum bisa)", text)
    assert "Orang 02" in text and "Orang 00" not in text.split(";", 1)[1]

    # The people table: the same few queries for 40 people as for 4 (no N+1).
    with django_assert_max_num_queries(25):
        page = client.get(reverse("cases:evacuation", args=[evac.pk]))
    assert page.content.decode().count('name="ids"') == 40

    r = client.post(
        url,
        {
            "action": "travel",
            "ids": [reps[0].pk],
            "new_flight": "ga 8",
            "arrives_at": at(1, 14).strftime("%Y-%m-%dT%H:%M"),
            "debarkation": "cgk",
        },
        follow=True,
    )
    reps[0].refresh_from_db()
    assert reps[0].flight == "GA 8" and reps[0].debarkation == "cgk"
    assert reps[0].arrives_at == at(1, 14)

    # Nobody chosen: said in words, nothing done.
    r = client.post(url, {"action": "complete", "step": "arrival"}, follow=True)
    assert messages_of(r) and not Repatriation.objects.filter(status="arrived").exists()

    r = client.post(reverse("cases:evacuation_close", args=[evac.pk]), follow=True)
    assert any("40" in m for m in messages_of(r))
    evac.refresh_from_db()
    assert evac.status == "open"


def test_list_per_flight_and_its_pdf_without_nik(alice, evac):
    person = register(serial=77, full_name="Warga Terdaftar", actor=alice)
    svc.repatriations_start_many(
        actor=alice,
        evacuation=evac,
        people=[
            {"person": person, "name": "", "flight": "GA 990", "arrives_at": at(1, 10)},
            {"name": "Tanpa Penerbangan"},
        ],
    )
    client = verified_client(alice)
    page = client.get(reverse("cases:evacuation_flights", args=[evac.pk])).content.decode()
    assert "GA 990" in page and "Warga Terdaftar" in page and "Tanpa Penerbangan" in page
    r = client.get(reverse("cases:evacuation_flights_pdf", args=[evac.pk]))
    text = pdf_text(r)
    assert "GA 990" in text and "Warga Terdaftar" in text and evac.reference in text
    assert person.nik not in text.replace(" ", "")


def test_the_arrivals_board_page_and_sheet(alice, bob, carol, evac):
    person = register(serial=78, full_name="Pulang Terdaftar", actor=alice)
    svc.repatriations_start_many(
        actor=alice,
        evacuation=evac,
        people=[
            {
                "person": person,
                "name": "",
                "flight": "GA 990",
                "arrives_at": at(1, 10),
                "debarkation": "cgk",
                "needs": ["wheelchair"],
            },
            {"name": "Lewat Laut", "arrives_at": at(2, 8), "debarkation": "priok"},
        ],
    )
    client = verified_client(alice)
    r = client.get(reverse("cases:arrivals"))
    page = r.content.decode()
    assert r.status_code == 200
    assert "Pulang Terdaftar" in page and "Lewat Laut" in page and "GA 990" in page
    assert "Banten" in page and len(r.context["days"]) == 2

    today = timezone.localdate()
    r = client.get(reverse("cases:arrivals"), {"from": str(today), "to": str(today - timedelta(1))})
    assert r.status_code == 422 and r.context["error"]

    r = client.get(
        reverse("cases:arrivals_pdf"), {"from": str(today), "to": str(today + timedelta(3))}
    )
    text = pdf_text(r)
    assert "Pulang Terdaftar" in text and "GA 990" in text and "Lewat Laut" in text
    assert re.search(r"tanda\s*tangan|signature", text, re.I)
    assert person.nik not in text.replace(" ", "")

    # Another agency's officer sees none; an admin is not the reception team.
    assert (
        "Pulang Terdaftar"
        not in verified_client(carol).get(reverse("cases:arrivals")).content.decode()
    )
    assert verified_client(bob).get(reverse("cases:arrivals")).status_code == 200
