"""Mass evacuations through the API (api/evacuations.py): a 300-person evacuation end to
end, in bulk, with query caps; the arrivals board (range, only live, only visible,
roles)."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import Evacuation, Repatriation
from garda.cases.services import repatriation as svc
from garda.people.models import Person, Status
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db

JSON = "application/json"
API = "/api/v1"


def post(client, url, data=None):
    return client.post(API + url, data or {}, content_type=JSON)


def get(client, url, **params):
    return client.get(API + url, params)


def sudan():
    from garda.places.models import Country

    return Country.objects.get_or_create(
        code="SD",
        defaults={"alpha3": "SDN", "numeric": "729", "name_id": "Sudan", "name_en": "Sudan"},
    )[0]


def abroad(officer, serial, name):
    from garda.abroad.models import Stay

    person = register(serial=serial, full_name=name, actor=officer)
    Person.objects.filter(pk=person.pk).update(status=Status.ABROAD)
    now = timezone.now()
    Stay.objects.create(
        person=person,
        departure=Stay.Departure.PLACED,
        country=sudan(),
        city="Khartoum",
        emergency_name="Ibu",
        emergency_relation="Ibu",
        reported_at=now,
        updated_at=now,
    )
    return person


def at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def new_evacuation(client, name="Evakuasi Sudan") -> dict:
    sudan()
    r = post(client, "/evacuations", {"name": name, "country": "sd", "cause": "Konflik bersenjata"})
    assert r.status_code == 201, r.content
    return r.json()


def denied(actor) -> bool:
    return AuditEvent.objects.filter(actor=actor, action=AuditEvent.Action.DENIED).exists()


def test_a_300_person_evacuation_end_to_end(alice, django_assert_max_num_queries):
    client = verified_client(alice)
    evac = new_evacuation(client)
    assert evac["reference"].startswith("EVK-") and evac["status"] == "open"
    registry = [abroad(alice, 60 + i, f"Terdaftar {i}") for i in range(3)]
    people = [{"name": f"Pekerja {i:03d}"} for i in range(297)]
    people += [{"person_id": p.pk, "needs": ["wheelchair"]} for p in registry]

    with django_assert_max_num_queries(90):
        r = post(client, f"/evacuations/{evac['id']}/people", {"people": people})
    assert r.status_code == 201, r.content
    assert r.json()["added"] == 300
    ids = r.json()["repatriation_ids"]
    base = f"/evacuations/{evac['id']}"

    # One flight for everyone, landing tomorrow at Soekarno–Hatta.
    with django_assert_max_num_queries(30):
        r = post(
            client,
            base + "/travel",
            {
                "repatriation_ids": ids,
                "new_flight": "ga 990",
                "arrives_at": at(1, 10).isoformat(),
                "debarkation": "cgk",
            },
        )
    assert r.json() == {"updated": 300}

    with django_assert_max_num_queries(40):
        r = post(client, base + "/steps/health_confirmed/complete", {"flight": "GA 990"})
    assert r.json() == {"done": 300, "blocked": [], "skipped": 0}
    # The embassy has no travel document yet for the first three.
    r = post(client, base + "/steps/travel_document/complete", {"repatriation_ids": ids[3:]})
    assert r.json()["done"] == 297
    r = post(client, base + "/steps/ticket/complete", {"flight": "GA 990"})
    body = r.json()
    assert body["done"] == 297 and body["skipped"] == 0
    assert sorted(b["id"] for b in body["blocked"]) == sorted(ids[:3])
    assert {b["name"] for b in body["blocked"]} == {"Pekerja 000", "Pekerja 001", "Pekerja 002"}

    # The board before landing: everyone, by arrival.
    board = verified_client(alice)
    r = get(board, "/arrivals")
    assert r.status_code == 200 and r.json()["count"] == 300
    first = r.json()["items"][0]
    assert first["flight"] == "GA 990" and first["debarkation"] == "cgk"
    assert "Banten" in first["debarkation_label"]

    with django_assert_max_num_queries(60):
        r = post(client, base + "/steps/arrival/complete", {"flight": "GA 990"})
    body = r.json()
    assert body["done"] == 297 and len(body["blocked"]) == 3
    assert all(b["earlier_step"] for b in body["blocked"])
    assert Repatriation.objects.filter(status="arrived").count() == 297
    # Registry persons abroad are home: status returned, stays ended.
    for person in registry:
        person.refresh_from_db()
        assert person.status == Status.RETURNED
        assert not person.stays.filter(ended_at__isnull=True).exists()

    for code in ("travel_document", "ticket", "arrival"):
        r = post(client, base + f"/steps/{code}/complete", {"repatriation_ids": ids[:3]})
        assert r.json()["done"] == 3
    # Again for everyone: nothing left to do, all skipped.
    r = post(client, base + "/steps/arrival/complete", {"flight": "GA 990"})
    assert r.json() == {"done": 0, "blocked": [], "skipped": 300}

    r = get(client, base)
    detail = r.json()
    assert detail["total"] == 300 and detail["by_status"]["arrived"] == 300
    assert detail["by_flight"] == [{"flight": "GA 990", "count": 300}]
    assert {s["code"]: s["done"] for s in detail["steps_done"]}["arrival"] == 300

    # Arrived is still live: on the board. Once handed over (completed): off it.
    post(client, base + "/steps/travel_home/complete", {"repatriation_ids": ids[:1]})
    svc.statement_record(
        actor=alice,
        repatriation=Repatriation.objects.get(pk=ids[0]),
        kind="handover_family",
        signed_on=timezone.localdate(),
        place="Kantor Kelurahan",
        signatory_name="Ibu Pekerja",
        signatory_relation="Ibu kandung",
        witness_name="Pak Lurah",
        witness_office="Kelurahan Cilincing",
    )
    assert Repatriation.objects.get(pk=ids[0]).status == "completed"
    r = get(board, "/arrivals", page_size=200)
    assert r.json()["count"] == 299
    assert ids[0] not in {i["repatriation_id"] for i in r.json()["items"]}

    r = get(client, base + "/flights")
    flights = r.json()
    assert len(flights) == 1 and flights[0]["flight"] == "GA 990"
    assert flights[0]["count"] == 300 and "Banten" in flights[0]["debarkation_label"]
    assert {"Terdaftar 0", "Pekerja 299"} & {p["name"] for p in flights[0]["people"]}

    r = post(client, base + "/close")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = post(client, base + "/people", {"people": [{"name": "Terlambat"}]})
    assert r.status_code == 409


def test_bad_rows_are_named_and_nothing_is_written(alice):
    client = verified_client(alice)
    evac = new_evacuation(client)
    url = f"/evacuations/{evac['id']}/people"
    r = post(
        client,
        url,
        {
            "people": [
                {"name": "Baik"},
                {"name": "Tak Dikenal", "person_id": 999999},
                {"name": "", "needs": []},
                {"name": "Butuh", "needs": ["helicopter"]},
                {"name": "Titik", "debarkation": "dps"},
            ]
        },
    )
    assert r.status_code == 422
    messages = [e["message"] for e in r.json()["errors"]]
    assert len(messages) == 4 and all(e["field"] == "people" for e in r.json()["errors"])
    assert re.search(r"(Row|Baris) 2", messages[0])
    assert not Repatriation.objects.exists()
    r = post(client, url, {"people": []})
    assert r.status_code == 422


def test_close_waits_for_everyone_and_others_see_nothing(alice, carol):
    client = verified_client(alice)
    evac = new_evacuation(client)
    base = f"/evacuations/{evac['id']}"
    post(client, base + "/people", {"people": [{"name": "Satu"}, {"name": "Dua"}]})
    r = post(client, base + "/close")
    assert r.status_code == 409 and r.json()["errors"][0]["code"] == "live"
    r = post(client, base + "/steps/handover/complete", {"flight": "X"})
    assert r.status_code == 422
    r = post(client, base + "/steps/ticket/complete", {})
    assert r.status_code == 422
    r = post(client, base + "/steps/ticket/complete", {"flight": "NOPE 1"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "flight"

    other = verified_client(carol)
    assert get(other, base).status_code == 404 and denied(carol)
    assert get(other, "/evacuations").json()["count"] == 0
    mine = Repatriation.objects.first()
    # Another evacuation's people cannot be picked through this one.
    evac2 = new_evacuation(other, "Evakuasi lain")
    r = post(
        other,
        f"/evacuations/{evac2['id']}/travel",
        {"repatriation_ids": [mine.pk], "new_flight": "X1"},
    )
    assert r.status_code == 422
    assert Repatriation.objects.get(pk=mine.pk).flight == ""


def test_the_arrivals_board_range_and_what_it_shows(alice, bob, carol):
    client = verified_client(alice)
    evac = Evacuation.objects.get(pk=new_evacuation(client)["id"])
    reps = svc.repatriations_start_many(
        actor=alice,
        evacuation=evac,
        people=[
            {"name": "Hari Ini", "arrives_at": at(0, 23), "flight": "GA1", "needs": ["escort"]},
            {"name": "Lusa", "arrives_at": at(2, 9), "debarkation": "priok"},
            {"name": "Jauh", "arrives_at": at(20, 9)},
            {"name": "Batal", "arrives_at": at(1, 9)},
        ],
    )
    svc.repatriations_update_many(actor=alice, repatriations=reps[:1], met_by=bob)
    svc.repatriation_cancel(actor=alice, repatriation=reps[3], reason="Tetap di sana")

    r = get(client, "/arrivals")
    names = [i["name"] for i in r.json()["items"]]
    assert names == ["Hari Ini", "Lusa"]  # by arrival; not cancelled; not beyond 7 days
    first = r.json()["items"][0]
    assert first["met_by"] == "Bob" and first["needs"][0]["code"] == "escort"
    assert first["evacuation"] == evac.reference and first["reason_label"]

    today = timezone.localdate()
    r = get(
        client,
        "/arrivals",
        **{"from": str(today + timedelta(days=2)), "to": str(today + timedelta(days=30))},
    )
    assert [i["name"] for i in r.json()["items"]] == ["Lusa", "Jauh"]
    r = get(client, "/arrivals", **{"from": str(today), "to": str(today)})
    assert [i["name"] for i in r.json()["items"]] == ["Hari Ini"]
    r = get(client, "/arrivals", **{"from": at(2, 8).isoformat(), "to": at(2, 10).isoformat()})
    assert [i["name"] for i in r.json()["items"]] == ["Lusa"]

    for params, code in (
        ({"from": str(today), "to": str(today - timedelta(days=1))}, "reversed"),
        ({"from": str(today), "to": str(today + timedelta(days=60))}, "too_long"),
        ({"from": "kemarin"}, "invalid_date"),
    ):
        r = get(client, "/arrivals", **params)
        assert r.status_code == 422 and r.json()["errors"][0]["code"] == code

    # The board is read in two queries of repatriations (count and page), audited.
    views = AuditEvent.objects.filter(actor=alice, action="view", object_type="cases.repatriation")
    before = views.count()
    with CaptureQueriesContext(connection) as ctx:
        r = get(client, "/arrivals")
    assert r.status_code == 200
    board = [
        q
        for q in ctx.captured_queries
        if '"cases_repatriation"' in q["sql"] and q["sql"].startswith("SELECT")
    ]
    assert len(board) <= 2
    assert views.count() == before + 1

    # An officer of another agency sees none of these; the supervisor of the agency all.
    assert get(verified_client(carol), "/arrivals").json()["count"] == 0
    assert get(verified_client(bob), "/arrivals").json()["count"] == 2


@pytest.mark.parametrize("who", ["admin_user", "wati", "teguh", "putri", "rina"])
def test_the_board_is_the_reception_teams_only(who, request):
    user = request.getfixturevalue(who)
    r = get(verified_client(user), "/arrivals")
    assert r.status_code == 403
    assert denied(user)
