"""Readiness with the database (destinations/readiness.py) and the plan service
(destinations/services/plans.py): loading, caching and its invalidation, bulk recompute."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from garda.audit.models import AuditEvent
from garda.destinations import readiness
from garda.destinations.models import Plan, Readiness, SectorRule
from garda.destinations.readiness import readiness_for, recompute_many
from garda.destinations.services.plans import plan_set
from garda.destinations.services.rules import readiness_mark_stale
from garda.destinations.tests.factories_readiness import (
    KR_EPS,
    complete_documents,
    destination,
    document,
    educated,
    requirement_set,
)
from garda.people.models import Person, WorkExperience
from garda.people.tests.factories import register
from garda.places.models import Country


@pytest.fixture
def worker_person(wati) -> Person:
    return educated(register(serial=2, user=wati, full_name="Wati Lestari"))


def _plan(person, actor, target=KR_EPS, departure=None) -> Plan:
    return plan_set(
        actor=actor,
        person=person,
        destination_code=target[0],
        scheme_code=target[1],
        sector=target[2],
        planned_departure=departure,
    )


def _states(result) -> dict[str, str]:
    return {r.code: r.state for r in result.requirements}


# --- plans ----------------------------------------------------------------------------


def test_a_worker_sets_their_own_plan_and_a_new_plan_keeps_the_old_as_history(
    worker_person, wati, kr_set
):
    first = _plan(worker_person, wati)
    assert first.is_current and first.created_by == wati
    assert AuditEvent.objects.filter(action="create", object_type="destinations.plan").count() == 1
    second = _plan(worker_person, wati, departure=timezone.localdate() + timedelta(days=90))
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    event = AuditEvent.objects.filter(object_type="destinations.plan").order_by("pk").last()
    assert event.changed_fields == ["planned_departure"]
    assert event.reason == f"replaces plan {first.pk}"


def test_setting_the_same_plan_again_writes_nothing(worker_person, wati, kr_set):
    plan = _plan(worker_person, wati)
    events = AuditEvent.objects.count()
    assert _plan(worker_person, wati) == plan
    assert Plan.objects.count() == 1 and AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["tono", "teguh", "putri"])
def test_others_may_not_plan_for_a_worker(worker_person, who, request, kr_set):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _plan(worker_person, actor)
    assert not Plan.objects.exists()
    assert AuditEvent.objects.filter(action="denied", reason="plan_set").count() == 1


def test_an_officer_plans_on_behalf_of_a_person(worker_person, alice, kr_set):
    plan = _plan(worker_person, alice)
    assert plan.created_by == alice and plan.target_key == "KR:g2g-kr-eps:manufacturing"


@pytest.mark.parametrize(
    ("target", "departure", "field", "code"),
    [
        (("XX", "g2g-kr-eps", "manufacturing"), None, "destination", "unknown_destination"),
        (("KR", "no-such-scheme", "manufacturing"), None, "scheme", "unknown_scheme"),
        (("KR", "g2g-kr-eps", "mining"), None, "sector", "unknown_sector"),
        # Korea's EPS is a G-to-G scheme of Korea only; Japan does not offer it.
        (("JP", "g2g-kr-eps", "manufacturing"), None, "scheme", "scheme_unavailable"),
        # The seeded EPS places into manufacturing and fishery only.
        (("KR", "g2g-kr-eps", "domestic"), None, "sector", "sector_unavailable"),
        (KR_EPS, date(2020, 1, 1), "planned_departure", "past_departure"),
    ],
)
def test_a_bad_plan_is_refused_naming_the_field(
    worker_person, wati, target, departure, field, code
):
    with pytest.raises(ValidationError) as caught:
        _plan(worker_person, wati, target, departure)
    assert [e.code for e in caught.value.error_dict[field]] == [code]
    assert not Plan.objects.exists()


def test_a_moratorium_target_can_be_planned_and_is_never_ready(worker_person, wati):
    """Saudi Arabia, domestic work, through an agency: the seeded moratorium
    (Kepmenaker 260/2015). The seeded schemes leave the sector out; the plan is kept
    so that the worker sees why."""
    plan = _plan(worker_person, wati, ("SA", "p2p", "domestic"))
    result = readiness_for(worker_person, plan)
    assert result.ready is False
    assert result.blockers[0].code == "moratorium"
    assert "260" in result.blockers[0].message
    assert result.next_steps[0].code == "moratorium"


# --- readiness_for and its cache ------------------------------------------------------


def test_no_plan_no_readiness(worker_person):
    assert readiness_for(worker_person) is None


def test_states_from_real_documents(worker_person, wati, kr_set):
    today = timezone.localdate()
    _plan(worker_person, wati, departure=today + timedelta(days=60))
    document(worker_person, "ktp", "pending")
    document(worker_person, "passport", expires_on=today + timedelta(days=200))  # < 18 months
    document(worker_person, "medical", issued_on=today - timedelta(days=120))  # > 3 months
    document(worker_person, "eps-topik", "rejected", level="90", rejection_reason="Buram")
    result = readiness_for(worker_person)
    assert _states(result) == {
        "ktp": "pending",
        "passport": "expiring",
        "medical": "expired",
        "eps-topik": "rejected",
    }
    assert result.percent == 0 and not result.ready
    # The cached (compact) row gives the same answer, texts and all.
    assert readiness_for(worker_person) == result
    assert [s.requirement_code for s in result.next_steps] == [
        "eps-topik",
        "medical",
        "passport",
        "ktp",
    ]


def test_the_latest_upload_counts_and_replaced_ones_do_not(worker_person, wati, kr_set):
    _plan(worker_person, wati)
    earlier = timezone.now() - timedelta(days=3)
    document(worker_person, "ktp", "verified", uploaded_at=earlier)
    document(worker_person, "ktp", "rejected", rejection_reason="Salah orang")
    assert _states(readiness_for(worker_person))["ktp"] == "rejected"
    document(worker_person, "eps-topik", "replaced", level="150")
    assert _states(readiness_for(worker_person))["eps-topik"] == "missing"


def test_complete_and_eligible_is_ready(worker_person, wati, kr_set):
    _plan(worker_person, wati)
    complete_documents(worker_person)
    result = readiness_for(worker_person)
    assert result.ready and result.percent == 100 and not result.next_steps
    row = Readiness.objects.get(person=worker_person)
    assert row.ready and row.percent == 100 and row.target_key == "KR:g2g-kr-eps:manufacturing"


def test_a_cache_hit_is_three_queries_and_writes_nothing(
    worker_person, wati, kr_set, django_assert_num_queries
):
    _plan(worker_person, wati)
    first = readiness_for(worker_person)
    computed_at = Readiness.objects.get().computed_at
    # The plan; the row (and whether a document changed since); the document types'
    # texts the row leaves out.
    with django_assert_num_queries(3):
        again = readiness_for(worker_person)
    assert again == first
    assert Readiness.objects.get().computed_at == computed_at


def test_a_document_change_recomputes(worker_person, wati, kr_set):
    _plan(worker_person, wati)
    assert _states(readiness_for(worker_person))["ktp"] == "missing"
    doc = document(worker_person, "ktp", "pending")
    assert _states(readiness_for(worker_person))["ktp"] == "pending"
    # What the documents app does on verification: status and changed_at.
    type(doc).objects.filter(pk=doc.pk).update(status="verified", changed_at=timezone.now())
    assert _states(readiness_for(worker_person))["ktp"] == "met"


def test_a_write_committed_while_the_answer_was_computed_is_not_missed(worker_person, wati, kr_set):
    """A writer takes changed_at when its transaction begins; if it commits after a
    concurrent readiness answer was computed, changed_at is older than that answer.
    The print of the person's documents (count, newest id, sum of versions) still
    tells the answer is stale."""
    from django.db.models import F

    _plan(worker_person, wati)
    doc = document(worker_person, "ktp", "pending", uploaded_at=timezone.now() - timedelta(hours=1))
    assert _states(readiness_for(worker_person))["ktp"] == "pending"
    computed_at = Readiness.objects.get().computed_at
    type(doc).objects.filter(pk=doc.pk).update(
        status="verified",
        version=F("version") + 1,
        changed_at=computed_at - timedelta(seconds=1),
    )
    assert _states(readiness_for(worker_person))["ktp"] == "met"
    # A new document written the same way (older changed_at) is seen too.
    code = next(
        c for c, state in _states(readiness_for(worker_person)).items() if state == "missing"
    )
    document(worker_person, code, "verified", uploaded_at=computed_at - timedelta(seconds=1))
    assert _states(readiness_for(worker_person))[code] == "met"


def test_upload_and_verify_through_the_documents_services(worker_person, wati, alice, kr_set):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from garda.documents.models import DocumentType
    from garda.documents.services import document_upload, document_verify

    _plan(worker_person, wati)
    assert _states(readiness_for(worker_person))["ktp"] == "missing"
    pdf = SimpleUploadedFile("ktp.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    doc = document_upload(
        actor=wati,
        person=worker_person,
        type=DocumentType.objects.get(code="ktp"),
        files=[pdf],
        number="3171014101900002",
    )
    assert _states(readiness_for(worker_person))["ktp"] == "pending"
    document_verify(actor=alice, document=doc)
    assert _states(readiness_for(worker_person))["ktp"] == "met"


def test_person_changes_recompute_even_without_updated_at(worker_person, wati, kr_set):
    _plan(worker_person, wati)
    assert not readiness_for(worker_person).blockers
    # The duplicate check raises its flag with a plain update (no updated_at).
    Person.objects.filter(pk=worker_person.pk).update(needs_duplicate_review=True)
    fresh = Person.objects.get(pk=worker_person.pk)
    assert [b.code for b in readiness_for(fresh).blockers] == ["open_duplicate"]


def test_a_rule_change_marked_stale_is_recomputed(worker_person, wati, kr_set):
    _plan(worker_person, wati)
    assert readiness_for(worker_person).blockers == ()
    SectorRule.objects.create(
        destination=destination("KR"),
        sector="manufacturing",
        status="moratorium",
        legal_basis="Kepmenaker 1/2026 (test)",
        effective_from=timezone.localdate() - timedelta(days=1),
    )
    # Not yet marked: the cached answer still holds.
    assert readiness_for(worker_person).blockers == ()
    assert readiness_mark_stale(destination_code="KR", sector="manufacturing") == 1
    assert Readiness.objects.get().stale
    assert [b.code for b in readiness_for(worker_person).blockers] == ["moratorium"]
    assert not Readiness.objects.get().stale


def test_readiness_mark_stale_matches_by_codes(worker_person, wati, kr_set):
    _plan(worker_person, wati)
    readiness_for(worker_person)
    assert readiness_mark_stale(scheme_code="p2p") == 0
    assert readiness_mark_stale(destination_code="JP") == 0
    assert readiness_mark_stale(scheme_code="g2g-kr-eps") == 1


def test_a_new_day_or_another_language_recomputes(worker_person, wati, kr_set):
    _plan(worker_person, wati)
    today = timezone.localdate()
    with translation.override("en"):
        english = readiness_for(worker_person, today=today)
    with translation.override("id"):
        indonesian = readiness_for(worker_person, today=today)
    assert english.language == "en" and indonesian.language == "id"
    tomorrow = readiness_for(worker_person, today=today + timedelta(days=1))
    assert tomorrow.computed_for == today + timedelta(days=1)


def test_experience_changes_are_seen_when_a_condition_reads_them(worker_person, wati):
    requirement_set(
        KR_EPS, conditions=[{"kind": "max_prior_stay_years", "country": "KR", "years": 5}]
    )
    korea, _ = Country.objects.get_or_create(
        code="KR",
        defaults={
            "alpha3": "KOR",
            "numeric": "410",
            "name_id": "Korea Selatan",
            "name_en": "South Korea",
        },
    )
    _plan(worker_person, wati)
    assert readiness_for(worker_person).blockers == ()
    WorkExperience.objects.create(
        person=worker_person,
        employer="Hyundai",
        country=korea,
        started_on=date(2015, 1, 1),
        ended_on=date(2021, 1, 1),
    )
    assert [b.code for b in readiness_for(worker_person).blockers] == ["prior_stay"]


def test_evaluate_any_target_without_caching(worker_person, kr_set):
    result = readiness.evaluate(
        worker_person, destination_code="kr", scheme_code="g2g-kr-eps", sector="manufacturing"
    )
    assert result.target_key == "KR:g2g-kr-eps:manufacturing"
    assert not Readiness.objects.exists()
    with pytest.raises(ValidationError) as caught:
        readiness.evaluate(worker_person, destination_code="ZZ", scheme_code="x", sector="y")
    assert set(caught.value.error_dict) == {"destination", "scheme", "sector"}


# --- bulk -----------------------------------------------------------------------------


def _population(n: int, actor, start: int = 10) -> list[int]:
    ids = []
    for serial in range(start, start + n):
        person = educated(register(serial=serial, full_name=f"Pekerja {serial}"))
        _plan(person, actor)
        document(person, "ktp")
        document(person, "medical", issued_on=timezone.localdate() - timedelta(days=3))
        ids.append(person.pk)
    return ids


def test_recompute_many_writes_one_answer_per_planned_person(alice, kr_set):
    ids = _population(5, alice)
    unplanned = register(serial=99, full_name="Tanpa Rencana")
    assert recompute_many([*ids, unplanned.pk], chunk_size=2) == 5
    rows = Readiness.objects.order_by("person_id")
    assert [r.person_id for r in rows] == ids
    assert {r.percent for r in rows} == {50}
    # The cached rows are what readiness_for serves afterwards.
    person = Person.objects.get(pk=ids[0])
    assert readiness_for(person).percent == 50
    # Again: rows are updated in place.
    assert recompute_many(ids) == 5 and Readiness.objects.count() == 5


def test_recompute_many_queries_do_not_grow_with_the_persons(alice, kr_set):
    small, large = _population(3, alice), _population(12, alice, start=30)
    recompute_many(small)  # warms nothing: each call loads its own targets
    with CaptureQueriesContext(connection) as few:
        recompute_many(small)
    with CaptureQueriesContext(connection) as many:
        recompute_many(large)
    # Targets (destinations, schemes, sector rules, requirement set: 5), plans,
    # persons, documents, experience, the upsert (1 on SQLite, 4 on PostgreSQL).
    assert len(many) == len(few) <= 14
