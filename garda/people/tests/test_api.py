"""The registry API: registration, validation, duplicates by NIK, optimistic locking,
masking and reveal, status machine, scoping."""

import pytest
from django.db import connection

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.models import Person, StatusChange
from garda.people.tests.factories import person_data, register


def _post(client, data):
    return client.post("/api/v1/people", data, content_type="application/json")


@pytest.mark.django_db
def test_officer_registers_a_walk_in(alice):
    response = _post(verified_client(alice), person_data(serial=7))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("PMI-")
    assert body["nik"] == "****************"
    assert body["phone"] == "+6281234567890"
    assert body["status"] == "registered" and body["version"] == 1
    person = Person.objects.get(pk=body["id"])
    assert person.nik == "3171014101900007"
    assert list(person.assigned_officers.all()) == [alice]
    assert StatusChange.objects.filter(person=person, to_status="registered").count() == 1
    event = AuditEvent.objects.get(action="create", object_type="people.person")
    assert "3171014101900007" not in str(event.changed_fields) + event.reason


@pytest.mark.django_db
def test_each_invalid_field_is_reported_in_indonesian_and_nothing_is_saved(alice):
    data = person_data(
        serial=7,
        nik="3171990101900001",
        phone="12",
        email="not-an-email",
        village_code="99.99.99.9999",
        kk_number="123",
    )
    response = _post(verified_client(alice), data)
    assert response.status_code == 422
    errors = {(e["field"], e["code"]): e["message"] for e in response.json()["errors"]}
    assert errors[("nik", "unknown_district")] == "kode kecamatan 317199 tidak dikenal"
    assert ("phone", "invalid_phone") in errors
    assert ("email", "invalid") in errors
    assert ("village_code", "unknown_village") in errors
    assert ("kk_number", "invalid_kk") in errors
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


@pytest.mark.django_db
def test_declared_birth_date_must_match_the_nik_unless_an_officer_explains(alice):
    client = verified_client(alice)
    data = person_data(serial=7, birth_date="1995-01-01")
    refused = _post(client, data)
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["birth_date_mismatch"]
    data["nik_mismatch_reason"] = "Akta kelahiran menunjukkan 1995; KTP lama salah cetak"
    accepted = _post(client, data)
    assert accepted.status_code == 201
    person = Person.objects.get()
    assert person.birth_date.year == 1995 and person.nik_mismatch_reason


@pytest.mark.django_db
def test_under_18_registers_for_training_only_and_cannot_be_made_ready(alice):
    client = verified_client(alice)
    from django.utils import timezone

    today = timezone.localdate()
    born = today.replace(year=today.year - 16, month=1, day=1)
    response = _post(client, person_data(serial=8, born=born))
    assert response.status_code == 201
    person_id = response.json()["id"]
    assert response.json()["training_only"] is True
    client.post(
        f"/api/v1/people/{person_id}/status",
        {"status": "in_preparation"},
        content_type="application/json",
    )
    ready = client.post(
        f"/api/v1/people/{person_id}/status", {"status": "ready"}, content_type="application/json"
    )
    assert ready.status_code == 422
    assert [e["code"] for e in ready.json()["errors"]] == ["under_age"]
    assert Person.objects.get(pk=person_id).status == "in_preparation"


@pytest.mark.django_db
def test_a_registered_nik_is_refused_with_409_pointing_to_the_record(alice, wati):
    existing = register(serial=9)
    response = _post(verified_client(alice), person_data(serial=9, full_name="Other Name"))
    assert response.status_code == 409
    body = response.json()
    assert body["errors"][0]["code"] == "duplicate_nik"
    assert body["existing"] == {"id": existing.pk, "reference": existing.reference}
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_optimistic_lock_second_editor_gets_409_and_nothing_is_lost(alice, bob):
    person = register(serial=10)
    first, second = verified_client(alice), verified_client(bob)
    etag = first.get(f"/api/v1/people/{person.pk}")["ETag"]
    assert second.get(f"/api/v1/people/{person.pk}")["ETag"] == etag
    ok = first.patch(
        f"/api/v1/people/{person.pk}",
        {"address_line": "Jl. Baru 5"},  # PATCH: only what changes
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = second.patch(
        f"/api/v1/people/{person.pk}",
        {"birth_place": "Bogor"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    person.refresh_from_db()
    assert person.address_line == "Jl. Baru 5" and person.birth_place == "Jakarta"
    no_etag = first.patch(
        f"/api/v1/people/{person.pk}", {"phone": "0812-1111-2222"}, content_type="application/json"
    )
    assert no_etag.status_code == 428


@pytest.mark.django_db
def test_mass_assignment_of_status_and_version_is_ignored(alice):
    data = person_data(serial=11, status="placed", version=99, is_staff=True, created_by=1)
    response = _post(verified_client(alice), data)
    assert response.status_code == 201
    assert response.json()["status"] == "registered" and response.json()["version"] == 1


@pytest.mark.django_db
def test_worker_sees_only_themself(wati, tono):
    own = register(serial=12, user=wati)
    other = register(serial=13, user=tono)
    client = verified_client(wati)
    listed = client.get("/api/v1/people").json()
    assert [p["id"] for p in listed["items"]] == [own.pk]
    assert client.get(f"/api/v1/people/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/people/{other.pk}/identity").status_code == 404
    assert client.get(f"/api/v1/people?q={other.reference}").json()["count"] == 0
    identity = client.get(f"/api/v1/people/{own.pk}/identity").json()
    assert identity["nik"] == own.nik


@pytest.mark.django_db
def test_reveal_is_for_assigned_officers_and_audited(alice, carol, bob):
    from garda.people.services.registry import person_register  # noqa: F401  (alice registers)

    response = _post(verified_client(alice), person_data(serial=14))
    person_id = response.json()["id"]
    revealed = verified_client(alice).get(f"/api/v1/people/{person_id}/identity")
    assert revealed.status_code == 200
    assert revealed.json()["nik"] == "3171014101900014"
    assert (
        AuditEvent.objects.filter(actor=alice, action="reveal", object_id=str(person_id)).count()
        == 1
    )
    refused = verified_client(carol).get(f"/api/v1/people/{person_id}/identity")
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(actor=carol, action="denied").count() == 1
    assert (
        "3171014101900014"
        not in verified_client(carol).get(f"/api/v1/people/{person_id}").content.decode()
    )
    assert verified_client(bob).get(f"/api/v1/people/{person_id}/identity").status_code == 200


@pytest.mark.django_db
def test_search_by_nik_reference_phone_and_name_words(alice):
    a = register(serial=15, full_name="Dewi Sartika")
    register(serial=16, full_name="Kartini Wulandari")
    client = verified_client(alice)

    def ids(q):
        return [p["id"] for p in client.get("/api/v1/people", {"q": q}).json()["items"]]

    assert ids("3171014101900015") == [a.pk]
    assert ids(a.reference) == [a.pk]
    assert ids("sartika dewi") == [a.pk]
    assert len(ids("0812 3456 7890")) == 2


@pytest.mark.django_db
def test_list_is_paginated_filtered_and_query_bounded(alice, django_assert_max_num_queries):
    for serial in range(30, 60):
        register(serial=serial)
    client = verified_client(alice)
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/people?page=2&sort=reference").json()
    assert body["count"] == 30 and len(body["items"]) == 5
    assert client.get("/api/v1/people?status=placed").json()["count"] == 0
    assert client.get("/api/v1/people?age_min=30&age_max=40").json()["count"] == 30
    assert client.get("/api/v1/people?sort=password").status_code == 422
    # Three answered lists, three audit rows (the refused sort never ran).
    assert AuditEvent.objects.filter(actor=alice, action="view", reason="list").count() == 3


@pytest.mark.django_db
def test_status_machine_through_the_api(alice, wati):
    person = register(serial=17)
    client = verified_client(alice)

    def move(status, **extra):
        return client.post(
            f"/api/v1/people/{person.pk}/status",
            {"status": status, **extra},
            content_type="application/json",
        )

    assert move("placed").status_code == 422  # skipping steps
    assert move("in_preparation").status_code == 200
    assert move("ready").status_code == 200
    no_route = move("placed")
    assert "route_required" in [e["code"] for e in no_route.json()["errors"]]
    assert move("placed", route="p3mi", reason="Job order JO-1").status_code == 200
    assert list(StatusChange.objects.filter(person=person).values_list("to_status", flat=True)) == [
        "placed",
        "ready",
        "in_preparation",
        "registered",
    ]
    worker = verified_client(wati)
    assert (
        worker.post(
            f"/api/v1/people/{person.pk}/status",
            {"status": "ready"},
            content_type="application/json",
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_identity_numbers_are_ciphertext_in_the_database(alice):
    """docs/security.md, test 15."""
    person = register(serial=18)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, nik_index FROM people_person WHERE id = %s", [person.pk])
        raw_nik, index = cursor.fetchone()
    assert "3171014101900018" not in raw_nik and raw_nik.startswith("v1.")
    import hashlib

    assert index != hashlib.sha256(b"3171014101900018").hexdigest()


@pytest.mark.django_db
def test_family_consent_only_from_spouse_parent_or_guardian(alice):
    person = register(serial=19)
    client = verified_client(alice)
    url = f"/api/v1/people/{person.pk}/family"
    sibling = client.post(
        url,
        {"name": "Budi", "relation": "sibling", "gives_consent": True},
        content_type="application/json",
    )
    assert sibling.status_code == 422
    assert sibling.json()["errors"][0]["field"] == "gives_consent"
    bad_phone = client.post(
        url, {"name": "Sri", "relation": "parent", "phone": "123"}, content_type="application/json"
    )
    assert bad_phone.status_code == 422 and bad_phone.json()["errors"][0]["field"] == "phone"
    ok = client.post(
        url,
        {"name": "Sri", "relation": "parent", "phone": "0813 1111 2222", "gives_consent": True},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["phone"] == "+6281311112222"
    assert [c["name"] for c in client.get(url).json()] == ["Sri"]


@pytest.mark.django_db
def test_consent_is_recorded_and_withdrawn_once(wati, disnaker):
    person = register(serial=20, user=wati)
    client = verified_client(wati)
    url = f"/api/v1/people/{person.pk}/consents"
    given = client.post(
        url,
        {"purpose": "sharing", "text_version": "2026-1", "agency_ids": [disnaker.pk]},
        content_type="application/json",
    )
    assert given.status_code == 201 and given.json()["agency_ids"] == [disnaker.pk]
    consent_id = given.json()["id"]
    unknown = client.post(
        url,
        {"purpose": "sharing", "text_version": "2026-1", "agency_ids": [999999]},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    withdraw = f"{url}/{consent_id}/withdraw"
    assert client.post(withdraw).json()["withdrawn_at"] is not None
    again = client.post(withdraw)
    assert again.status_code == 422
    assert AuditEvent.objects.filter(object_type="people.consent", action="update").count() == 1


@pytest.mark.django_db
def test_region_filter_by_code_prefix(alice):
    from garda.places.models import Region

    for code, level in [
        ("31", "province"),
        ("31.71", "regency"),
        ("31.71.01", "district"),
        ("31.71.01.1001", "village"),
    ]:
        Region.objects.create(
            code=code, name=code, level=level, first_edition=2016, last_edition=2025
        )
    client = verified_client(alice)
    inside = _post(client, person_data(serial=21, village_code="31.71.01.1001")).json()
    _post(client, person_data(serial=22))
    for prefix in ("31", "31.71", "31.71.01.1001"):
        body = client.get("/api/v1/people", {"region": prefix}).json()
        assert [p["id"] for p in body["items"]] == [inside["id"]], prefix
    assert client.get("/api/v1/people", {"region": "32"}).json()["count"] == 0


@pytest.mark.django_db
def test_verified_worker_edits_contact_but_not_identity(wati, alice):
    from garda.people.services.registry import person_verify_identity

    own = register(serial=23, user=wati)
    person_verify_identity(actor=alice, person=own)
    client = verified_client(wati)
    etag = client.get(f"/api/v1/people/{own.pk}")["ETag"]
    attempt = {"full_name": "Someone Else", "phone": "0812-7777-6666"}
    refused = client.patch(
        f"/api/v1/people/{own.pk}",
        attempt,
        content_type="application/json",
        headers={"If-Match": etag},
    )
    # Locked once verified: refused naming the field (issue 19), nothing written.
    assert refused.status_code == 422, refused.content
    assert [e["field"] for e in refused.json()["errors"]] == ["full_name"]
    own.refresh_from_db()
    assert own.full_name == "Siti Nurhaliza 23" and own.phone == "+6281234567890"
    response = client.patch(
        f"/api/v1/people/{own.pk}",
        {"phone": "0812-7777-6666"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.content
    own.refresh_from_db()
    assert own.phone == "+6281277776666"


@pytest.mark.django_db
def test_name_search_tolerates_typos_word_order_and_old_spelling(alice):
    wanted = register(serial=24, full_name="Soewarni Tjahjaningsih")
    register(serial=25, full_name="Suwardi Cahyono")
    register(serial=26, full_name="Sri Wahyuni")
    client = verified_client(alice)

    def found(q):
        return [p["id"] for p in client.get("/api/v1/people", {"q": q}).json()["items"]]

    assert found("Suwarni Cahyaningsih") == [wanted.pk]  # new spelling
    assert found("cahyaningsih suwarni") == [wanted.pk]  # word order
    assert found("Suwarmi Cahyaningsih") == [wanted.pk]  # one typo
    assert found("Suwarni Cahya") == [wanted.pk]  # the last word is still being typed
    assert found("Sri Wahyuni")[0] != wanted.pk
    assert found("Budi") == []


@pytest.mark.django_db
def test_renamed_person_is_found_by_the_new_name_only(alice):
    person = register(serial=27, full_name="Kartika Sari")
    client = verified_client(alice)
    etag = client.get(f"/api/v1/people/{person.pk}")["ETag"]
    renamed = client.patch(
        f"/api/v1/people/{person.pk}",
        {"full_name": "Kartika Dewi"},
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert renamed.status_code == 200, renamed.content
    assert client.get("/api/v1/people", {"q": "kartika dewi"}).json()["count"] == 1
    assert client.get("/api/v1/people", {"q": "kartika sari"}).json()["count"] == 0


@pytest.mark.django_db
def test_export_masks_unassigned_niks_neutralises_formulas_and_is_audited(alice, bob):
    assigned = _post(verified_client(alice), person_data(serial=28)).json()
    other = register(serial=29, full_name='=HYPERLINK("http://x")')
    response = verified_client(alice).get("/api/v1/people/export.csv?sort=reference")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("referensi,nik,nama_lengkap")
    assert len(lines) == 3
    assert "3171014101900028" in text  # alice's own registration
    assert "3171014101900029" not in text and "****************" in text
    assert "'=HYPERLINK" in text
    event = AuditEvent.objects.get(action="export", actor=alice)
    assert event.reason == "csv, 2 rows"
    everything = b"".join(
        verified_client(bob).get("/api/v1/people/export.csv").streaming_content
    ).decode("utf-8-sig")
    assert other.nik in everything and assigned["reference"] in everything


@pytest.mark.django_db
def test_skills_languages_and_experience(alice, wati, tono):
    from garda.places.models import Country

    Country.objects.create(
        code="KR", alpha3="KOR", numeric="410", name_id="Korea Selatan", name_en="South Korea"
    )
    own = register(serial=30, user=wati)
    client = verified_client(wati)
    base = f"/api/v1/people/{own.pk}"

    def post(kind, data):
        return client.post(f"{base}/{kind}", data, content_type="application/json")

    assert post("skills", {"occupation_code": "7212", "title": "Las SMAW"}).status_code == 201
    bad_code = post("skills", {"occupation_code": "72", "title": "Las"})
    assert (
        bad_code.status_code == 422 and bad_code.json()["errors"][0]["field"] == "occupation_code"
    )
    assert post("languages", {"language": "ko", "scale": "topik", "level": "3"}).status_code == 201
    bad_level = post("languages", {"language": "ja", "scale": "jlpt", "level": "N7"})
    assert bad_level.status_code == 422
    assert "N5, N4, N3, N2, N1" in bad_level.json()["errors"][0]["message"]
    ok = post(
        "experience",
        {
            "employer": "Samsung",
            "country": "kr",
            "started_on": "2019-03-01",
            "ended_on": "2021-02-28",
            "occupation_code": "8212",
        },
    )
    assert ok.status_code == 201 and ok.json()["country"] == "KR"
    backwards = post(
        "experience",
        {"employer": "X", "country": "KR", "started_on": "2020-01-01", "ended_on": "2019-01-01"},
    )
    assert backwards.status_code == 422
    profile = client.get(f"{base}/profile").json()
    assert [s["title"] for s in profile["skills"]] == ["Las SMAW"]
    assert profile["languages"][0]["level"] == "3"
    skill_id = profile["skills"][0]["id"]
    assert verified_client(tono).delete(f"{base}/skills/{skill_id}").status_code == 404
    assert client.delete(f"{base}/skills/{skill_id}").status_code == 204
    assert client.get(f"{base}/profile").json()["skills"] == []
    assert AuditEvent.objects.filter(object_type="people.skill", action="delete").count() == 1


@pytest.mark.django_db
def test_filter_by_occupation_and_language(alice):
    from garda.people.services.profile import language_add, skill_add

    welder = register(serial=31)
    cook = register(serial=32)
    skill_add(actor=alice, person=welder, occupation_code="72120", title="Las")
    skill_add(actor=alice, person=cook, occupation_code="5120", title="Masak")
    language_add(actor=alice, person=cook, language="ja", scale="jlpt", level="N4")
    client = verified_client(alice)

    def ids(**params):
        return [p["id"] for p in client.get("/api/v1/people", params).json()["items"]]

    assert ids(skill="7212") == [welder.pk]
    assert ids(language="ja") == [cook.pk]
    assert ids(skill="5120", language="ko") == []
    assert client.get("/api/v1/people", {"skill": "x"}).status_code == 422
