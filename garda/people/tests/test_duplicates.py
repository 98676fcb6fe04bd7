"""Duplicates in the registry: detection on create and edit, the review queue,
"different people" remembered, "same person" merged."""

from datetime import date

import pytest

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.models import DuplicateCandidate, FamilyContact, Person, StatusChange
from garda.people.tests.factories import nik_for, person_data


def _post(client, data):
    return client.post("/api/v1/people", data, content_type="application/json")


def joko_data(**extra) -> dict:
    """Djoko Santoso's record again, in the new spelling, with another NIK serial."""
    return person_data(
        serial=2,
        full_name="Joko Santoso",
        sex="M",
        born=date(1990, 5, 5),
        birth_place="Jakarta",
        **extra,
    )


@pytest.fixture
def djoko(alice):
    response = _post(
        verified_client(alice),
        person_data(
            serial=1,
            full_name="Djoko Santoso",
            sex="M",
            born=date(1990, 5, 5),
            birth_place="Jakarta",
        ),
    )
    assert response.status_code == 201, response.content
    return Person.objects.get(pk=response.json()["id"])


@pytest.mark.django_db
def test_old_spelling_with_same_birth_date_is_flagged_not_blocked(alice, djoko):
    response = _post(
        verified_client(alice),
        joko_data(phone=""),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["needs_duplicate_review"] is True
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person_a_id, candidate.person_b_id) == (djoko.pk, body["id"])
    assert "same_birth_date" in candidate.reasons
    djoko.refresh_from_db()
    assert djoko.needs_duplicate_review


@pytest.mark.django_db
def test_same_nik_region_and_serial_with_another_birth_date_is_age_falsification(alice, djoko):
    falsified = person_data(
        serial=1, full_name="Djoko Santoso", sex="M", born=date(1985, 5, 5), birth_place="Jakarta"
    )
    assert falsified["nik"] != djoko.nik
    response = _post(verified_client(alice), falsified)
    assert response.status_code == 201
    candidate = DuplicateCandidate.objects.get()
    assert "nik_birth_date_differs" in candidate.reasons


@pytest.mark.django_db
def test_different_people_are_not_flagged(alice, djoko):
    response = _post(
        verified_client(alice),
        person_data(
            serial=3,
            full_name="Kartini Wulandari",
            sex="F",
            born=date(1995, 8, 17),
            birth_place="Bandung",
            phone="0813-9999-8888",
        ),
    )
    assert response.json()["needs_duplicate_review"] is False
    assert not DuplicateCandidate.objects.exists()


@pytest.mark.django_db
def test_queue_and_decision_different_is_remembered(alice, djoko):
    client = verified_client(alice)
    other = _post(
        client,
        joko_data(),
    ).json()
    queue = client.get("/api/v1/duplicates").json()
    assert queue["count"] == 1
    candidate_id = queue["items"][0]["id"]
    assert client.get(f"/api/v1/people/{djoko.pk}/duplicates").json()[0]["id"] == candidate_id
    decided = client.post(
        f"/api/v1/duplicates/{candidate_id}/decision",
        {"same": False},
        content_type="application/json",
    )
    assert decided.status_code == 200
    assert client.get("/api/v1/duplicates").json()["count"] == 0
    assert not Person.objects.get(pk=other["id"]).needs_duplicate_review
    # An edit of the same data does not bring the pair back.
    etag = client.get(f"/api/v1/people/{other['id']}")["ETag"]
    edit = client.patch(
        f"/api/v1/people/{other['id']}",
        person_data(
            serial=2,
            full_name="Joko Santoso",
            sex="M",
            born=date(1990, 5, 5),
            birth_place="Jakarta Pusat",
        ),
        content_type="application/json",
        headers={"If-Match": etag},
    )
    assert edit.status_code == 200
    assert client.get("/api/v1/duplicates").json()["count"] == 0
    again = client.post(
        f"/api/v1/duplicates/{candidate_id}/decision",
        {"same": True},
        content_type="application/json",
    )
    assert again.status_code == 422


@pytest.mark.django_db
def test_same_person_merges_into_the_older_record(alice, bob, djoko):
    client = verified_client(alice)
    newer = Person.objects.get(
        pk=_post(
            client,
            joko_data(),
        ).json()["id"]
    )
    FamilyContact.objects.create(person=newer, name="Sri", relation="parent")
    candidate = DuplicateCandidate.objects.get()
    response = verified_client(bob).post(
        f"/api/v1/duplicates/{candidate.pk}/decision",
        {"same": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["id"] == djoko.pk
    newer.refresh_from_db()
    assert newer.merged_into_id == djoko.pk and newer.status == "inactive"
    assert list(djoko.family.values_list("name", flat=True)) == ["Sri"]
    assert StatusChange.objects.filter(person=djoko).count() == 2  # both registrations
    # The merged record leaves the registry lists but stays for the record.
    listed = [p["id"] for p in client.get("/api/v1/people").json()["items"]]
    assert newer.pk not in listed and djoko.pk in listed
    assert AuditEvent.objects.filter(
        object_type="people.person", object_id=str(newer.pk), reason=f"merged into {djoko.pk}"
    ).exists()


@pytest.mark.django_db
def test_workers_and_trainers_have_no_duplicate_queue(wati, teguh):
    for user in (wati, teguh):
        assert verified_client(user).get("/api/v1/duplicates").status_code == 403


@pytest.mark.django_db
def test_factories_nik_matches_birth_segment():
    assert nik_for(serial=1, sex="M", born=date(1990, 5, 5))[6:12] == "050590"


@pytest.mark.django_db
def test_registry_batch_run_fills_the_queue_and_respects_decisions(alice, djoko, tmp_path):
    import io

    from django.core.management import call_command

    from garda.people.tasks import dedupe_registry

    client = verified_client(alice)
    twin_data = joko_data()
    _post(client, twin_data)
    DuplicateCandidate.objects.all().delete()  # as if the per-record check had missed it
    Person.objects.update(needs_duplicate_review=False)
    out = tmp_path / "pairs.csv"
    stdout = io.StringIO()
    call_command("dedupe", "--output", str(out), stdout=stdout)
    assert "Registry: 1 candidate pairs" in stdout.getvalue()
    lines = out.read_text().splitlines()
    assert lines[0] == "id_a,id_b,score,reasons" and len(lines) == 2
    candidate = DuplicateCandidate.objects.get()
    assert Person.objects.filter(needs_duplicate_review=True).count() == 2
    # A decided pair stays decided when the batch runs again.
    candidate.status = DuplicateCandidate.Decision.DIFFERENT
    candidate.save()
    assert dedupe_registry.call_local() == 1
    assert DuplicateCandidate.objects.get().status == "different"
    assert AuditEvent.objects.filter(reason="batch dedupe: 1 pairs").count() == 2


@pytest.mark.django_db
def test_review_page_lists_pairs_and_decides(
    alice, bob, djoko, wati, django_assert_max_num_queries
):
    client = verified_client(alice)
    newer = _post(
        client,
        joko_data(),
    ).json()
    with django_assert_max_num_queries(15):
        page = client.get("/people/duplicates/")
    html = page.content.decode()
    assert page.status_code == 200
    assert djoko.reference in html and newer["reference"] in html
    assert "3171010505900001" not in html  # NIKs masked
    from garda.tests.markup import assert_stacked_tables, iso_dates

    (table,) = assert_stacked_tables(html)  # one card per pair on a phone
    assert table.caption == "1 pasangan perlu ditinjau"
    (pair_row,) = [dict(r) for r in table.rows]
    assert pair_row["Kemiripan"].endswith("% mirip")
    assert pair_row["Keputusan"].startswith("Orang yang sama")
    assert iso_dates(html) == []
    pair = DuplicateCandidate.objects.get()
    assert (
        verified_client(wati)
        .post(f"/people/duplicates/{pair.pk}/decision/", {"same": "1"})
        .status_code
        == 403
    )
    supervisor = verified_client(bob)
    response = supervisor.post(f"/people/duplicates/{pair.pk}/decision/", {"same": "1"})
    assert response.status_code == 302
    assert Person.objects.get(pk=newer["id"]).merged_into_id == djoko.pk
    after = supervisor.get("/people/duplicates/")
    assert djoko.reference in after.content.decode()  # the success message names it
    # The merged record has left the registry: its pair cannot be decided again.
    again = supervisor.post(f"/people/duplicates/{pair.pk}/decision/", {"same": "0"})
    assert again.status_code == 404
    assert DuplicateCandidate.objects.get().status == "same"


@pytest.mark.django_db
def test_the_queue_shows_what_each_item_weighed(alice, djoko, django_assert_max_num_queries):
    client = verified_client(alice)
    assert _post(client, joko_data(phone="")).status_code == 201
    with django_assert_max_num_queries(20):
        page = client.get("/people/duplicates/")
    html = page.content.decode()
    assert "Bobot setiap data" in html
    # Djoko and Joko are one name in two spellings; same birth date and place.
    assert "Tanggal lahir: sama persis (+" in html
    assert "Tempat lahir: sama (+" in html
    # Their NIKs differ in the serial only: a possible sibling, weighed against one person.
    weighed = html.split("Bobot setiap data", 1)[1].split("</details>", 1)[0]
    assert "NIK: " in weighed
    # A field one record leaves blank (the phone) is not listed.
    assert "Telepon:" not in weighed
