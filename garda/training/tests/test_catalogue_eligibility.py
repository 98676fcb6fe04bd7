"""unmet_prerequisites: one test per branch, and its query budget."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from garda.documents.models import Document, DocumentType
from garda.people.models import Person
from garda.training.eligibility import Unmet, age_on, unmet_prerequisites
from garda.training.models import Certificate, CoursePrerequisiteDocument, Enrolment
from garda.training.tests.catalogue_support import person, provider_for
from garda.training.tests.factories import make_batch, make_course

pytestmark = pytest.mark.django_db

ON = date(2030, 6, 1)


def codes(unmet: list[Unmet]) -> list[str]:
    return [u.code for u in unmet]


@pytest.fixture
def en(settings):
    from django.utils import translation

    with translation.override("en"):
        yield


def test_no_prerequisites_means_eligible():
    assert unmet_prerequisites(person(1), make_course("cat-plain"), on=ON) == []


@pytest.mark.parametrize(
    ("has", "needs", "ok"),
    [
        ("sma", "sma", True),
        ("smk", "sma", True),  # SMA and SMK are the same rank
        ("sma", "smk", True),
        ("smp", "sma", False),
        ("d3", "sma", True),
        ("sma", "d3", False),
        ("none", "sd", False),
    ],
)
def test_minimum_education(has, needs, ok, en):
    course = make_course("cat-edu", min_education=needs)
    unmet = unmet_prerequisites(person(2, education=has), course, on=ON)
    assert codes(unmet) == ([] if ok else ["min_education"])


def test_no_education_recorded(en):
    course = make_course("cat-edu", min_education="sma")
    [unmet] = unmet_prerequisites(person(3, education=""), course, on=ON)
    assert unmet.code == "min_education"
    assert "no education is recorded" in unmet.message
    assert "SMA" in unmet.message


def test_education_message_names_both_levels(en):
    course = make_course("cat-edu", min_education="sma")
    [unmet] = unmet_prerequisites(person(3, education="smp"), course, on=ON)
    assert "SMA" in unmet.message and "SMP" in unmet.message


def test_age_is_measured_on_the_given_day(en):
    course = make_course("cat-age", min_age=18, max_age=35)
    young = person(4, born=date(2012, 6, 2))  # 17 on 1 June 2030, 18 the day after
    [unmet] = unmet_prerequisites(young, course, on=ON)
    assert unmet.code == "min_age"
    assert "18" in unmet.message and "17" in unmet.message and "2030" in unmet.message
    assert unmet_prerequisites(young, course, on=ON + timedelta(days=1)) == []


def test_maximum_age(en):
    course = make_course("cat-age", max_age=35)
    old = person(5, born=date(1994, 6, 1))  # 36 on 1 June 2030
    [unmet] = unmet_prerequisites(old, course, on=ON)
    assert unmet.code == "max_age"
    assert "35" in unmet.message and "36" in unmet.message


def test_age_defaults_to_today():
    course = make_course("cat-age", min_age=18)
    today = timezone.localdate()
    teen = person(6, born=date(today.year - 16, 1, 1))
    assert codes(unmet_prerequisites(teen, course)) == ["min_age"]


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2000, 1, 1), date(2000, 1, 1), 0),
        (date(1990, 12, 31), date(2030, 12, 30), 39),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age


@pytest.fixture
def smaw_then_gmaw():
    smaw = make_course("cat-welding-smaw")
    gmaw = make_course("cat-welding-gmaw")
    gmaw.prerequisite_courses.add(smaw)
    return smaw, gmaw


def test_prior_course_unmet(smaw_then_gmaw, en):
    smaw, gmaw = smaw_then_gmaw
    [unmet] = unmet_prerequisites(person(7), gmaw, on=ON)
    assert unmet.code == "prior_course"
    assert smaw.title_en in unmet.message


def test_prior_course_met_by_completion(smaw_then_gmaw, ppkd):
    smaw, gmaw = smaw_then_gmaw
    p = person(8)
    batch = make_batch(smaw, provider_for(ppkd), starts_in_days=-30)
    # Completion is another part's service; the row is what eligibility reads.
    Enrolment.objects.create(batch=batch, person=p, status="completed")
    assert unmet_prerequisites(p, gmaw, on=ON) == []


def test_withdrawn_enrolment_does_not_count(smaw_then_gmaw, ppkd):
    smaw, gmaw = smaw_then_gmaw
    p = person(9)
    batch = make_batch(smaw, provider_for(ppkd), starts_in_days=-30)
    Enrolment.objects.create(batch=batch, person=p, status="withdrawn", reason="sakit")
    assert codes(unmet_prerequisites(p, gmaw, on=ON)) == ["prior_course"]


def _certificate(p: Person, course, **extra) -> Certificate:
    return Certificate.objects.create(
        number=f"EXT-{Certificate.objects.count() + 1}",
        person=p,
        source="external",
        course=course,
        title=course.title,
        issuer_name="LSP Logam",
        issued_on=date(2024, 1, 1),
        **extra,
    )


def test_prior_course_met_by_valid_certificate(smaw_then_gmaw):
    smaw, gmaw = smaw_then_gmaw
    p = person(10)
    _certificate(p, smaw)
    assert unmet_prerequisites(p, gmaw, on=ON) == []


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "revoked", "revoked_reason": "palsu"},
        {"expires_on": date(2025, 1, 1)},
    ],
)
def test_revoked_or_expired_certificate_does_not_count(smaw_then_gmaw, extra):
    smaw, gmaw = smaw_then_gmaw
    p = person(11)
    _certificate(p, smaw, **extra)
    assert codes(unmet_prerequisites(p, gmaw, on=ON, today=date(2026, 1, 1))) == ["prior_course"]


@pytest.fixture
def n4_course():
    course = make_course("cat-japanese-n4", sector="language", units=0)
    CoursePrerequisiteDocument.objects.create(
        course=course, document_type=DocumentType.objects.get(code="jlpt"), min_level="N5"
    )
    return course


def _document(p: Person, code: str, **extra) -> Document:
    extra.setdefault("status", "verified")
    return Document.objects.create(person=p, type=DocumentType.objects.get(code=code), **extra)


def test_prior_document_missing(n4_course, en):
    [unmet] = unmet_prerequisites(person(12), n4_course, on=ON)
    assert unmet.code == "prior_document"
    assert "JLPT" in unmet.message and "N5" in unmet.message and "none" in unmet.message


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"status": "pending", "level": "N5"}, "waiting for verification"),
        ({"status": "rejected", "rejection_reason": "buram", "level": "N5"}, "rejected"),
        ({"level": "N5", "expires_on": date(2025, 1, 1)}, "expired"),
        ({"level": ""}, "no level"),
        ({"level": "A1"}, "the level recorded is A1"),
    ],
)
def test_prior_document_not_good_enough(n4_course, extra, words, en):
    p = person(13)
    _document(p, "jlpt", **extra)
    [unmet] = unmet_prerequisites(p, n4_course, on=ON, today=date(2026, 1, 1))
    assert unmet.code == "prior_document"
    assert words in unmet.message


def test_prior_document_level_order(n4_course):
    CoursePrerequisiteDocument.objects.filter(course=n4_course).update(min_level="N4")
    p = person(14)
    _document(p, "jlpt", level="N5")
    assert codes(unmet_prerequisites(p, n4_course, on=ON)) == ["prior_document"]
    _document(p, "jlpt", level="N3")  # a later upload: the latest counts
    assert unmet_prerequisites(p, n4_course, on=ON) == []


def test_replaced_upload_is_ignored(n4_course):
    p = person(15)
    _document(p, "jlpt", level="N5")
    _document(p, "jlpt", level="", status="replaced")
    assert unmet_prerequisites(p, n4_course, on=ON) == []


def test_scored_document_compares_numbers(en):
    course = make_course("cat-korean-eps", sector="language", units=0)
    CoursePrerequisiteDocument.objects.create(
        course=course, document_type=DocumentType.objects.get(code="eps-topik"), min_level="120"
    )
    p = person(16)
    _document(p, "eps-topik", level="95")
    [unmet] = unmet_prerequisites(p, course, on=ON)
    assert unmet.code == "prior_document" and "95" in unmet.message and "120" in unmet.message
    _document(p, "eps-topik", level="150")
    assert unmet_prerequisites(p, course, on=ON) == []


def test_document_without_minimum_needs_only_verification():
    course = make_course("cat-any-passport", units=0)
    CoursePrerequisiteDocument.objects.create(
        course=course, document_type=DocumentType.objects.get(code="passport")
    )
    p = person(17)
    _document(p, "passport", number="C1234567")
    assert unmet_prerequisites(p, course, on=ON) == []


def test_merged_person_is_not_eligible(en):
    current = person(18)
    old = person(19)
    Person.objects.filter(pk=old.pk).update(merged_into=current)
    old.refresh_from_db()
    [unmet] = unmet_prerequisites(old, make_course("cat-plain"), on=ON)
    assert unmet.code == "merged"


def test_every_failure_is_listed_at_once(smaw_then_gmaw, en):
    _smaw, gmaw = smaw_then_gmaw
    gmaw.min_education, gmaw.min_age = "sma", 18
    gmaw.save()
    CoursePrerequisiteDocument.objects.create(
        course=gmaw, document_type=DocumentType.objects.get(code="competency-certificate")
    )
    p = person(20, education="smp", born=date(2015, 1, 1))
    assert codes(unmet_prerequisites(p, gmaw, on=ON)) == [
        "min_education",
        "min_age",
        "prior_course",
        "prior_document",
    ]


def test_query_budget(smaw_then_gmaw, django_assert_max_num_queries):
    _smaw, gmaw = smaw_then_gmaw
    CoursePrerequisiteDocument.objects.create(
        course=gmaw, document_type=DocumentType.objects.get(code="competency-certificate")
    )
    p = person(21)
    with django_assert_max_num_queries(5):
        unmet_prerequisites(p, gmaw, on=ON)
