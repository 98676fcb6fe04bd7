"""The fair-recruitment checks (garda/jobs/checks.py): a pure engine over plain facts,
every check code with its pass, fail and warn, each message naming the rule's source.

Messages are asserted in English (`translation.override("en")`); the facts are built
by hand, no database."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from garda.jobs import checks
from garda.jobs.checks import FAIL, PASS, WARN, AgencyFacts, Facts, Floor, Listing

DAY = date(2026, 12, 1)
MORATORIUM_BASIS = (
    "Keputusan Menteri Ketenagakerjaan Nomor 260 Tahun 2015 (Kepmenaker 260/2015) tentang "
    "Penghentian dan Pelarangan Penempatan TKI pada Pengguna Perseorangan di Timur Tengah"
)
HK_FLOOR = Floor(
    amount=Decimal("5100"),
    currency="HKD",
    per="month",
    hours_per_month=0,
    legal_basis="Minimum Allowable Wage (Hong Kong), 30 Sep 2025",
    effective_from=date(2025, 9, 30),
)
KR_FLOOR = Floor(
    amount=Decimal("10320"),
    currency="KRW",
    per="hour",
    hours_per_month=209,
    legal_basis="Minimum Wage Act (Korea), 2026",
    effective_from=date(2026, 1, 1),
)
RATES = {"IDR": 1, "USD": 16000, "HKD": 2050, "KRW": 11.5}
AGENCY = AgencyFacts(
    name="PT Maju Sejahtera",
    licence_number="KEP.100/2024",
    status="active",
    valid_until=date(2029, 1, 9),
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def sound(**changes) -> Facts:
    """A sound order: a domestic helper in Hong Kong through a licensed company."""
    facts = Facts(
        mode="order",
        day=DAY,
        destination="HK",
        destination_name="Hong Kong",
        sector="domestic",
        sector_name="Domestic work",
        scheme_available=True,
        scheme_name="P3MI",
        scheme_kind="p2p",
        scheme_age=(18, None),
        occupation_code="9111",
        occupation_title="Domestic helper",
        fee_free_job=True,
        agency=AGENCY,
        employer_given=True,
        wage_amount=Decimal("5200"),
        wage_currency="HKD",
        wage_period="month",
        floor=HK_FLOOR,
        rates=RATES,
        rate_margin=0.05,
        hours_per_day=8,
        days_per_week=6,
        rest_days_per_month=4,
        leave_days_per_year=12,
        contract_months=24,
        insurance="BPJS Ketenagakerjaan",
        ticket_paid_by="employer",
        costs_given=True,
        positions=10,
        positions_female=10,
        min_age=21,
        max_age=45,
    )
    return replace(facts, **changes)


def check(facts: Facts, code: str) -> checks.Check:
    found = {c.code: c for c in checks.run(facts)}
    assert code in found, f"{code} was left out"
    return found[code]


def test_a_sound_order_passes_every_check_in_a_fixed_order():
    found = checks.run(sound())
    assert [c.code for c in found] == list(checks.CODES)
    assert {c.result for c in found} == {PASS}, [c.message for c in found if c.result != PASS]
    assert checks.verdict(found) == "ok"
    assert found[0].as_dict() == {
        "code": "destination_closed",
        "result": "pass",
        "message": "Domestic work in Hong Kong is open on 1 December 2026.",
    }


# --- destination_closed --------------------------------------------------------------


def test_a_moratorium_fails_naming_its_decree():
    c = check(
        sound(
            destination="SA",
            destination_name="Saudi Arabia",
            sector_status="moratorium",
            sector_basis=MORATORIUM_BASIS,
        ),
        "destination_closed",
    )
    assert c.result == FAIL
    assert c.message.startswith(
        "Domestic work in Saudi Arabia is closed (moratorium) on 1 December 2026: no worker "
        "may be placed in it"
    )
    assert "Kepmenaker 260/2015" in c.message


def test_a_restricted_sector_warns_naming_its_conditions():
    c = check(
        sound(sector_status="restricted", sector_basis="Peraturan BP2MI 1/2026"),
        "destination_closed",
    )
    assert c.result == WARN
    assert c.message == (
        "Domestic work in Hong Kong is restricted on 1 December 2026: only under the "
        "conditions of Peraturan BP2MI 1/2026."
    )


def test_a_scheme_not_available_in_the_destination_fails():
    c = check(
        sound(scheme_available=False, scheme_name="EPS (G-to-G Korea)"),
        "destination_closed",
    )
    assert c.result == FAIL
    assert c.message == (
        "The scheme EPS (G-to-G Korea) does not place workers in Domestic work in Hong Kong "
        "(the destination rules in Garda)."
    )


def test_an_unknown_destination_fails_naming_the_law():
    c = check(sound(destination="XX", destination_known=False), "destination_closed")
    assert c.result == FAIL
    assert "XX is not a destination Indonesia places workers in" in c.message
    assert "UU 18/2017 art. 31" in c.message


def test_the_moratorium_outweighs_a_missing_scheme():
    c = check(
        sound(
            sector_status="moratorium", sector_basis="Kepmenaker 260/2015", scheme_available=False
        ),
        "destination_closed",
    )
    assert c.result == FAIL and "moratorium" in c.message


# --- agency_licence -------------------------------------------------------------------


def test_an_active_licence_passes():
    c = check(sound(), "agency_licence")
    assert c.result == PASS
    assert c.message == "PT Maju Sejahtera holds an active SIP3MI licence (KEP.100/2024)."


def test_a_revoked_licence_fails():
    c = check(sound(agency=replace(AGENCY, status="revoked")), "agency_licence")
    assert c.result == FAIL
    assert c.message == (
        "The licence of PT Maju Sejahtera (KEP.100/2024) has been revoked: it may not recruit "
        "or place workers (UU 18/2017 art. 51)."
    )


def test_a_suspended_company_fails():
    c = check(sound(agency=replace(AGENCY, status="suspended")), "agency_licence")
    assert c.result == FAIL
    assert "is suspended (tunda layanan)" in c.message
    assert "Perban BP2MI" in c.message


def test_a_licence_ending_before_the_closing_date_fails():
    c = check(sound(agency=replace(AGENCY, valid_until=date(2026, 11, 30))), "agency_licence")
    assert c.result == FAIL
    assert c.message == (
        "The licence of PT Maju Sejahtera (KEP.100/2024) ends on 30 November 2026, before "
        "1 December 2026: the company may not recruit for this job beyond its licence "
        "(UU 18/2017 art. 51)."
    )
    # Ending on the closing date itself is enough.
    assert check(sound(agency=replace(AGENCY, valid_until=DAY)), "agency_licence").result == PASS


def test_g2g_without_a_company_passes_p2p_without_one_fails():
    g2g = check(sound(agency=None, scheme_kind="g2g"), "agency_licence")
    assert g2g.result == PASS
    assert "no company is needed (UU 18/2017 art. 49)" in g2g.message
    p2p = check(sound(agency=None, scheme_kind="p2p"), "agency_licence")
    assert p2p.result == FAIL
    assert p2p.message == (
        "No placement company is named: a private placement needs a company with a SIP3MI "
        "licence (UU 18/2017 art. 51)."
    )


# --- employer_listed ------------------------------------------------------------------


def test_an_employer_not_listed_passes():
    c = check(sound(), "employer_listed")
    assert (c.result, c.message) == (
        PASS,
        "Neither the employer nor the partner is on the problematic list.",
    )


@pytest.mark.parametrize("party", ["employer", "partner"])
def test_a_listed_employer_or_partner_fails(party):
    listing = Listing(
        party=party,
        name="Chan Household",
        reason="wages withheld for six months",
        source="KJRI Hong Kong notice 12/2026",
        listed_on=date(2026, 10, 2),
    )
    c = check(sound(listings=(listing,)), "employer_listed")
    assert c.result == FAIL
    assert c.message == (
        "Chan Household is on the list of problematic employers and partners since "
        "2 October 2026 (KJRI Hong Kong notice 12/2026): wages withheld for six months. No "
        "worker may be placed with them (UU 18/2017 arts. 9-10)."
    )


# --- worker_fee -----------------------------------------------------------------------

COSTS = ({"item": "medical check", "amount": "1500000", "currency": "IDR"},)


def test_a_fee_free_job_without_costs_passes():
    c = check(sound(worker_costs=({"item": "nothing", "amount": "0"},)), "worker_fee")
    assert c.result == PASS
    assert c.message == (
        "No cost is charged to the worker, as the law requires for this job (Perban BP2MI 9/2020)."
    )


def test_a_fee_free_job_with_a_cost_fails():
    c = check(sound(worker_costs=COSTS), "worker_fee")
    assert c.result == FAIL
    assert c.message == (
        "Domestic helper is one of the fee-free jobs: the worker may not be charged for "
        "placement (Perban BP2MI 9/2020). Charged to the worker: medical check "
        "(IDR 1,500,000)."
    )


def test_taiwan_exception_warns():
    c = check(
        sound(
            destination="TW",
            destination_name="Taiwan",
            worker_costs=COSTS,
            fee_exception="Kesepakatan Indonesia–Taiwan, Agustus 2022",
        ),
        "worker_fee",
    )
    assert c.result == WARN
    assert "Taiwan is exempt from the zero-cost rule" in c.message
    assert "Kesepakatan Indonesia–Taiwan, Agustus 2022" in c.message
    assert "medical check (IDR 1,500,000)" in c.message


@pytest.mark.parametrize("fee_free_job", [False, True])
def test_a_g2g_scheme_with_costs_fails_whatever_the_job(fee_free_job):
    # Even where the destination has an exception: G-to-G is always free.
    c = check(
        sound(
            agency=None,
            scheme_kind="g2g",
            scheme_fee_free=True,
            fee_free_job=fee_free_job,
            worker_costs=COSTS,
            fee_exception="Kesepakatan Indonesia–Taiwan, Agustus 2022",
        ),
        "worker_fee",
    )
    assert c.result == FAIL
    assert "A government-to-government placement costs the worker nothing" in c.message
    assert "Perban BP2MI 9/2020 art. 5" in c.message


def test_a_job_not_fee_free_with_listed_costs_passes_naming_them():
    c = check(sound(fee_free_job=False, occupation_code="7212", worker_costs=COSTS), "worker_fee")
    assert c.result == PASS
    assert c.message == (
        "This job is not on the fee-free list; the costs charged to the worker are listed: "
        "medical check (IDR 1,500,000). Anything not listed may not be asked for "
        "(UU 18/2017 art. 30)."
    )
    c = check(sound(fee_free_job=False), "worker_fee")
    assert (c.result, c.message) == (PASS, "No cost is charged to the worker.")


# --- wage_floor -----------------------------------------------------------------------


def test_a_wage_below_the_hong_kong_floor_fails():
    c = check(sound(wage_amount=Decimal("5000")), "wage_floor")
    assert c.result == FAIL
    assert c.message == (
        "The wage HKD 5,000 a month is below the floor of HKD 5,100 a month in Hong Kong "
        "(Minimum Allowable Wage (Hong Kong), 30 Sep 2025)."
    )


def test_a_wage_exactly_at_the_floor_passes():
    c = check(sound(wage_amount=Decimal("5100.00")), "wage_floor")
    assert c.result == PASS
    assert c.message == (
        "The wage HKD 5,100 a month meets the floor of HKD 5,100 a month in Hong Kong "
        "(Minimum Allowable Wage (Hong Kong), 30 Sep 2025)."
    )


def korea(**changes) -> Facts:
    return sound(
        destination="KR",
        destination_name="South Korea",
        sector="manufacturing",
        sector_name="Manufacturing",
        floor=KR_FLOOR,
        wage_currency="KRW",
        hours_per_day=8,
        days_per_week=5,
        **changes,
    )


def test_korea_hourly_floor_against_a_monthly_wage():
    # KRW 10,320 an hour x 209 hours = KRW 2,156,880 a month.
    at = check(korea(wage_amount=Decimal("2156880")), "wage_floor")
    assert at.result == PASS
    assert at.message == (
        "The wage KRW 2,156,880 a month meets the floor of KRW 10,320 an hour in South Korea "
        "(Minimum Wage Act (Korea), 2026)."
    )
    under = check(korea(wage_amount=Decimal("2156879")), "wage_floor")
    assert under.result == FAIL
    assert "is below the floor of KRW 10,320 an hour" in under.message


def test_korea_hourly_wage_against_the_hourly_floor():
    # An hourly wage at the hourly floor meets it, whatever the order's hours.
    c = check(korea(wage_amount=Decimal("10320"), wage_period="hour"), "wage_floor")
    assert c.result == PASS, c.message
    c = check(korea(wage_amount=Decimal("10000"), wage_period="hour"), "wage_floor")
    assert c.result == FAIL
    assert "KRW 10,000 an hour is below the floor of KRW 10,320 an hour" in c.message


def test_an_hourly_wage_against_a_monthly_floor_uses_the_orders_hours():
    # HKD 25 an hour x 8 hours x 6 days x 52 / 12 = HKD 5,200 a month.
    c = check(sound(wage_amount=Decimal("25"), wage_period="hour"), "wage_floor")
    assert c.result == PASS
    c = check(sound(wage_amount=Decimal("24"), wage_period="hour"), "wage_floor")
    assert c.result == FAIL


def test_a_wage_in_usd_against_an_hkd_floor_is_converted():
    # USD 1 = IDR 16,000, HKD 1 = IDR 2,050: USD 700 = HKD 5,463.
    ok = check(sound(wage_amount=Decimal("700"), wage_currency="USD"), "wage_floor")
    assert ok.result == PASS
    assert ok.message.startswith("The wage USD 700 a month meets the floor of HKD 5,100")
    # USD 640 = HKD 4,995: under the floor, within the 5% margin of a reference rate.
    near = check(sound(wage_amount=Decimal("640"), wage_currency="USD"), "wage_floor")
    assert near.result == WARN
    assert near.message == (
        "The wage USD 640 a month, converted at a reference rate, is just under the floor of "
        "HKD 5,100 a month in Hong Kong (Minimum Allowable Wage (Hong Kong), 30 Sep 2025): "
        "check at the day's rate."
    )
    # USD 600 = HKD 4,683: more than 5% under.
    far = check(sound(wage_amount=Decimal("600"), wage_currency="USD"), "wage_floor")
    assert far.result == FAIL


def test_a_currency_without_a_rate_warns():
    c = check(sound(wage_amount=Decimal("700"), wage_currency="CHF"), "wage_floor")
    assert c.result == WARN
    assert "Garda cannot compare them" in c.message
    assert "Minimum Allowable Wage (Hong Kong)" in c.message


def test_no_floor_on_file_warns():
    c = check(sound(floor=None, destination_name="Saudi Arabia"), "wage_floor")
    assert c.result == WARN
    assert c.message == (
        "Garda has no wage floor on file for this job in Saudi Arabia: compare the wage "
        "with the destination's rules by hand."
    )


def test_no_wage_fails():
    c = check(sound(wage_amount=None), "wage_floor")
    assert c.result == FAIL
    assert c.message == "No wage is given: the contract must state it (UU 18/2017 art. 15)."


# --- contract_terms -------------------------------------------------------------------


def test_complete_terms_pass():
    c = check(sound(), "contract_terms")
    assert c.result == PASS
    assert c.message == "The contract terms the law requires are all given (UU 18/2017 art. 15)."


def test_missing_terms_fail_naming_each():
    c = check(
        sound(
            hours_per_day=None,
            rest_days_per_month=None,
            leave_days_per_year=None,
            contract_months=None,
            insurance="  ",
            ticket_paid_by="",
        ),
        "contract_terms",
    )
    assert c.result == FAIL
    assert c.message == (
        "The contract terms the law requires are missing: working hours, rest days, leave, "
        "contract length, insurance, who pays the tickets (UU 18/2017 art. 15)."
    )
    c = check(sound(wage_currency=""), "contract_terms")
    assert c.message.endswith("missing: wage (UU 18/2017 art. 15).")


def test_heavy_terms_warn():
    c = check(
        sound(hours_per_day=10, days_per_week=7, rest_days_per_month=2, ticket_paid_by="worker"),
        "contract_terms",
    )
    assert c.result == WARN
    assert c.message == (
        "The terms are complete, but heavy: 10 hours a day, 7 days a week, 2 rest days a "
        "month, the worker pays the tickets (the usual minimum is at most 8 hours a day, 6 "
        "days a week and 4 rest days a month; the Indonesian embassies' standard contracts)."
    )


# --- positions ------------------------------------------------------------------------


def test_positions_in_the_age_band_pass():
    c = check(sound(), "positions")
    assert (c.result, c.message) == (PASS, "10 positions, in the age band the scheme allows.")


def test_no_positions_fail():
    c = check(sound(positions=0, positions_female=0), "positions")
    assert c.result == FAIL
    assert c.message == "The order asks for no worker: give the number of positions."


def test_women_and_men_above_the_positions_fail():
    c = check(sound(positions_female=6, positions_male=5), "positions")
    assert c.result == FAIL
    assert c.message == (
        "The positions for women (6) and men (5) add up to more than the 10 positions of the order."
    )


def test_an_age_band_outside_the_schemes_fails():
    low = check(sound(scheme_age=(21, 39), min_age=19), "positions")
    assert low.result == FAIL
    assert low.message == (
        "The order accepts workers from 19 years old, below the minimum of 21 for this "
        "destination and scheme."
    )
    high = check(sound(scheme_age=(18, 39), max_age=45), "positions")
    assert high.result == FAIL
    assert high.message == (
        "The order accepts workers up to 45 years old, above the maximum of 39 for this "
        "destination and scheme."
    )


@pytest.mark.parametrize("scheme_age", [(None, None), (18, 39), (21, 39)])
def test_under_18_fails_naming_the_law(scheme_age):
    c = check(sound(scheme_age=scheme_age, min_age=17), "positions")
    assert c.result == FAIL
    assert c.message == (
        "The order accepts workers under 18: a migrant worker must be at least 18 "
        "(UU 18/2017 art. 5)."
    )


# --- the public check and the verdict -------------------------------------------------


def test_the_public_check_leaves_out_what_was_not_given():
    found = checks.run(
        Facts(mode="public", day=DAY, destination="HK", destination_name="Hong Kong")
    )
    assert [c.code for c in found] == ["destination_closed"]
    assert checks.run(Facts(mode="public", day=DAY)) == []


def test_the_public_check_runs_what_was_given():
    found = checks.run(
        Facts(
            mode="public",
            day=DAY,
            destination="HK",
            destination_name="Hong Kong",
            agency_given="PT Calo Abadi",
            employer_given=True,
            occupation_title="Domestic helper",
            fee_free_job=True,
            worker_costs=COSTS,
            costs_given=True,
            wage_amount=Decimal("4000"),
            wage_currency="HKD",
            floor=HK_FLOOR,
        )
    )
    by_code = {c.code: c for c in found}
    assert list(by_code) == [
        "destination_closed",
        "agency_licence",
        "employer_listed",
        "worker_fee",
        "wage_floor",
    ]
    assert by_code["agency_licence"].result == FAIL
    assert "No licensed placement company is registered under \u201cPT Calo Abadi\u201d" in (
        by_code["agency_licence"].message
    )
    assert "UU 18/2017 art. 51" in by_code["agency_licence"].message
    assert by_code["worker_fee"].result == FAIL
    assert by_code["wage_floor"].result == FAIL
    # A wage without a floor on file, in public: left out, not warned.
    found = checks.run(
        Facts(mode="public", day=DAY, wage_amount=Decimal("4000"), wage_currency="HKD")
    )
    assert found == []


def test_verdict():
    ok = checks.Check("positions", PASS, "")
    warn = checks.Check("wage_floor", WARN, "")
    fail = checks.Check("worker_fee", FAIL, "")
    assert checks.verdict([]) == "ok"
    assert checks.verdict([ok]) == "ok"
    assert checks.verdict([ok, warn]) == "warning"
    assert checks.verdict([ok, warn, fail]) == "danger"
    stored = [fail.as_dict(), warn.as_dict(), ok.as_dict()]
    assert checks.failed(stored) == [fail.as_dict()]
    assert checks.warnings(stored) == [warn.as_dict()]


def test_the_default_language_is_used_without_override():
    # Indonesian is the default: the message is produced in it (the msgids fall back
    # to English until translated), and the source is named in any language.
    with translation.override("id"):
        c = check(sound(wage_amount=Decimal("5000")), "wage_floor")
    assert "HKD 5.000" in c.message  # Indonesian number grouping
    assert "Minimum Allowable Wage (Hong Kong), 30 Sep 2025" in c.message
