"""Recommendations: courses that close a person's readiness gaps, soonest batch first;
the pages and the API, with their access rules and bounded queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.destinations.services.plans import plan_set
from garda.destinations.tests.factories_readiness import (
    KR_EPS,
    destination,
    doc_type,
    document,
    educated,
    requirement_set,
)
from garda.people.tests.factories import register
from garda.training.models import Course, CoursePrerequisiteDocument, Enrolment
from garda.training.recommendations import gaps_of, recommend, recommend_for_plan
from garda.training.tests.factories import (
    jakarta_timur,
    make_batch,
    make_course,
    make_provider,
)

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db

KR = {"destination_code": "KR", "scheme_code": "g2g-kr-eps", "sector": "manufacturing"}
KR_QUERY = {"destination": "KR", "scheme": "g2g-kr-eps", "sector": "manufacturing"}
REQUIREMENTS = [
    {"type": "ktp"},
    {"type": "eps-topik", "min_level": "80"},
    {"type": "competency-certificate"},
]


@pytest.fixture(autouse=True)
def _only_our_courses(db):
    """The seeded catalogue has no batches here; its courses would be listed last."""
    Course.objects.update(is_active=False)


@pytest.fixture
def person(wati):
    return educated(register(serial=2, user=wati, full_name="Wati Lestari"))


@pytest.fixture
def kr_set(db):
    return requirement_set(KR_EPS, requirements=REQUIREMENTS)


@pytest.fixture
def provider(ppkd):
    jakarta_timur()
    return make_provider(ppkd)


def course(code, prepares, *, sector="welding", job_sectors=(), destinations=(), **extra):
    c = make_course(code, sector=sector, job_sectors=list(job_sectors), **extra)
    c.prepares_for.set([doc_type(t) for t in prepares])
    if destinations:
        c.destinations.set([destination(d) for d in destinations])
    return c


@pytest.fixture
def catalogue(provider, kr_set):
    """Korean (closes EPS-TOPIK, batch in 30 days), welding for manufacturing (closes
    the competency certificate, batch in 10 days), caregiving (competency certificate,
    but caregiving jobs only), Japanese (JLPT: not a gap), Korean for Japan only, and a
    manufacturing course with no batch yet."""
    korean = course("t-korean-eps", ["eps-topik"], sector="language", destinations=["KR"])
    welding = course(
        "t-welding-smaw", ["competency-certificate"], job_sectors=["manufacturing", "construction"]
    )
    care = course(
        "t-kaigo", ["competency-certificate"], sector="caregiving", job_sectors=["caregiving"]
    )
    japanese = course("t-japanese-n4", ["jlpt"], sector="language")
    korean_jp = course("t-korean-jp", ["eps-topik"], sector="language", destinations=["JP"])
    nobatch = course("t-industrial-mech", ["competency-certificate"], sector="engineering")
    make_batch(korean, provider, code="KOR-1", starts_in_days=30)
    make_batch(welding, provider, code="WLD-1", starts_in_days=10)
    make_batch(care, provider, code="CARE-1", starts_in_days=5)
    make_batch(japanese, provider, code="JPN-1", starts_in_days=5)
    make_batch(korean_jp, provider, code="KJP-1", starts_in_days=5)
    return {"korean": korean, "welding": welding, "nobatch": nobatch}


def codes(recommendations):
    return [r.course.code for r in recommendations]


def test_soonest_batch_first_and_only_courses_that_close_a_gap(person, catalogue):
    found = recommend(person, **KR)
    assert codes(found) == ["t-welding-smaw", "t-korean-eps", "t-industrial-mech"]
    welding, korean, nobatch = found
    assert [g.code for g in welding.closes] == ["competency-certificate"]
    assert [g.code for g in korean.closes] == ["eps-topik"]
    assert welding.batch.code == "WLD-1" and welding.seats_left == 10 and not welding.waitlist
    assert nobatch.batch is None and nobatch.seats_left is None and not nobatch.waitlist
    assert welding.unmet == [] and welding.enrolment_status is None


def test_ties_go_to_the_course_that_closes_more_gaps(person, provider, kr_set):
    one = course("t-aa-one", ["eps-topik"])
    two = course("t-zz-two", ["eps-topik", "competency-certificate"])
    make_batch(one, provider, starts_in_days=10)
    make_batch(two, provider, starts_in_days=10)
    assert codes(recommend(person, **KR)) == ["t-zz-two", "t-aa-one"]


def test_a_pending_document_is_not_a_gap(person, catalogue):
    document(person, "eps-topik", "pending", level="120")
    assert "t-korean-eps" not in codes(recommend(person, **KR))


@pytest.mark.parametrize(
    ("status", "extra"),
    [
        ("rejected", {"rejection_reason": "Buram"}),
        ("verified", {"level": "60"}),  # below the required 80: still missing
        ("verified", {"expires_on": timezone.localdate() - timedelta(days=1)}),
    ],
)
def test_rejected_too_low_and_expired_documents_are_gaps(person, catalogue, status, extra):
    document(person, "eps-topik", status, **extra)
    assert "t-korean-eps" in codes(recommend(person, **KR))


def test_someone_meeting_everything_gets_nothing(person, catalogue):
    document(person, "ktp")
    document(person, "eps-topik", level="120")
    document(person, "competency-certificate")
    assert recommend(person, **KR) == []


def test_a_full_batch_means_the_waiting_list_unless_a_later_one_has_seats(
    person, catalogue, provider
):
    full = make_batch(catalogue["welding"], provider, code="WLD-0", starts_in_days=3, capacity=1)
    type(full).objects.filter(pk=full.pk).update(enrolled_count=1)
    found = {r.course.code: r for r in recommend(person, **KR)}
    assert found["t-welding-smaw"].batch.code == "WLD-1"  # later, with seats
    type(full).objects.filter(course=catalogue["welding"]).update(enrolled_count=1, capacity=1)
    found = {r.course.code: r for r in recommend(person, **KR)}
    assert found["t-welding-smaw"].batch.code == "WLD-0"
    assert found["t-welding-smaw"].waitlist and found["t-welding-smaw"].seats_left == 0


def test_closed_cancelled_unpublished_and_past_batches_are_not_offered(person, catalogue, provider):
    korean = catalogue["korean"]
    make_batch(korean, provider, code="KOR-PAST", starts_in_days=-3)
    make_batch(korean, provider, code="KOR-HIDDEN", starts_in_days=2, is_published=False)
    make_batch(korean, provider, code="KOR-CXL", starts_in_days=2, cancelled_at=timezone.now())
    make_batch(korean, provider, code="KOR-DONE", starts_in_days=2, closed_at=timezone.now())
    make_batch(
        korean,
        provider,
        code="KOR-LATE",
        starts_in_days=2,
        enrol_until=timezone.localdate() - timedelta(days=1),
    )
    found = {r.course.code: r for r in recommend(person, **KR)}
    assert found["t-korean-eps"].batch.code == "KOR-1"


def test_an_inactive_course_is_not_recommended(person, catalogue):
    catalogue["welding"].__class__.objects.filter(pk=catalogue["welding"].pk).update(
        is_active=False
    )
    assert "t-welding-smaw" not in codes(recommend(person, **KR))


def test_the_persons_own_batch_is_shown(person, catalogue, provider):
    later = make_batch(catalogue["korean"], provider, code="KOR-2", starts_in_days=60)
    Enrolment.objects.create(batch=later, person=person, status="waitlisted")
    found = {r.course.code: r for r in recommend(person, **KR)}
    assert found["t-korean-eps"].batch.code == "KOR-2"
    assert found["t-korean-eps"].enrolment_status == "waitlisted" and found["t-korean-eps"].waitlist


def test_unmet_prerequisites_are_listed(person, catalogue):
    welding = catalogue["welding"]
    welding.min_age = 60
    welding.save(update_fields=["min_age"])
    CoursePrerequisiteDocument.objects.create(course=welding, document_type=doc_type("ktp"))
    found = {r.course.code: r for r in recommend(person, **KR)}
    assert {u.code for u in found["t-welding-smaw"].unmet} == {"min_age", "prior_document"}
    assert found["t-korean-eps"].unmet == []


def test_a_group_of_alternatives_met_by_one_is_not_a_gap(person, provider):
    requirement_set(
        KR_EPS,
        requirements=[
            {"type": "eps-topik", "alternative_group": 1},
            {"type": "jlpt", "alternative_group": 1},
        ],
    )
    course("t-korean-eps", ["eps-topik"])
    document(person, "jlpt", level="N4")
    assert recommend(person, **KR) == []


def test_the_plan_is_the_default_target(person, wati, catalogue):
    assert recommend_for_plan(person) is None
    plan_set(actor=wati, person=person, **KR)
    assert codes(recommend_for_plan(person)) == [
        "t-welding-smaw",
        "t-korean-eps",
        "t-industrial-mech",
    ]


def test_gaps_of_leaves_out_met_and_pending(person, catalogue):
    from garda.destinations.readiness import evaluate

    document(person, "ktp")
    document(person, "eps-topik", "pending", level="120")
    result = evaluate(person, **KR)
    assert [g.code for g in gaps_of(result)] == ["competency-certificate"]


def test_queries_do_not_grow_with_courses_and_batches(person, catalogue, provider):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            recommend(person, **KR)
        return len(ctx)

    before = count()
    for i in range(5):
        extra = course(f"t-extra-{i}", ["eps-topik", "competency-certificate"])
        make_batch(extra, provider, starts_in_days=7 + i)
        make_batch(extra, provider, starts_in_days=40 + i)
    assert len(recommend(person, **KR)) == 8
    assert count() == before


# --- pages ----------------------------------------------------------------------------


def _en(client):
    client.cookies["django_language"] = "en"
    return client


MINE = "/training/recommendations/"


def test_worker_page_follows_the_plan(person, wati, catalogue):
    plan_set(actor=wati, person=person, **KR)
    client = _en(verified_client(wati))
    response = client.get(MINE)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index('data-course="t-welding-smaw"') < page.index('data-course="t-korean-eps"')
    assert "WLD-1" in page and "10 seats left" in page and "No upcoming batch yet" in page
    welding_batch = catalogue["welding"].batches.get()
    assert f'href="{reverse("training:batch", args=[welding_batch.pk])}"' in page
    assert AuditEvent.objects.filter(
        action="view", reason="training recommendations", object_id=str(person.pk)
    ).exists()


def test_worker_page_without_a_plan_asks_for_a_target(person, wati, catalogue):
    client = _en(verified_client(wati))
    page = client.get(MINE).content.decode()
    assert "There is no placement plan yet" in page and 'name="destination"' in page
    page = client.get(MINE, KR_QUERY).content.decode()
    assert 'data-course="t-welding-smaw"' in page


def test_worker_page_explains_a_bad_target(person, wati, catalogue):
    client = _en(verified_client(wati))
    response = client.get(MINE, {**KR_QUERY, "scheme": ""})
    assert response.status_code == 200
    assert b"Give destination, scheme and sector together." in response.content
    response = client.get(MINE, {**KR_QUERY, "destination": "JP"})
    assert b"is not available for Japan. Choose one of:" in response.content
    assert b"data-course=" not in response.content


def test_worker_without_a_profile_goes_to_it(tono):
    response = verified_client(tono).get(MINE)
    assert response.status_code == 302 and response.url == reverse("people:me")


def test_officer_page_for_a_person(person, alice, catalogue):
    url = reverse("training:person_recommendations", args=[person.pk])
    response = _en(verified_client(alice)).get(url, KR_QUERY)
    assert response.status_code == 200
    assert b'data-course="t-korean-eps"' in response.content


def test_page_roles(person, tono, teguh, putri, catalogue):
    url = reverse("training:person_recommendations", args=[person.pk])
    assert verified_client(tono).get(url).status_code == 403
    assert verified_client(teguh).get(url).status_code == 403
    assert verified_client(putri).get(url).status_code == 403
    assert verified_client(teguh).get(MINE).status_code == 403


def test_officer_page_for_a_missing_person_is_404(alice, db):
    url = reverse("training:person_recommendations", args=[999999])
    assert verified_client(alice).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id="999999").exists()


def test_page_queries_are_bounded(person, wati, catalogue, provider, django_assert_max_num_queries):
    plan_set(actor=wati, person=person, **KR)
    client = verified_client(wati)
    client.get(MINE)  # warm the readiness cache and the session
    with django_assert_max_num_queries(30):
        assert client.get(MINE).status_code == 200


# --- API ------------------------------------------------------------------------------


def api_url(person_id):
    return f"/api/v1/people/{person_id}/training-recommendations"


def test_api_contract(person, wati, catalogue):
    response = verified_client(wati).get(api_url(person.pk), KR_QUERY)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["course"]["code"] for r in body] == [
        "t-welding-smaw",
        "t-korean-eps",
        "t-industrial-mech",
    ]
    first = body[0]
    assert first["course"] == {
        "code": "t-welding-smaw",
        "title": first["course"]["title"],
        "sector": "welding",
    }
    assert first["closes"] == [
        {"code": "competency-certificate", "name": first["closes"][0]["name"]}
    ]
    assert first["batch"]["code"] == "WLD-1" and first["batch"]["seats_left"] == 10
    assert first["waitlist"] is False and first["unmet"] == []
    assert body[2]["batch"] is None
    assert AuditEvent.objects.filter(action="view", reason="training recommendations").exists()


def test_api_plan_default_and_no_plan(person, wati, catalogue):
    client = verified_client(wati)
    response = client.get(api_url(person.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "no placement plan" in response.json()["detail"]
    plan_set(actor=wati, person=person, **KR)
    assert len(client.get(api_url(person.pk)).json()) == 3


def test_api_bad_target_is_422_naming_the_field(person, alice, catalogue):
    client = verified_client(alice)
    response = client.get(api_url(person.pk), {**KR_QUERY, "destination": "XX"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["destination"]
    response = client.get(api_url(person.pk), {"destination": "KR"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"scheme", "sector"}
    response = client.get(api_url(person.pk), {**KR_QUERY, "sector": "welding"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sector"


def test_api_scoping(person, tono, teguh, putri, catalogue):
    register(serial=5, user=tono, full_name="Tono")
    for user in (tono, teguh, putri):
        assert verified_client(user).get(api_url(person.pk), KR_QUERY).status_code == 404
    assert verified_client(tono).get(api_url(999999), KR_QUERY).status_code == 404


def test_api_queries_are_bounded(person, alice, catalogue, provider, django_assert_max_num_queries):
    client = verified_client(alice)
    client.get(api_url(person.pk), KR_QUERY)
    for i in range(4):
        extra = course(f"t-extra-{i}", ["eps-topik"])
        make_batch(extra, provider, starts_in_days=7 + i)
    with django_assert_max_num_queries(25):
        assert len(client.get(api_url(person.pk), KR_QUERY).json()) == 7


def test_queries_do_not_grow_with_courses_that_have_prerequisites(person, catalogue, provider):
    """Prerequisites are checked for all listed courses at once
    (eligibility.unmet_prerequisites_many)."""
    from garda.documents.models import DocumentType
    from garda.training.models import CoursePrerequisiteDocument

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            found = recommend(person, **KR)
        return len(ctx), found

    jlpt = DocumentType.objects.get(code="jlpt")
    first = course("t-pre-0", ["eps-topik"])
    first.prerequisite_courses.add(catalogue["welding"])
    CoursePrerequisiteDocument.objects.create(course=first, document_type=jlpt, min_level="N5")
    before, _ = count()
    for i in range(1, 5):
        extra = course(f"t-pre-{i}", ["eps-topik", "competency-certificate"])
        extra.prerequisite_courses.add(catalogue["welding"])
        CoursePrerequisiteDocument.objects.create(course=extra, document_type=jlpt, min_level="N5")
        make_batch(extra, provider, starts_in_days=7 + i)
    after, found = count()
    assert after == before
    listed = {r.course.code: r for r in found}
    assert {u.code for u in listed["t-pre-3"].unmet} >= {"prior_course", "prior_document"}


def test_choosing_the_country_alone_offers_only_its_schemes(person, wati, catalogue):
    """Without JavaScript the target is two steps: the country, then a scheme of that
    country (the menu lists no other), never an error for the first step."""
    response = verified_client(wati).get(MINE, {"destination": "KR"})
    assert response.status_code == 200
    html = response.content.decode()
    menu = re.search(r'<select name="scheme".*?</select>', html, re.S).group(0)
    offered = set(re.findall(r'<option value="([^"]+)"', menu))
    assert offered and "g2g-kr-eps" in offered
    from garda.destinations.models import DestinationScheme

    korea = set(
        DestinationScheme.objects.filter(destination__code="KR").values_list(
            "scheme__code", flat=True
        )
    )
    assert offered <= korea
    assert "Give destination, scheme and sector together." not in html
    assert "Isi negara tujuan, skema, dan sektor sekaligus." not in html
