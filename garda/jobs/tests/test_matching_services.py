"""Matching against the database and through the API: the hard filters in SQL and in
Python, near misses with what closes their gaps, a person's matches, a fixed number
of queries, the audit rows, who may ask, and no identity number anywhere."""

import json

import pytest

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import Case
from garda.destinations.models import Readiness
from garda.documents.models import DocumentType
from garda.jobs import matching as rules
from garda.jobs.services import matching
from garda.jobs.tests.factories import make_agency, make_recruiter, verified_order
from garda.jobs.tests.factories_matching import (
    NIK_PREFIX,
    add_certificate,
    add_experience,
    add_language,
    country,
    make_course,
    make_person,
    prefer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(alice):
    country("HK")
    agency = make_agency()
    writer = make_recruiter(agency, email="writer@maju.example")
    return verified_order(writer, alice)


def ids(items):
    return [i["person_id"] for i in items]


def test_candidates_are_ranked_by_score_then_id_and_the_reasons_add_up(order):
    best = make_person()
    add_experience(best, "HK", 24)
    prefer(best)
    middle = make_person(skills=("9112",))
    tie_a = make_person(skills=())
    tie_b = make_person(skills=())
    ranked = matching.candidates(order)
    assert ranked.count == 4
    assert ids(ranked.items) == [best.pk, middle.pk, tie_a.pk, tie_b.pk]
    for item in ranked.items:
        assert sum(r["weight"] for r in item["reasons"]) == pytest.approx(item["score"])
        assert item["missing"] == []
    top = ranked.items[0]["reasons"]
    assert any("Hong Kong" in r["message"] and r["weight"] == 8 for r in top)


@pytest.mark.parametrize(
    ("person_kwargs", "code"),
    [
        ({"status": "in_preparation"}, rules.STATUS),
        ({"sex": "M"}, rules.SEX),
        ({"age": 50}, rules.AGE_MAX),
        ({"age": 20}, rules.AGE_MIN),
        ({"ready": False}, rules.READINESS),
        ({"ready_for": "TW:p2p:care"}, rules.READINESS_UNCHECKED),
    ],
)
def test_each_sql_filter_excludes(order, person_kwargs, code):
    make_person()
    out = make_person(**person_kwargs)
    assert out.pk not in ids(matching.candidates(order).items)


def test_a_merged_person_is_never_a_candidate(order):
    kept = make_person()
    merged = make_person(merged_into=kept)
    assert ids(matching.candidates(order).items) == [kept.pk]
    assert merged.pk not in ids(matching.near_misses(order))


def test_language_certificate_and_protection_filters_exclude_and_near_misses_say_why(order, alice):
    course = make_course("pra-lansia", title="Perawatan lansia dasar")
    order.required_language = "en"
    order.required_language_scale = "cefr"
    order.required_language_level = "B1"
    order.save()
    order.required_courses.add(course)
    ok = make_person()
    add_language(ok, level="B2")
    add_certificate(ok, course)
    low_english = make_person()
    add_language(low_english, level="A2")
    add_certificate(low_english, course)
    no_cert = make_person()
    add_language(no_cert, level="B1")
    add_certificate(no_cert, course, status="revoked")
    blocked = make_person()
    add_language(blocked, level="C1")
    add_certificate(blocked, course)
    Case.objects.create(
        reference="K-1",
        channel="hotline",
        description="x",
        person=blocked,
        subject_name="Pekerja",
    )
    assert ids(matching.candidates(order).items) == [ok.pk]
    near = {i["person_id"]: i for i in matching.near_misses(order)}
    assert [m["code"] for m in near[low_english.pk]["missing"]] == [rules.LANGUAGE]
    assert [m["code"] for m in near[no_cert.pk]["missing"]] == [rules.CERTIFICATE]
    assert near[no_cert.pk]["missing"][0]["steps"][0] == {
        "kind": "course",
        "code": "pra-lansia",
        "title": "Perawatan lansia dasar",
    }
    assert blocked.pk not in near  # a protection case is no gap to close
    Case.objects.filter(person=blocked).update(status="closed")
    assert blocked.pk in ids(matching.candidates(order).items)


def test_near_misses_list_the_readiness_gap_with_the_course_or_document_that_closes_it(order):
    doc = DocumentType.objects.create(code="mcu-test", name="Hasil medical check-up", name_en="MCU")
    other = DocumentType.objects.create(code="skck-test", name="SKCK", name_en="Police record")
    course = make_course("mcu-prep", title="Persiapan MCU", job_sectors=["domestic"])
    course.prepares_for.add(doc)
    person = make_person(ready=False, status="in_preparation")
    Readiness.objects.filter(person=person).update(
        result={
            "requirements": [
                {"code": "mcu-test", "state": "missing"},
                {"code": "skck-test", "state": "expired"},
                {"code": "ktp", "state": "ok"},
            ],
            "next_steps": [],
        }
    )
    young = make_person(age=20)  # 21 within the year
    make_person(sex="M")  # a men's gap no step closes: not listed
    make_person(age=60)  # past the maximum age: not listed
    near = matching.near_misses(order)
    assert ids(near) == [young.pk, person.pk]  # fewest gaps first
    gaps = {m["code"]: m for m in near[1]["missing"]}
    assert set(gaps) == {rules.STATUS, rules.READINESS}
    steps = gaps[rules.READINESS]["steps"]
    assert {"kind": "course", "code": "mcu-prep", "title": "Persiapan MCU"} in steps
    assert {"kind": "document", "code": "skck-test", "title": other.name} in steps
    assert [m["code"] for m in near[0]["missing"]] == [rules.AGE_MIN]


def test_candidates_read_a_fixed_number_of_queries(order, django_assert_max_num_queries):
    for _i in range(3):
        p = make_person()
        add_language(p)
        add_experience(p, "HK", 12)
        prefer(p)
    with django_assert_max_num_queries(14) as few:
        matching.candidates(order)
    for _i in range(12):
        p = make_person()
        add_language(p)
        add_certificate(p)
        add_experience(p, "HK", 12)
        prefer(p)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert matching.candidates(order).count == 15


def test_a_person_sees_open_orders_ranked_with_gaps_and_courses(order, alice):
    agency = order.agency
    writer = make_recruiter(agency, email="writer2@maju.example")
    country("TW", "Taiwan")
    tw = verified_order(
        writer,
        alice,
        destination="TW",
        sector="care",
        occupation_code="5322",
        wage_currency="TWD",
        wage_amount=20000,
        number="DL-TW",
    )
    men = verified_order(writer, alice, positions_female=0, positions_male=10, number="DL-M")
    person = make_person()
    prefer(person)
    ranked = matching.matches_for(person)
    found = [i["job_order_id"] for i in ranked.items]
    assert found == [order.pk, tw.pk]  # passes every filter first; the men's order is left out
    assert men.pk not in found
    assert ranked.items[0]["missing"] == []
    tw_item = ranked.items[1]
    assert [m["code"] for m in tw_item["missing"]] == [rules.READINESS_UNCHECKED]
    assert "Taiwan" in tw_item["missing"][0]["message"]
    for item in ranked.items:
        assert sum(r["weight"] for r in item["reasons"]) == pytest.approx(item["score"])


def test_a_person_s_matches_read_a_fixed_number_of_queries(
    order, alice, django_assert_max_num_queries
):
    person = make_person()
    writer = make_recruiter(order.agency, email="writer3@maju.example")
    course = make_course("wajib")
    order.required_courses.add(course)
    with django_assert_max_num_queries(22) as few:
        assert matching.matches_for(person).count == 1
    for n in range(5):
        o = verified_order(writer, alice, number=f"DL-{n}")
        o.required_courses.add(course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert matching.matches_for(person).count == 6


# --- the API --------------------------------------------------------------------------


def test_an_officer_reads_the_candidates_the_order_and_each_person_shown_audited(order, alice):
    make_person()
    make_person(ready=False)
    client = verified_client(alice)
    before = AuditEvent.objects.count()
    response = client.get(f"/api/v1/job-orders/{order.pk}/candidates")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) >= {"person_id", "score", "reasons", "missing"}
    assert set(item["reasons"][0]) == {"code", "weight", "message"}
    rows = AuditEvent.objects.order_by("id")[before:]
    assert [(r.action, r.object_type, r.object_id, r.reason) for r in rows] == [
        ("view", "jobs.joborder", str(order.pk), "candidates:1"),
        # the person shown reads it in "who accessed my data"
        ("view", "people.person", str(item["person_id"]), "job matching"),
    ]
    near = verified_client(alice).get(f"/api/v1/job-orders/{order.pk}/candidates?near=1").json()
    assert near["count"] == 1 and near["items"][0]["missing"][0]["code"] == rules.READINESS


def test_recruiters_and_workers_may_not_read_candidates(order, rina, wati):
    make_person()
    for user in (rina, wati):
        before = AuditEvent.objects.filter(action="denied").count()
        response = verified_client(user).get(f"/api/v1/job-orders/{order.pk}/candidates")
        assert response.status_code in (403, 404)
        assert AuditEvent.objects.filter(action="denied").count() == before + 1


def test_a_draft_order_has_no_candidates(alice):
    agency = make_agency(name="PT Lain", number="KEP.2")
    from garda.jobs.tests.factories import make_order

    draft = make_order(make_recruiter(agency, email="w@lain.example"))
    response = verified_client(alice).get(f"/api/v1/job-orders/{draft.pk}/candidates")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "wrong_state"


def test_no_identity_number_in_any_answer(order, alice, wati):
    people = [make_person(ready=r) for r in (True, True, False)]
    own = make_person(user=wati)
    client = verified_client(alice)
    bodies = [
        client.get(f"/api/v1/job-orders/{order.pk}/candidates").content,
        client.get(f"/api/v1/job-orders/{order.pk}/candidates?near=1").content,
        client.get(f"/api/v1/people/{people[0].pk}/matches").content,
        verified_client(wati).get(f"/api/v1/people/{own.pk}/matches").content,
    ]
    text = b"".join(bodies).decode()
    assert json.loads(bodies[0])["count"] == 3
    assert NIK_PREFIX not in text
    for p in [*people, own]:
        assert p.nik not in text and p.passport_number not in text


def test_the_worker_reads_their_own_matches_only(order, wati, tono):
    own = make_person(user=wati)
    other = make_person(user=tono)
    client = verified_client(wati)
    response = client.get(f"/api/v1/people/{own.pk}/matches")
    assert response.status_code == 200
    assert response.json()["items"][0]["job_order_id"] == order.pk
    assert AuditEvent.objects.filter(
        action="view", object_type="people.person", object_id=str(own.pk), reason="job_matches"
    ).exists()
    assert client.get(f"/api/v1/people/{other.pk}/matches").status_code == 404


def test_a_recruiter_may_not_read_a_person_s_matches(order, rina):
    person = make_person()
    assert verified_client(rina).get(f"/api/v1/people/{person.pk}/matches").status_code == 404


def test_the_worker_sets_their_preferences_and_bad_codes_write_nothing(order, wati):
    own = make_person(user=wati)
    country("TW", "Taiwan")
    client = verified_client(wati)
    url = f"/api/v1/people/{own.pk}/job-preference"
    response = client.put(
        url,
        {"destinations": ["hk", "TW"], "sectors": ["domestic"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"destinations": ["HK", "TW"], "sectors": ["domestic"]}
    bad = client.put(
        url, {"destinations": ["XX"], "sectors": ["nope"]}, content_type="application/json"
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {"destinations", "sectors"} <= fields
    own.job_preference.refresh_from_db()
    assert own.job_preference.destinations == ["HK", "TW"]


def test_a_person_s_matches_follow_every_change_of_the_open_orders(order, alice):
    from garda.jobs.services.orders import order_close

    person = make_person()
    assert [i["missing"] for i in matching.matches_for(person).items] == [[]]
    course = make_course("baru")
    order.required_courses.add(course)  # a course link: the kept rows are read again
    missing = matching.matches_for(person).items[0]["missing"]
    assert [m["code"] for m in missing] == [rules.CERTIFICATE]
    course.title = "Kursus baru"
    course.save()
    missing = matching.matches_for(person).items[0]["missing"]
    assert missing[0]["steps"][0]["title"] == "Kursus baru"
    order_close(actor=alice, order=order, reason="Sudah terisi")
    assert matching.matches_for(person).count == 0
