"""Outcomes per course, provider and batch: counts and rates on a hand-built dataset,
filters, the page (supervisors and admins), exports (CSV, XLSX, audited), the API and
bounded queries."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.models import Person
from garda.people.tests.factories import register
from garda.training.models import Certificate, Enrolment
from garda.training.outcomes import outcomes, totals
from garda.training.tests.factories import jakarta_timur, make_batch, make_course, make_provider

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db

PAGE = "/training/outcomes/"
EXPORT = "/training/outcomes/export/"
API = "/api/v1/training/outcomes"


def enrol(batch, person, status, *, certificate=None, serial=[0]):  # noqa: B006 - a counter
    """An enrolment row in `status`, with a course certificate ("valid"/"revoked")."""
    enrolment = Enrolment.objects.create(
        batch=batch,
        person=person,
        status=status,
        reason="" if status not in ("withdrawn", "no_show") else "Sakit",
        completed_on=timezone.localdate() if status == "completed" else None,
    )
    if certificate:
        serial[0] += 1
        Certificate.objects.create(
            number=f"GRD/T/{serial[0]:05d}",
            person=person,
            source="course",
            enrolment=enrolment,
            course=batch.course,
            provider=batch.provider,
            title=batch.course.title,
            issuer_name=batch.provider.name,
            issued_on=timezone.localdate(),
            status=certificate,
            revoked_reason="Salah cetak" if certificate == "revoked" else "",
        )
    return enrolment


def placed(person, status):
    Person.objects.filter(pk=person.pk).update(status=status)


@pytest.fixture
def data(ppkd):
    """Welding W1 (PPKD JT, started 20 days ago): p1 completed, certified, placed; p2
    completed, certified; p3 completed, certificate revoked, departed; p4 no-show; p5
    withdrawn; p6 enrolled; p7 waitlisted. Welding W2 (LPK, 10 days ago): p1 completed
    (no certificate). Hotel H1 (PPKD JT, in 30 days): p2 enrolled. A cancelled welding
    batch with p3 enrolled (left out)."""
    jakarta_timur()
    ppkd_jt = make_provider(ppkd)
    lpk = make_provider(kind="lpk")
    welding = make_course("t-welding", sector="welding")
    hotel = make_course("t-hotel", sector="hospitality")
    w1 = make_batch(welding, ppkd_jt, code="W1", starts_in_days=-20)
    w2 = make_batch(welding, lpk, code="W2", starts_in_days=-10)
    h1 = make_batch(hotel, ppkd_jt, code="H1", starts_in_days=30)
    cancelled = make_batch(
        welding, ppkd_jt, code="WX", starts_in_days=-15, cancelled_at=timezone.now()
    )
    p = [register(serial=10 + i) for i in range(1, 8)]
    enrol(w1, p[0], "completed", certificate="valid")
    enrol(w1, p[1], "completed", certificate="valid")
    enrol(w1, p[2], "completed", certificate="revoked")
    enrol(w1, p[3], "no_show")
    enrol(w1, p[4], "withdrawn")
    enrol(w1, p[5], "enrolled")
    enrol(w1, p[6], "waitlisted")
    enrol(w2, p[0], "completed")
    enrol(h1, p[1], "enrolled")
    enrol(cancelled, p[2], "enrolled")
    placed(p[0], "placed")
    placed(p[2], "departed")
    placed(p[4], "abroad")  # withdrew: not counted as placed
    return {"w1": w1, "w2": w2, "h1": h1, "ppkd": ppkd_jt, "lpk": lpk, "welding": welding}


def counts(row):
    return (row.enrolled, row.completed, row.no_show, row.withdrawn, row.certified, row.placed)


def test_by_course(data):
    rows = outcomes(by="course")
    assert [r.code for r in rows] == ["t-hotel", "t-welding"]
    hotel, welding = rows
    assert counts(welding) == (6, 4, 1, 1, 2, 3)
    assert welding.completion_rate == pytest.approx(4 / 6)
    assert welding.certification_rate == pytest.approx(2 / 4)
    assert welding.placement_rate == pytest.approx(3 / 4)
    assert counts(hotel) == (1, 0, 0, 0, 0, 0)
    assert hotel.completion_rate == 0
    assert hotel.certification_rate is None and hotel.placement_rate is None


def test_by_batch(data):
    rows = outcomes(by="batch")
    assert [r.code for r in rows] == ["W1", "W2", "H1"]  # by start; the cancelled one out
    w1, w2, h1 = rows
    assert counts(w1) == (5, 3, 1, 1, 2, 2)
    assert w1.completion_rate == pytest.approx(0.6)
    assert w1.certification_rate == pytest.approx(2 / 3)
    assert counts(w2) == (1, 1, 0, 0, 0, 1)
    assert w1.course == data["welding"].display_title and w1.provider == data["ppkd"].name
    assert w1.starts_on == data["w1"].starts_on


def test_by_provider_and_totals(data):
    rows = outcomes(by="provider")
    by_id = {r.id: r for r in rows}
    assert counts(by_id[data["ppkd"].pk]) == (6, 3, 1, 1, 2, 2)
    assert counts(by_id[data["lpk"].pk]) == (1, 1, 0, 0, 0, 1)
    total = totals(rows)
    assert total.id is None and counts(total) == (7, 4, 1, 1, 2, 3)
    assert total.placement_rate == pytest.approx(0.75)


def test_filters(data):
    today = timezone.localdate()
    assert [r.code for r in outcomes(by="batch", date_to=today)] == ["W1", "W2"]
    assert [r.code for r in outcomes(by="batch", date_from=today)] == ["H1"]
    assert [r.code for r in outcomes(by="batch", date_from=today - timedelta(days=12))] == [
        "W2",
        "H1",
    ]
    assert [r.code for r in outcomes(by="batch", provider=data["lpk"])] == ["W2"]
    assert [r.code for r in outcomes(by="batch", provider=data["lpk"].pk)] == ["W2"]
    assert [r.code for r in outcomes(by="course", sector="hospitality")] == ["t-hotel"]
    assert outcomes(by="course", sector="caregiving") == []


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError):
        outcomes(by="person")


def test_two_queries_whatever_the_data(data, django_assert_num_queries):
    for by in ("course", "provider", "batch"):
        with django_assert_num_queries(2):
            outcomes(by=by)
    with django_assert_num_queries(1):  # nothing to label
        assert outcomes(by="batch", sector="caregiving") == []


# --- page -----------------------------------------------------------------------------


def _en(client):
    client.cookies["django_language"] = "en"
    return client


def test_page_for_a_supervisor(data, bob):
    response = _en(verified_client(bob)).get(PAGE, {"by": "batch"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-id="{data["w1"].pk}"' in page and "60%" in page  # W1's completion
    assert "Total" in page and "format=csv" in page and "format=xlsx" in page
    # Six columns, each count with its rate beside it; a card per batch on a phone.
    from garda.tests.markup import assert_stacked_tables

    (table,) = assert_stacked_tables(page)
    assert table.header_texts == [
        "Batch",
        "Enrolled",
        "Completed",
        "Certified",
        "Placed abroad",
        "Dropped out",
    ]
    w1 = next(dict(r) for r in table.rows if dict(r).get("Batch", "").find("W1") >= 0)
    assert w1["Completed"].endswith("(60%)")
    assert AuditEvent.objects.filter(action="view", reason="outcomes by batch").exists()


def test_page_default_and_bad_filter(data, admin_user):
    client = _en(verified_client(admin_user))
    assert client.get(PAGE).status_code == 200
    response = client.get(PAGE, {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert b"The end of the period is before its start." in response.content
    assert b"data-id=" not in response.content


@pytest.mark.parametrize("who", ["alice", "carol", "teguh", "putri", "wati"])
def test_page_and_export_are_for_supervisors_and_admins(who, request, data):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT, {"format": "csv"}).status_code == 403
    assert client.get(API).status_code == 403


def test_anonymous_is_sent_to_log_in(db):
    from django.test import Client

    assert Client().get(PAGE).status_code == 302
    assert Client().get(API).status_code == 401


def test_page_queries_are_bounded(data, bob, django_assert_max_num_queries):
    client = verified_client(bob)
    client.get(PAGE)
    # The request's own (session, user, device, groups, permissions, notifications,
    # audit row), the provider choices, and the two of outcomes().
    with django_assert_max_num_queries(16):
        assert client.get(PAGE, {"by": "batch"}).status_code == 200


# --- exports --------------------------------------------------------------------------


def test_csv_export(data, bob):
    client = _en(verified_client(bob))
    response = client.get(EXPORT, {"format": "csv", "by": "course"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Course code,Course,Enrolled,Completed")
    assert lines[2].startswith("t-welding,Course t-welding,6,4,1,1,2,3,66.7,50.0,75.0")
    assert lines[-1].startswith("Total,,7,4,1,1,2,3")
    assert AuditEvent.objects.filter(
        action="export", reason="outcomes by course, csv, 2 rows"
    ).exists()


def test_xlsx_export(data, admin_user):
    client = _en(verified_client(admin_user))
    response = client.get(EXPORT, {"format": "xlsx", "by": "batch", "provider": data["lpk"].pk})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Batch", "Course", "Provider", "Starts on")
    assert rows[1][0] == "W2" and rows[1][4:10] == (1, 1, 0, 0, 0, 1)
    assert rows[-1][0] == "Total"
    assert AuditEvent.objects.filter(action="export", reason__startswith="outcomes by batch, xlsx")


def test_formula_cells_are_neutralised(data, bob):
    from garda.training.models import Course

    Course.objects.filter(pk=data["welding"].pk).update(title_en="=HYPERLINK(1)")
    text = _en(verified_client(bob)).get(EXPORT, {"format": "csv"}).content.decode()
    assert "'=HYPERLINK(1)" in text


def test_a_bad_export_request_goes_back_to_the_page(data, bob):
    client = verified_client(bob)
    response = client.get(EXPORT, {"format": "pdf", "by": "batch"})
    assert response.status_code == 302 and response.url == f"{PAGE}?by=batch"
    response = client.get(EXPORT, {"format": "csv", "by": "nobody"})
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export").exists()


# --- API ------------------------------------------------------------------------------


def test_api_rows(data, bob):
    response = verified_client(bob).get(API, {"by": "batch"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 3
    w1 = body["items"][0]
    assert w1["code"] == "W1" and w1["enrolled"] == 5 and w1["completed"] == 3
    assert w1["completion_rate"] == 0.6 and w1["certification_rate"] == 0.6667
    assert body["items"][2]["certification_rate"] is None
    assert AuditEvent.objects.filter(action="view", reason="outcomes by batch").exists()


def test_api_filters(data, admin_user):
    client = verified_client(admin_user)
    today = timezone.localdate().isoformat()
    body = client.get(API, {"by": "batch", "from": today}).json()
    assert [r["code"] for r in body["items"]] == ["H1"]
    body = client.get(API, {"by": "batch", "to": today, "provider": data["ppkd"].pk}).json()
    assert [r["code"] for r in body["items"]] == ["W1"]
    body = client.get(API, {"sector": "hospitality"}).json()
    assert [r["code"] for r in body["items"]] == ["t-hotel"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "person"}, "by"),
        ({"from": "not-a-date"}, "from"),
        ({"from": "2026-05-01", "to": "2026-01-01"}, "to"),
        ({"provider": 999999}, "provider"),
        ({"sector": "astrology"}, "sector"),
    ],
)
def test_api_bad_filters_are_422(params, field, bob, db):
    response = verified_client(bob).get(API, params)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_api_queries_are_bounded(data, bob, django_assert_max_num_queries):
    client = verified_client(bob)
    client.get(API)
    # The request's own (session, user, device, groups, audit row with its lock) and
    # the two of outcomes().
    with django_assert_max_num_queries(12):
        assert client.get(API, {"by": "batch"}).status_code == 200


def test_the_page_shows_a_page_of_groups_with_totals_over_all(data, bob, monkeypatch):
    from garda.training.views import insight as views_insight

    monkeypatch.setattr(views_insight, "OUTCOME_PAGE_SIZE", 2)
    client = _en(verified_client(bob))
    first = client.get(PAGE, {"by": "batch"})
    second = client.get(PAGE, {"by": "batch", "page": 2})
    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 1
    assert "Page 1 of 2" in first.content.decode()
    shown = {r.code for r in first.context["rows"]} | {r.code for r in second.context["rows"]}
    assert shown == {"W1", "W2", "H1"}
    assert first.context["total"].enrolled == second.context["total"].enrolled == 7
