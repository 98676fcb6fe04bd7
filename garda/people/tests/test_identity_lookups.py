"""Issue 19, weakness 2: masked identity numbers could be rebuilt. Written as the
outside tester's attacks: a NIK rebuilt from an officer's export (the shown fields
plus the serial the old mask showed), and the districts tried one by one through the
search box (27 searches for one person, audited as "viewed a list"). Each must fail
now: the mask shows no digit, every search by NIK is a throttled look-up audited with
the query's blind index, and the pattern alerts the user's supervisors, once.
"""

import csv
import io
import re
from datetime import date

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.crypto import MASKED, mask
from garda.people.services import lookups
from garda.people.services.registry import nik_index
from garda.people.tests.factories import nik_for, person_data, register
from garda.people.throttles import CACHE_ALIAS

pytestmark = pytest.mark.django_db

BORN = date(1995, 3, 12)
# Jakarta districts, the true one (31.71.01, Gambir) tried last: the tester's order.
DISTRICTS = [f"31{r:02d}{d:02d}" for r in (72, 73, 74, 75) for d in range(1, 8)][:26] + ["317101"]
PRODUCTION_RATE = "20/h"  # garda/settings.py's default


@pytest.fixture(autouse=True)
def _fresh_budgets():
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


@pytest.fixture
def target(gambir, bob):
    """A woman registered by the supervisor (so no officer accompanies her), living
    in Gambir, where her KTP was issued."""
    client = verified_client(bob)
    payload = person_data(
        serial=4321,
        born=BORN,
        full_name="Kartini Wulandari",
        village_code=gambir.code,
        kk_number="3171010101950004",
        passport_number="C1234567",
    )
    response = client.post("/api/v1/people", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    from garda.people.models import Person

    return Person.objects.get(pk=response.json()["id"])


def _rebuild(row: dict) -> str:
    """What the tester did with one export row: the district of the domicile, the
    birth date (+40 for a woman), and the last four characters of the masked NIK."""
    born = date.fromisoformat(row["tanggal_lahir"])
    day = born.day + (40 if row["jenis_kelamin"] == "P" else 0)
    district = row["kode_wilayah"].replace(".", "")[:6]
    return f"{district}{day:02d}{born:%m%y}{row['nik'][-4:]}"


def _csv_rows(client: Client) -> list[dict]:
    response = client.get("/api/v1/people/export.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_nik_cannot_be_rebuilt_from_an_officers_csv_export(alice, target):
    rows = _csv_rows(verified_client(alice))
    row = next(r for r in rows if r["referensi"] == target.reference)
    assert row["nik"] == MASKED
    assert not re.search(r"\d", row["nik"])  # no serial, nor any other digit
    assert _rebuild(row) != target.nik


def test_the_xlsx_export_carries_no_digit_of_a_masked_nik(alice, target):
    response = verified_client(alice).get("/api/v1/people/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = [[c.value for c in r] for r in sheet.iter_rows()]
    row = dict(zip(header, next(r for r in rows if r[0] == target.reference), strict=True))
    assert row["nik"] == MASKED and not re.search(r"\d", row["nik"])


def test_pages_and_api_show_no_digit_of_numbers_the_user_may_not_reveal(alice, target):
    client = verified_client(alice)
    for html in (
        client.get(reverse("people:list")).content.decode(),
        client.get(reverse("people:detail", args=[target.pk])).content.decode(),
    ):
        assert MASKED in html
        assert not re.search(r"\*{4,}\d", html)  # never a mask followed by digits
        for number in (target.nik, target.kk_number, target.passport_number):
            assert number not in html
    listed = client.get("/api/v1/people").json()["items"]
    assert {p["nik"] for p in listed} == {MASKED}
    assert client.get(f"/api/v1/people/{target.pk}").json()["nik"] == MASKED
    # Every number masks alike: neither its digits nor its length are told.
    assert mask(target.passport_number) == mask(target.nik) == MASKED and mask("") == ""


def _lookup_rows(user) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, action="lookup").order_by("id"))


def _assert_no_plaintext(user, numbers: list[str]) -> None:
    for event in AuditEvent.objects.filter(actor=user):
        stored = f"{event.object_id} {event.reason} {event.changed_fields}"
        assert not any(n in stored for n in numbers)


def test_trying_districts_in_the_search_box_is_throttled_audited_and_alerted(
    settings, alice, bob, dinsos, target
):
    settings.GARDA_IDENTITY_LOOKUP_RATE = PRODUCTION_RATE
    other_supervisor = make_user("sri@example.org", roles.SUPERVISOR, dinsos)
    client = verified_client(alice)
    serial_and_date = target.nik[6:]  # what the old mask and the shown fields gave away
    tried = [district + serial_and_date for district in DISTRICTS]
    answers = [client.get(reverse("people:list"), {"q": nik}) for nik in tried]

    # The budget: 20 look-ups an hour; the rest, the true district among them, refused.
    assert [a.status_code for a in answers] == [200] * 20 + [429] * 7
    assert "terlalu banyak" in answers[-1].content.decode().lower()
    assert target.reference not in answers[-1].content.decode()
    # Each try a look-up of a specific person, with the query's blind index.
    rows = _lookup_rows(alice)
    assert len(rows) == 20
    for row, nik in zip(rows, tried, strict=False):
        assert row.changed_fields == ["nik"]
        assert f"index={nik_index(nik)}" in row.reason and row.reason.endswith("found=0")
    assert not AuditEvent.objects.filter(actor=alice, action="view", reason="list").exists()
    _assert_no_plaintext(alice, tried)
    assert AuditEvent.objects.filter(actor=alice, action="denied").count() == 1
    # The pattern (the same birth date and serial in other districts) alerts alice's
    # supervisor, once for the whole attack; a supervisor of another agency is not told.
    assert AuditEvent.objects.filter(actor=alice, action="alert").count() == 1
    notes = Notification.objects.filter(user=bob)
    assert notes.count() == 1
    assert "Alice" in notes.get().title and str(alice.pk) in notes.get().url
    assert not Notification.objects.filter(user=other_supervisor).exists()


def test_the_api_search_by_nik_obeys_the_same_budget_and_audit(settings, alice, bob, target):
    settings.GARDA_IDENTITY_LOOKUP_RATE = "3/h"
    page, api = verified_client(alice), verified_client(alice)
    assert page.get(reverse("people:list"), {"q": target.nik}).status_code == 200
    found = api.get("/api/v1/people", {"q": target.nik})
    assert found.status_code == 200 and [p["id"] for p in found.json()["items"]] == [target.pk]
    row = _lookup_rows(alice)[-1]
    assert row.object_id == str(target.pk) and row.reason.endswith("found=1")
    assert f"ids={target.pk} " in row.reason
    assert api.get("/api/v1/people", {"q": nik_for(serial=9999)}).status_code == 200
    refused = api.get("/api/v1/people", {"q": target.nik})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and "terlalu banyak" in refused.json()["detail"].lower()
    # A name search is no look-up: still answered.
    assert api.get("/api/v1/people", {"q": "Kartini"}).status_code == 200
    _assert_no_plaintext(alice, [target.nik])


def test_many_lookups_finding_nothing_alert_once_per_window(monkeypatch, alice, bob, target):
    now = [1_000_000.0]
    monkeypatch.setattr(lookups.IDENTITY_LOOKUP, "clock", lambda: now[0])
    client = verified_client(alice)
    misses = [nik_for(serial=s, district="317301") for s in range(100, 130)]
    for nik in misses:
        assert client.get("/api/v1/people", {"q": nik}).json()["count"] == 0
    assert AuditEvent.objects.filter(actor=alice, action="alert").count() == 1
    assert Notification.objects.filter(user=bob).count() == 1
    now[0] += lookups.ALERT_WINDOW  # the next window: a new alert if it goes on
    client.get("/api/v1/people", {"q": nik_for(serial=200, district="317301")})
    assert Notification.objects.filter(user=bob).count() == 2


def test_an_officer_checks_a_number_read_out_without_seeing_it(settings, alice, target):
    settings.GARDA_IDENTITY_LOOKUP_RATE = "3/h"
    client = verified_client(alice)
    url = reverse("people:identity_check", args=[target.pk])
    detail = client.get(reverse("people:detail", args=[target.pk])).content.decode()
    assert url in detail
    same = client.post(url, {"kind": "kk_number", "number": "3171 0101 0195 0004"})
    assert "cocok dengan catatan" in same.content.decode().lower()
    assert "tidak cocok" not in same.content.decode().lower()
    other = client.post(url, {"kind": "nik", "number": nik_for(serial=4322, born=BORN)})
    assert "tidak cocok" in other.content.decode().lower()
    api = client.post(
        f"/api/v1/people/{target.pk}/identity/check",
        {"kind": "passport_number", "number": "c1234567"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json() == {"matches": True}
    for html in (same.content.decode(), other.content.decode()):
        assert target.kk_number not in html and target.nik not in html
    assert "3171 0101 0195 0004" not in same.content.decode()  # not kept in the form
    # Each check is a look-up naming the person, counted in the same budget.
    rows = _lookup_rows(alice)
    assert [r.object_id for r in rows] == [str(target.pk)] * 3
    assert [r.changed_fields for r in rows] == [["kk_number"], ["nik"], ["passport_number"]]
    assert [r.reason[-7:] for r in rows] == ["found=1", "found=0", "found=1"]
    _assert_no_plaintext(alice, [target.kk_number, target.nik, target.passport_number])
    assert client.post(url, {"kind": "nik", "number": target.nik}).status_code == 429
    over = client.post(
        f"/api/v1/people/{target.pk}/identity/check",
        {"kind": "nik", "number": target.nik},
        content_type="application/json",
    )
    assert over.status_code == 429 and "Retry-After" in over


def test_registering_a_nik_already_registered_is_a_lookup_too(settings, alice, target):
    settings.GARDA_IDENTITY_LOOKUP_RATE = "1/h"
    client = verified_client(alice)
    again = person_data(serial=4321, born=BORN, full_name="Someone Else")
    first = client.post("/api/v1/people", again, content_type="application/json")
    assert first.status_code == 409 and first.json()["existing"]["id"] == target.pk
    row = _lookup_rows(alice)[-1]
    assert row.object_id == str(target.pk) and row.reason.startswith("register index=")
    second = client.post("/api/v1/people", again, content_type="application/json")
    assert second.status_code == 429 and "existing" not in second.json()
    page = client.post(reverse("people:register"), {**again, "sex": "F"})
    assert target.reference not in page.content.decode()
    assert "terlalu banyak" in page.content.decode().lower()
    _assert_no_plaintext(alice, [target.nik])


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_workers_trainers_and_partners_cannot_look_up_identity_numbers(request, who, target):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    assert client.get("/api/v1/people", {"q": target.nik}).status_code == 403
    check = client.post(
        f"/api/v1/people/{target.pk}/identity/check",
        {"kind": "nik", "number": target.nik},
        content_type="application/json",
    )
    assert check.status_code in (403, 404)
    page = client.get(reverse("people:list"), {"q": target.nik})
    assert page.status_code in (302, 403)
    assert client.post(
        reverse("people:identity_check", args=[target.pk]), {"kind": "nik", "number": target.nik}
    ).status_code in (403, 404)
    assert not AuditEvent.objects.filter(actor=user, action="lookup").exists()
    assert AuditEvent.objects.filter(actor=user, action="denied").exists()


def test_a_worker_still_finds_only_themself_by_name(wati):
    register(serial=77, user=wati, full_name="Wati Lestari")
    body = verified_client(wati).get("/api/v1/people", {"q": "Wati"}).json()
    assert body["count"] == 1
