"""The follow-through dashboard: per receiving agency, the referrals asked in a period
received, answered, answered on time, declined, reported, reported on time, overdue
now and the median time to an answer, in one query; the page for supervisors and
admins (every agency) and partners (their own agency's row only), refused to
officers; the API with the same numbers; bad periods refused."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.tests.factories import case_in_progress
from garda.referrals import dashboard as board
from garda.referrals.models import Status
from garda.referrals.tests.factories_followup import make_referral

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=JAKARTA)
URL = "/referrals/dashboard/"
API = "/api/v1/referrals/dashboard"


def nov(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=JAKARTA)


@pytest.fixture
def world(alice, bp3mi, dinsos):
    """BP3MI: four referrals asked in November 2026 (one answered and reported on
    time, one declined late, one unanswered and overdue, one accepted and not
    reported by its date) and one of 2025 still unanswered; Dinsos: one asked in
    November and not yet due, one asked and answered in December."""
    with time_machine.travel(nov(1), tick=False):
        case = case_in_progress(officer=alice)

    def ref(agency, **kw):
        return make_referral(case=case, agency=agency, requested_by=alice, **kw)

    ref(
        bp3mi,
        status=Status.REPORTED,
        requested_at=nov(2),
        due_at=nov(5),
        answered_at=nov(2, 18),  # 10 hours
        report_due_at=nov(20),
        reported_at=nov(15),
    )
    ref(
        bp3mi,
        status=Status.DECLINED,
        requested_at=nov(3),
        due_at=nov(4),
        answered_at=nov(4, 14),  # 30 hours, late
    )
    ref(bp3mi, requested_at=nov(10), due_at=nov(13))
    ref(
        bp3mi,
        status=Status.ACCEPTED,
        requested_at=nov(11),
        due_at=nov(14),
        answered_at=nov(11, 12),  # 4 hours
        report_due_at=nov(30),
    )
    ref(
        bp3mi,
        requested_at=datetime(2025, 6, 1, 8, tzinfo=JAKARTA),
        due_at=datetime(2025, 6, 4, 8, tzinfo=JAKARTA),
    )
    ref(dinsos, requested_at=nov(20), due_at=NOW + timedelta(days=10))
    ref(
        dinsos,
        status=Status.ACCEPTED,
        requested_at=datetime(2026, 12, 1, 8, tzinfo=JAKARTA),
        due_at=datetime(2026, 12, 3, 8, tzinfo=JAKARTA),
        answered_at=datetime(2026, 12, 2, 8, tzinfo=JAKARTA),
        report_due_at=NOW + timedelta(days=20),
    )
    return case


def by_agency(found) -> dict:
    return {r.short_name: r for r in found}


def test_the_counts_of_a_month(world, django_assert_num_queries):
    with django_assert_num_queries(board.QUERIES):
        found = board.rows(period=board.parse_period("2026-11"), now=NOW)
    rows = by_agency(found)
    assert set(rows) == {"BP3MI", "Dinsos"}
    b = rows["BP3MI"]
    assert (b.received, b.answered, b.answered_on_time, b.declined) == (4, 3, 2, 1)
    assert (b.reported, b.reported_on_time) == (1, 1)
    # Unanswered (November and 2025) and accepted past its report-back date.
    assert b.overdue_now == 3
    assert b.median_answer_hours == 10.0  # of 4, 10 and 30 hours
    assert b.on_time_percent == 50
    d = rows["Dinsos"]
    assert (d.received, d.answered, d.overdue_now, d.median_answer_hours) == (1, 0, 0, None)
    assert board.totals(found)["received"] == 5


def test_a_year_and_the_kind_filter(world):
    rows = by_agency(board.rows(period=board.parse_period("2026"), now=NOW))
    assert rows["Dinsos"].received == 2 and rows["Dinsos"].answered_on_time == 1
    assert rows["Dinsos"].median_answer_hours == 24.0
    social = board.rows(period=board.parse_period("2026"), kind="social", now=NOW)
    assert [r.short_name for r in social] == ["Dinsos"]
    # 2025: only the referral asked then, still overdue.
    old = by_agency(board.rows(period=board.parse_period("2025"), now=NOW))
    assert (old["BP3MI"].received, old["BP3MI"].overdue_now) == (1, 3)


def test_one_query_whatever_the_number_of_referrals(world, bp3mi, alice, django_assert_num_queries):
    for day in range(1, 28):
        make_referral(case=world, agency=bp3mi, requested_by=alice, requested_at=nov(day))
    with django_assert_num_queries(1):
        found = board.rows(period=board.parse_period("2026-11"), now=NOW)
    assert by_agency(found)["BP3MI"].received == 31


@pytest.mark.parametrize("raw", ["2026-13", "2026-00", "26", "2026-1", "abc", "1999", "2026/11"])
def test_periods_that_are_not_a_year_or_a_month(raw):
    with pytest.raises(ValueError):
        board.parse_period(raw)


def test_periods():
    assert board.parse_period("2026-12").end.isoformat() == "2027-01-01"
    assert board.parse_period("2026").start.isoformat() == "2026-01-01"
    assert board.parse_period("").value == str(board.timezone.localdate().year)


def test_the_page_for_a_supervisor(world, bob):
    with time_machine.travel(NOW, tick=False):
        response = verified_client(bob).get(URL, {"period": "2026-11"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rujukan yang dijawab tepat waktu" in html
    assert "BP3MI" in html and "Dinsos" in html
    assert "10.0 jam" in html or "10,0 jam" in html
    assert "<svg" in html and 'role="img"' in html
    assert AuditEvent.objects.filter(
        actor=bob, action=AuditEvent.Action.VIEW, reason="referral dashboard"
    ).exists()


def test_the_page_names_no_person_or_case(world, bob):
    with time_machine.travel(NOW, tick=False):
        html = verified_client(bob).get(URL, {"period": "2026-11"}).content.decode()
    assert world.reference not in html and world.subject_name not in html
    assert "RJK-" not in html


def test_a_partner_sees_only_their_agency(world, putri):
    with time_machine.travel(NOW, tick=False):
        html = verified_client(putri).get(URL, {"period": "2026-11", "kind": "social"})
    assert html.status_code == 200
    text = html.content.decode()
    assert "BP3MI" in text and "Dinsos" not in text
    assert 'name="kind"' not in text


def test_an_officer_is_refused(world, alice):
    response = verified_client(alice).get(URL)
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=alice, action=AuditEvent.Action.DENIED).exists()


def test_the_public_is_sent_to_the_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_a_bad_period_on_the_page_says_so(world, admin_user):
    response = verified_client(admin_user).get(URL, {"period": "2026-13"})
    assert response.status_code == 200
    assert "Periode itu tidak dikenali" in response.content.decode()


def test_the_api(world, admin_user, putri, alice):
    with time_machine.travel(NOW, tick=False):
        body = verified_client(admin_user).get(API, {"period": "2026-11"}).json()
        own = verified_client(putri).get(API, {"period": "2026-11"}).json()
    assert body["period"] == "2026-11" and body["start"] == "2026-11-01"
    rows = {r["agency"]: r for r in body["rows"]}
    assert rows["BP3MI"]["answered_on_time"] == 2 and rows["BP3MI"]["overdue_now"] == 3
    assert rows["BP3MI"]["median_answer_hours"] == 10.0
    assert [r["agency"] for r in own["rows"]] == ["BP3MI"]
    assert verified_client(alice).get(API).status_code == 403


@pytest.mark.parametrize("query", [{"period": "2026-13"}, {"period": "x"}, {"kind": "bank"}])
def test_the_api_refuses_bad_filters(bob, query):
    response = verified_client(bob).get(API, query)
    assert response.status_code == 400
    assert "detail" in response.json()
