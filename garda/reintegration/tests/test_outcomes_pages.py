"""The outcomes page, its CSV exports and the API, on the known small population
(factories_outcomes.TABLE): what each role gets, the figures in words, the filters,
bad input, the audit rows and the number of queries."""

import csv
import io

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.reintegration.tests.factories_outcomes import population

PAGE = reverse("reintegration:outcomes")
CSV = reverse("reintegration:outcomes_csv")
API = "/api/v1/reintegration/outcomes"
# PostgreSQL takes the audit chain's advisory lock: one query more per audit row.
AUDIT_LOCK = 1 if connection.vendor == "postgresql" else 0


@pytest.fixture
def pop(alice):
    return population(alice)


def english(user):
    client = verified_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


# --- the page -------------------------------------------------------------------------


def test_the_page_says_the_figures_in_words(pop, bob):
    response = english(bob).get(PAGE)
    assert response.status_code == 200
    text = text_of(response)
    # The share's denominator: the 11 plans and the 3 returnees without a plan.
    assert "Plan within a month</dt><dd>8 of 14 (57%)" in text
    assert '<dd id="returnees">14: 11 with a plan, 3 without a plan' in text
    # The instrument the scores are from.
    assert '<dd id="instrument">Survei keberlanjutan (uji) (test-rss 1)</dd>' in text
    assert "1 withdrawn plan left out" in text
    assert "12 of 16 goals: 7 directly, 5 through a referral; 2 dropped, 2 still open" in text
    assert (
        "legal route 2, without the legal procedure 1; has not left 5, not known or not "
        "asked 2; not followed up yet 1" in text
    )
    # The comparison spelled out, the evidence shown.
    assert "Returnees helped through a referral: 0.50 (n=5); directly: 0.66 (n=5)." in text
    assert "returnees score 0.16 lower than those helped directly" in text
    # Per programme: the small groups' means are counted, not published.
    assert "<caption>Outcomes per programme</caption>" in text
    assert '<th scope="row">Desa Migran Produktif</th>' in text
    assert "4 of 6 (67%)" in text
    assert "not reliable: too few scores (n=3)" in text
    # Per city, the plan without a city has its own row.
    assert "City not recorded" in text and "Kota Jakarta Timur" in text
    # Over time: 3, 6 and 12 months.
    assert '<th scope="row">3 months</th>' in text
    assert "0.61 (n=10)" in text and "0.71 (n=10)" in text
    assert '<th scope="row">12 months</th>' in text
    # Each table exports, with the filters.
    for table in ("by_programme", "by_city", "by_month", "direct_vs_referral"):
        assert f"table={table}" in text
    row = AuditEvent.objects.filter(actor=bob).latest("id")
    assert (row.action, row.object_type, row.reason) == (
        "view",
        "reintegration.plan",
        "reintegration outcomes",
    )


def test_the_filters_work_without_javascript(pop, alice):
    response = english(alice).get(
        PAGE, {"from": "2026-02-01", "to": "2026-03-31", "programme": pop.mitra.pk}
    )
    assert response.status_code == 200
    text = text_of(response)
    # Plans 4, 5 and 8 (Mitra Usaha Purna, returned in February and March).
    assert "Plan within a month</dt><dd>3 of 3 (100%)" in text
    assert "Desa Migran Produktif" not in text.split("<h2>", 2)[-1]
    assert 'href="/reintegration/outcomes/export.csv?from=2026-02-01&amp;to=2026-03-31' in text
    # The city list offers the cities plans name.
    form = response.context["form"]
    assert [c.pk for c in form.fields["city"].queryset] == ["31.71", "31.75"]


def test_a_period_without_plans(pop, alice):
    text = text_of(english(alice).get(PAGE, {"from": "2030-01-01"}))
    assert "No plans for returnees in this period." in text


def test_bad_dates_are_refused_in_indonesian_at_the_field(pop, alice):
    response = verified_client(alice).get(PAGE, {"from": "2026-13-45"})
    assert response.status_code == 422
    text = text_of(response)
    assert "Masukkan tanggal yang benar, misalnya 27-03-2026." in text
    assert "<caption>" not in text  # no figures for a filter not understood
    response = english(alice).get(PAGE, {"from": "2026-03-01", "to": "2026-02-01"})
    assert response.status_code == 422
    assert "The end of the period is before its start." in text_of(response)


def test_the_page_reads_in_a_few_queries(pop, bob, django_assert_max_num_queries):
    client = english(bob)
    client.get(PAGE)  # sessions, second factor, menus warmed
    # The session and the user (4), the figures (5), the audit row (4; 5 on PostgreSQL,
    # the chain's lock), the unread notifications, the programmes, cities and
    # instruments of the filters, the footer's agency.
    with django_assert_max_num_queries(18 + AUDIT_LOCK):
        response = client.get(PAGE)
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["wati", "teguh", "putri", "rina"])
def test_other_roles_are_refused_and_it_is_audited(pop, persona, request):
    user = request.getfixturevalue(persona)
    client = verified_client(user)
    for url, params in ((PAGE, {}), (CSV, {"table": "by_city"}), (API, {})):
        assert client.get(url, params).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 3


def test_anonymous_goes_to_log_in(pop, client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(API).status_code == 401


# --- CSV ------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_each_table_exports_as_csv_and_is_audited(pop, bob):
    client = english(bob)
    response = client.get(CSV, {"table": "by_programme"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="garda-reintegration-outcomes-by_programme-' in response["Content-Disposition"]
    rows = read_csv(response)
    header = rows[0]
    assert header[:4] == [
        "Programme",
        "Returnees",
        "Plan within a month",
        "Plan within a month (%)",
    ]
    mandiri = dict(zip(header, rows[1], strict=True))
    assert mandiri["Programme"] == "Desa Migran Produktif"
    assert (mandiri["Returnees"], mandiri["Plan within a month"]) == ("6", "4")
    assert mandiri["Composite score at the latest follow-up"] == "0.52"
    # Three scores helped directly: the count, no mean.
    assert mandiri["Composite score, helped directly"] == ""
    assert mandiri["n (helped directly)"] == "3"
    total = dict(zip(header, rows[-1], strict=True))
    assert (total["Programme"], total["Returnees"], total["Plans withdrawn"]) == (
        "Total",
        "14",
        "1",
    )
    assert (total["Plans"], total["Returnees without a plan"]) == ("11", "3")
    assert (mandiri["Plans"], mandiri["Returnees without a plan"]) == ("6", "0")

    rows = read_csv(client.get(CSV, {"table": "by_city", "city": "31.75"}))
    assert [r[0] for r in rows[1:]] == ["Kota Jakarta Timur", "Total"]

    rows = read_csv(client.get(CSV, {"table": "by_month"}))
    assert rows[1][:4] == ["3", "10", "0.61", "10"]
    assert rows[3][:3] == ["12", "1", ""]
    # Each row says the instrument its scores are from.
    assert rows[0][-1] == "Survey instrument"
    assert rows[1][-1] == "Survei keberlanjutan (uji) (test-rss 1)"

    rows = read_csv(client.get(CSV, {"table": "direct_vs_referral"}))
    instrument = "Survei keberlanjutan (uji) (test-rss 1)"
    assert rows[1:] == [
        ["Directly", "5", "0.66", "5", instrument],
        ["Through a referral", "5", "0.5", "5", instrument],
        ["No service delivered yet", "1", "", "0", ""],
    ]
    exports = AuditEvent.objects.filter(actor=bob, action="export").order_by("id")
    assert [e.reason for e in exports] == [
        "reintegration outcomes csv by_programme",
        "reintegration outcomes csv by_city",
        "reintegration outcomes csv by_month",
        "reintegration outcomes csv direct_vs_referral",
    ]
    assert {e.object_type for e in exports} == {"reintegration.plan"}


def test_a_programme_name_cannot_become_a_formula(alice):
    from datetime import date

    from garda.reintegration.tests.factories_outcomes import make_plan, make_programme

    make_plan(
        programme=make_programme("=HYPERLINK(1)"), created_by=alice, returned_on=date(2026, 1, 1)
    )
    rows = read_csv(english(alice).get(CSV, {"table": "by_programme"}))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_a_bad_export_request_is_answered_on_the_page(pop, alice):
    client = english(alice)
    response = client.get(CSV, {"table": "people"})
    assert response.status_code == 422
    assert "Choose a table to export." in text_of(response)
    response = client.get(CSV, {"table": "by_city", "to": "tomorrow"})
    assert response.status_code == 422
    assert "Enter a valid date." in text_of(response)
    assert not AuditEvent.objects.filter(actor=alice, action="export").exists()


# --- API ------------------------------------------------------------------------------


def test_the_api_gives_every_figure(pop, alice, django_assert_max_num_queries):
    client = verified_client(alice)
    client.get(API)
    # The session and the user (4), the figures (5), the audit row (4, or 5).
    with django_assert_max_num_queries(13 + AUDIT_LOCK):
        response = client.get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {
        "from": None,
        "to": None,
        "programme": None,
        "city": None,
        "instrument": None,
    }
    assert body["instrument"]["code"] == "test-rss" and body["instrument"]["version"] == "1"
    assert body["other_instruments"] == 0
    totals = body["totals"]
    assert (totals["returnees"], totals["in_month"], totals["in_month_share"]) == (14, 8, 0.5714)
    assert (totals["plans"], totals["no_plan"]) == (11, 3)
    assert (totals["delivered_direct"], totals["delivered_referral"]) == (7, 5)
    assert (totals["remigrated_legal"], totals["remigrated_irregular"]) == (2, 1)
    assert totals["composite"] == {"mean": 0.58, "n": 10, "reliable": True}
    assert body["direct_vs_referral"] == {
        "direct": {"plans": 5, "mean": 0.66, "n": 5, "reliable": True},
        "referral": {"plans": 5, "mean": 0.5, "n": 5, "reliable": True},
        "not_helped": {"plans": 1},
    }
    assert [(r["key"], r["returnees"]) for r in body["by_programme"]] == [
        (pop.mandiri.pk, 6),
        (pop.mitra.pk, 5),
    ]
    assert [(r["key"], r["label"]) for r in body["by_city"]] == [
        ("31.71", "Kota Jakarta Pusat"),
        ("31.75", "Kota Jakarta Timur"),
        (None, ""),
    ]
    assert body["by_programme"][0]["composite_direct"] == {"mean": None, "n": 3, "reliable": False}
    assert [(m["month"], m["n"], m["composite"]["mean"]) for m in body["by_month"]] == [
        (3, 10, 0.61),
        (6, 5, 0.6),
        (12, 1, None),
    ]
    assert body["by_month"][0]["psychosocial"] == {"mean": 0.51, "n": 10, "reliable": True}
    row = AuditEvent.objects.filter(actor=alice).latest("id")
    assert (row.action, row.reason) == ("view", "api reintegration outcomes")


def test_the_api_filters(pop, admin_user):
    client = verified_client(admin_user)
    body = client.get(API, {"from": "2026-02-01", "to": "2026-03-31", "city": "31.75"}).json()
    assert body["period"] == {
        "from": "2026-02-01",
        "to": "2026-03-31",
        "programme": None,
        "city": "31.75",
        "instrument": None,
    }
    # Plans 3, 4, 7 and 8.
    assert body["totals"]["returnees"] == 4
    assert [r["label"] for r in body["by_city"]] == ["Kota Jakarta Timur"]
    body = client.get(API, {"programme": pop.mandiri.pk}).json()
    assert [r["label"] for r in body["by_programme"]] == ["Desa Migran Produktif"]
    assert body["totals"]["not_helped"] == 1


def test_the_api_refuses_bad_filters_in_indonesian(pop, alice):
    client = verified_client(alice)
    response = client.get(API, {"from": "kemarin"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == [
        {
            "field": "from",
            "code": "invalid",
            "message": "Masukkan tanggal yang benar, misalnya 27-03-2026.",
        }
    ]
    response = client.get(API, {"programme": "999999", "city": "99.99"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"programme", "city"}
    response = client.get(API, {"from": "2026-03-01", "to": "2026-02-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to"
