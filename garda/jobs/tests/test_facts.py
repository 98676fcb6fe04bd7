"""The facts the checks read (garda/jobs/facts.py): the data files, the dated look-ups
(wage floors, licence validity, the zero-cost exceptions) and the Loader."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from garda.destinations.models import Destination
from garda.jobs import checks, facts
from garda.jobs.models import ProblemListing
from garda.jobs.tests.factories import (
    make_agency,
    make_employer,
    make_order,
    make_partner,
    make_recruiter,
)

# --- the data files ------------------------------------------------------------------


def test_the_data_files_load_and_agree():
    data = facts.data()
    assert data.occupations["9111"].fee_free
    assert not data.occupations["7212"].fee_free
    assert all(len(code) == 4 and code.isdigit() for code in data.occupations)
    for row in data.floors:
        for code in row["occupations"]:
            assert code in data.occupations, f"{row['destination']}: {code} is no occupation"
        assert row["currency"] in data.rates, f"no rate for {row['currency']}"
        assert Decimal(row["amount"]) > 0
        assert row["legal_basis"].strip()
        if row["effective_to"]:
            assert row["effective_to"] > row["effective_from"]
        if row["per"] == "hour":
            assert row["hours_per_month"] > 0
    assert all(rate > 0 for rate in data.rates.values())
    assert data.rates["IDR"] == 1
    assert 0 < data.rate_margin < 0.2
    starts = [r["effective_from"] for r in data.licence_rules]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(r["months"] > 0 and r["legal_basis"] for r in data.licence_rules)
    for row in data.fee_exceptions:
        assert row["effective_from"] >= data.fee_rule_from
        assert row["legal_basis"]


@pytest.mark.django_db
def test_every_floor_and_exception_is_for_a_destination_on_file():
    codes = set(Destination.objects.values_list("code", flat=True))
    data = facts.data()
    assert {r["destination"] for r in data.floors} <= codes
    assert {r["destination"] for r in data.fee_exceptions} <= codes


def test_floors_of_one_destination_and_occupation_do_not_start_on_the_same_day():
    seen = set()
    for row in facts.data().floors:
        for code in row["occupations"] or ["*"]:
            key = (row["destination"], code, row["effective_from"])
            assert key not in seen, key
            seen.add(key)


def test_occupation_choices_name_each_code():
    choices = dict(facts.occupation_choices())
    assert choices["9111"].startswith("9111 — Pengurus rumah tangga")
    assert facts.occupation(" 9111 ").code == "9111"
    assert facts.occupation("0000") is None


# --- the dated look-ups ---------------------------------------------------------------


def test_hong_kong_floor_in_force_on_the_day():
    before = facts.floor_for("HK", "9111", date(2025, 9, 29))
    assert before.amount == Decimal("4990")
    assert before.legal_basis == "Minimum Allowable Wage (Hong Kong), 28 Sep 2024"
    on = facts.floor_for("HK", "9111", date(2025, 9, 30))
    assert (on.amount, on.currency, on.per) == (Decimal("5100"), "HKD", "month")
    assert facts.floor_for("HK", "9111", date(2026, 12, 1)).amount == Decimal("5100")
    assert facts.floor_for("HK", "9111", date(2023, 9, 29)) is None  # before any row
    # The helpers' wage is not a floor for welders.
    assert facts.floor_for("HK", "7212", date(2026, 12, 1)) is None


def test_a_specific_occupation_row_wins_over_the_general_row():
    day = date(2026, 12, 1)
    domestic = facts.floor_for("MY", "9111", day)
    assert (domestic.amount, domestic.currency) == (Decimal("1500"), "MYR")
    assert "MoU" in domestic.legal_basis
    factory = facts.floor_for("MY", "8160", day)
    assert factory.amount == Decimal("1700")
    assert factory.legal_basis == "Minimum Wages Order (Malaysia), 2025"
    # Before the national floor began, only the domestic workers had one.
    assert facts.floor_for("MY", "8160", date(2025, 1, 31)) is None


def test_korea_floor_is_hourly_with_its_month():
    floor = facts.floor_for("KR", "8160", date(2026, 3, 1))
    assert (floor.amount, floor.per, floor.hours_per_month) == (Decimal("10320"), "hour", 209)
    assert facts.floor_for("KR", "8160", date(2025, 12, 31)).amount == Decimal("10030")


def test_licence_valid_until_by_the_rule_of_the_day_it_was_issued():
    assert facts.licence_valid_until(date(2024, 3, 15)) == date(2029, 3, 15)
    assert facts.licence_valid_until(date(2024, 12, 31)) == date(2029, 12, 31)
    assert facts.licence_valid_until(date(2025, 1, 1)) == date(2026, 1, 1)
    assert facts.licence_valid_until(date(2025, 6, 10)) == date(2026, 6, 10)
    assert facts.licence_valid_until(date(2018, 5, 1)) is None  # no rule on file then
    assert facts.licence_valid_until(None) is None


def test_fee_exception_for_taiwan_from_its_date():
    assert "Taiwan" in facts.fee_exception("TW", date(2026, 12, 1))
    assert facts.fee_exception("TW", date(2022, 7, 31)) == ""
    assert facts.fee_exception("HK", date(2026, 12, 1)) == ""
    assert facts.fee_rule_applies(date(2021, 7, 15))
    assert not facts.fee_rule_applies(date(2021, 7, 14))


# --- the Loader -----------------------------------------------------------------------


@pytest.fixture
def company(db):
    return make_agency()


@pytest.fixture
def recruiter(company):
    return make_recruiter(company)


@pytest.mark.django_db
def test_loader_facts_for_an_order(recruiter, company):
    employer = make_employer()
    partner = make_partner()
    order = make_order(recruiter, employer=employer, partner=partner)
    with translation.override("en"):
        f = facts.Loader().order(order)
    assert f.mode == "order"
    assert f.day == order.closing_date
    assert (f.destination, f.destination_name, f.destination_known) == ("HK", "Hong Kong", True)
    assert f.sector_name == "Domestic work for individual employers"
    assert f.sector_status == ""  # open
    assert (f.scheme_kind, f.scheme_available, f.scheme_fee_free) == ("p2p", True, False)
    assert f.fee_free_job and f.fee_exception == ""
    assert f.agency == checks.AgencyFacts(
        name=company.name,
        licence_number=company.licence_number,
        status="active",
        valid_until=company.licence_valid_until,
    )
    assert f.floor.amount == Decimal("5100")
    assert f.rates["HKD"] == 2050
    assert f.listings == ()
    assert (f.positions, f.min_age, f.max_age) == (10, 21, 45)
    assert f.scheme_age[0] == 18  # the destination's minimum age
    assert [c.result for c in checks.run(f)] == ["pass"] * 7


@pytest.mark.django_db
def test_loader_finds_the_listings_of_the_employer_and_the_partner(recruiter):
    employer = make_employer()
    partner = make_partner()
    order = make_order(recruiter, employer=employer, partner=partner)
    today = timezone.localdate()
    ProblemListing.objects.create(
        employer=employer,
        country="HK",
        reason="unpaid wages",
        source="KJRI notice 1",
        listed_on=today - timedelta(days=5),
    )
    ProblemListing.objects.create(
        partner=partner,
        country="HK",
        reason="fees",
        source="KJRI notice 2",
        listed_on=today - timedelta(days=50),
        delisted_on=today - timedelta(days=10),  # off the list: not counted
    )
    f = facts.Loader().order(order)
    assert [(x.party, x.name, x.source) for x in f.listings] == [
        ("employer", "Chan Household", "KJRI notice 1")
    ]
    assert checks.run(f)[2].result == "fail"


@pytest.mark.django_db
def test_loader_uses_today_when_the_closing_date_has_passed(recruiter):
    order = make_order(recruiter)
    order.closing_date = timezone.localdate() - timedelta(days=3)
    f = facts.Loader().order(order)
    assert f.day == timezone.localdate()
    order.closing_date = None
    assert facts.Loader(today=date(2025, 9, 1)).order(order).floor.amount == Decimal("4990")


@pytest.mark.django_db
def test_loader_moratorium_and_g2g_facts(recruiter):
    with translation.override("en"):
        saudi = facts.Loader().order(
            replace_order(make_order(recruiter), destination="SA", sector="domestic")
        )
    assert saudi.sector_status == "moratorium"
    assert "260 Tahun 2015" in saudi.sector_basis
    assert checks.run(saudi)[0].result == "fail"

    korea = facts.Loader().order(
        replace_order(
            make_order(recruiter),
            destination="KR",
            scheme="g2g-kr-eps",
            sector="manufacturing",
            occupation_code="8160",
            agency=None,
            min_age=18,
            max_age=45,
        )
    )
    assert (korea.scheme_kind, korea.scheme_fee_free, korea.scheme_available) == (
        "g2g",
        True,
        True,
    )
    assert korea.scheme_age == (18, 39)
    assert korea.agency is None
    by_code = {c.code: c for c in checks.run(korea)}
    assert by_code["agency_licence"].result == "pass"
    assert by_code["positions"].result == "fail"  # 45 is above the EPS maximum of 39
    # EPS does not place domestic workers in Korea.
    domestic = facts.Loader().order(
        replace_order(
            make_order(recruiter), destination="KR", scheme="g2g-kr-eps", sector="domestic"
        )
    )
    assert domestic.scheme_available is False


def replace_order(order, **values):
    for name, value in values.items():
        setattr(order, name, value)
    return order


@pytest.mark.django_db
def test_loader_reads_each_shared_fact_once(recruiter, django_assert_num_queries):
    orders = [make_order(recruiter) for _ in range(3)]
    for order in orders:
        order.agency  # noqa: B018 (loaded, as select_related does)
    loader = facts.Loader()
    loader.order(orders[0])
    with django_assert_num_queries(0):
        for order in orders:
            loader.order(order)


@pytest.mark.django_db
def test_public_facts_from_what_a_worker_typed(company):
    employer = make_employer(name="PT. Chan Household")
    ProblemListing.objects.create(
        employer=employer,
        country="HK",
        reason="unpaid wages",
        source="KJRI notice 1",
        listed_on=timezone.localdate(),
    )
    f = facts.public_facts(
        {
            "destination": "HK",
            "sector": "domestic",
            "occupation_code": "9111",
            "agency": company.licence_number.lower(),
            "employer": "chan household",
            "wage_amount": Decimal("4000"),
            "wage_currency": "HKD",
            "worker_costs": [{"item": "fee", "amount": "3000000", "currency": "IDR"}],
        }
    )
    assert f.mode == "public"
    assert f.agency.name == company.name
    assert [x.source for x in f.listings] == ["KJRI notice 1"]
    results = {c.code: c.result for c in checks.run(f)}
    assert results == {
        "destination_closed": "pass",
        "agency_licence": "pass",
        "employer_listed": "fail",
        "worker_fee": "fail",
        "wage_floor": "fail",
    }
    # The employer's name found in any country when no destination is given.
    assert facts.public_facts({"employer": "Chan Household"}).listings
    assert facts.find_agency("PT Maju Sejahtera") == company
    assert facts.find_agency("") is None


def test_floor_is_a_checks_floor():
    floor = facts.floor_for("SG", "9111", date(2026, 1, 1))
    assert isinstance(floor, checks.Floor)
    assert replace(floor, amount=Decimal(1)).amount == 1
