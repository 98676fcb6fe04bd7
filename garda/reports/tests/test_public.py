"""The public statistics on a small known population of last year (a year is published
once it has ended): what the snapshot stores (only the published cells), the API (no
login, 422, 404, Indonesian words, a bounded number of queries), the page, an attacker
working from the API's answer alone, and one comparing the job's successive runs."""

import datetime as dt
import json

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from garda.cases.models import Case
from garda.cases.tests.factories import open_case
from garda.jobs.models import Placement
from garda.jobs.tests.factories import make_employer
from garda.jobs.tests.factories_placement import make_placement, open_order, ready_person
from garda.people.models import Person
from garda.people.tests.factories import register
from garda.reports import public, suppression
from garda.reports.models import Snapshot
from garda.reports.snapshots import snapshot_all
from garda.reports.suppression import THRESHOLD, TOTAL
from garda.reports.tests.test_suppression import attack_linear, attack_subtraction

API = "/api/v1/stats/public"
PAGE = reverse("reports:public")

# (regency or None: outside Jakarta, sex) -> how many registered this year.
REGISTERED = {
    ("31.71", "F"): 6,
    ("31.71", "M"): 2,
    ("31.74", "F"): 5,
    (None, "F"): 7,
    (None, "M"): 5,
}


def year() -> str:
    """The year the population is dated in: last year (ended, so published)."""
    return str(timezone.localdate().year - 1)


def this_year() -> str:
    return str(timezone.localdate().year)


def in_last_year(month: int = 6) -> dt.datetime:
    return dt.datetime(int(year()), month, 15, 10, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def population(rina, alice):
    serial = 7000
    for (regency, sex), n in REGISTERED.items():
        for _ in range(n):
            serial += 1
            person = register(serial=serial, sex=sex)
            if regency:
                Person.objects.filter(pk=person.pk).update(
                    domicile_jakarta=True, regency_code=regency
                )
    hk = open_order(rina, alice)
    tw = open_order(rina, alice, destination="TW", employer=make_employer(name="Lin", country="TW"))
    for order, sex, n in ((hk, "F", 5), (tw, "M", 1)):
        for _ in range(n):
            serial += 1
            placement = make_placement(alice, order, ready_person(serial=serial, sex=sex))
            Placement.objects.filter(pk=placement.pk).update(
                status="departed", departed_at=timezone.now()
            )
    for channel, n in (("public", 6), ("hotline", 2)):
        for _ in range(n):
            open_case(actor=alice if channel == "hotline" else None, channel=channel)
    # All of it happened last year.
    Person.objects.update(created_at=in_last_year())
    Placement.objects.filter(status="departed").update(departed_at=in_last_year(7))
    Case.objects.update(created_at=in_last_year(8))
    snapshot_all(periods=[year()], names=["public"])
    return Snapshot.objects.get(name="public", period=year())


def stored(snapshot, key) -> dict:
    return next(t for t in snapshot.data["tables"] if t["key"] == key)


def cells_of(table) -> dict:
    return {(c["row"], c["column"]): c for c in table["cells"]}


# --- the snapshot -----------------------------------------------------------------------


def test_the_snapshot_stores_only_published_cells_and_none_under_five(population):
    for table in population.data["tables"]:
        for cell in table["cells"]:
            assert ("value" in cell) != bool(cell.get("suppressed")), cell
            if "value" in cell:
                assert cell["value"] >= THRESHOLD, (table["key"], cell)
    # The raw small counts are nowhere in the stored JSON: 2 men in Jakarta Selatan.
    reg = cells_of(stored(population, "registrations"))
    assert reg[("31.71", "M")] == {"row": "31.71", "column": "M", "suppressed": True}
    assert reg[("31.71", "F")].get("suppressed")  # its row's complement
    assert "value" not in json.dumps(reg[("31.71", "M")])


def test_the_published_cells_are_the_true_counts_and_the_suppression_rules(population):
    counts = {}
    for (regency, sex), n in REGISTERED.items():
        counts[(regency or public.OUTSIDE, sex)] = n
    # The six who departed were registered this year too (outside Jakarta: no village).
    counts[(public.OUTSIDE, "F")] += 5
    counts[(public.OUTSIDE, "M")] += 1
    rows = [*public.JAKARTA, public.OUTSIDE]
    table = suppression.two_way(counts, rows, public.SEXES)
    hidden = suppression.protect(table)
    reg = cells_of(stored(population, "registrations"))
    for key, value in table.cells.items():
        cell = reg[key]
        if key in hidden:
            assert cell.get("suppressed") is True
        else:
            assert cell["value"] == value
    assert reg[(TOTAL, TOTAL)] == {"row": TOTAL, "column": TOTAL, "value": 31}
    # Residents and the rest are apart: the people living outside Jakarta are a row of
    # their own in a table that counts everyone processed.
    assert stored(population, "registrations")["counts"] == "processed"
    assert stored(population, "registrations")["rows"] == [*public.JAKARTA, "outside", "total"]


def test_departures_and_cases(population):
    dep = cells_of(stored(population, "departures"))
    assert dep[("TW", "M")]["suppressed"] is True
    assert all(c.get("value", THRESHOLD) >= THRESHOLD for c in dep.values())
    cases = stored(population, "cases")
    assert cases["columns"] == [] and cases["counts"] == "reports"
    by_row = {c["row"]: c for c in cases["cells"]}
    assert by_row["hotline"]["suppressed"] is True
    assert by_row["public"].get("suppressed") is True  # the complement of the hotline's 2
    assert by_row[TOTAL]["value"] == 8


def test_a_period_other_than_a_year_stores_no_table(db):
    assert public.compute("all") == {"tables": []}
    assert public.compute(f"{year()}-01") == {"tables": []}
    # The job writes no public snapshot for them at all (only ended years).
    assert snapshot_all(periods=["all", f"{year()}-01"], names=["public"]) == []
    assert not Snapshot.objects.filter(name="public").exists()


# --- one publication per year, once it has ended -----------------------------------------

NOT_YET = (
    "Angka tahun {year} akan diterbitkan setelah tahun itu berakhir, mulai 1 Januari {next}. "
    "Angka tidak diterbitkan selama tahun berjalan: angka yang berubah setiap jam dapat "
    "saling dikurangkan untuk mengungkap angka kecil yang disembunyikan."
)


def not_yet(year_: str) -> str:
    return NOT_YET.format(year=year_, next=int(year_) + 1)


def test_two_runs_of_the_job_during_the_year_never_publish_it(db, alice, client):
    """The attack of two releases an hour apart: 4 hotline reports of 30 hidden at
    09:07; at 10:07, 5 of 31 published with the complement unchanged would give the 4
    back. The current year is never published, so there are no two releases."""
    for channel, n in (("hotline", 4), ("walk_in", 6), ("public", 20)):
        for _ in range(n):
            open_case(actor=alice if channel != "public" else None, channel=channel)
    snapshot_all()  # the job at 09:07
    first = client.get(API, {"period": this_year()})
    open_case(actor=alice, channel="hotline")  # one more report
    snapshot_all()  # the job at 10:07
    second = client.get(API, {"period": this_year()})
    for response in (first, second):
        assert response.status_code == 404
        assert response.json()["detail"] == not_yet(this_year())
        assert "tables" not in response.json()
    assert not Snapshot.objects.filter(name="public", period=this_year()).exists()
    text = " ".join(client.get(PAGE, {"period": this_year()}).content.decode().split())
    assert not_yet(this_year()) in text
    assert f'<option value="{this_year()}"' not in text
    assert public.published_years() == [year()]  # last year, ended: published once


def test_a_later_year_says_when_too(db, client):
    later = str(int(this_year()) + 1)
    response = client.get(API, {"period": later})
    assert response.status_code == 404 and response.json()["detail"] == not_yet(later)


def test_a_published_year_never_changes_when_late_data_arrives(population, alice, client):
    before = client.get(API, {"period": year()}).json()
    # A report of last year recorded late, a late departure: the next runs leave the
    # published year as it was (nothing to subtract from it).
    late, _secret = open_case(actor=alice, channel="hotline")
    Case.objects.filter(pk=late.pk).update(created_at=in_last_year(12))
    assert [s for s in snapshot_all() if s.name == "public"] == []
    assert snapshot_all(periods=[year()], names=["public"]) == []
    after = client.get(API, {"period": year()}).json()
    assert after == before
    assert Snapshot.objects.get(name="public", period=year()).computed_at == population.computed_at


def test_the_year_is_published_by_the_first_run_after_it_ended(db, alice):
    tz = timezone.get_current_timezone()
    open_case(actor=None, channel="public")
    ending = this_year()
    with time_machine.travel(dt.datetime(int(ending), 12, 31, 23, 7, tzinfo=tz), tick=False):
        snapshot_all()
        assert not Snapshot.objects.filter(name="public", period=ending).exists()
    with time_machine.travel(dt.datetime(int(ending) + 1, 1, 1, 0, 7, tzinfo=tz), tick=False):
        written = [s for s in snapshot_all() if s.name == "public"]
    assert [s.period for s in written] == [ending]
    cases = next(t for t in written[0].data["tables"] if t["key"] == "cases")
    assert {"row": TOTAL, "column": None, "suppressed": True} in cases["cells"]


def test_the_demo_dates_half_its_people_into_last_year_and_publishes_it(db):
    from garda.reports.demo import populate_past_year

    for serial in range(7100, 7140):
        register(serial=serial, sex="F" if serial % 3 else "M")
    assert populate_past_year() == 20
    assert populate_past_year() == 0  # run again: nothing more
    written = [s for s in snapshot_all() if s.name == "public"]
    assert [s.period for s in written] == [year()]
    reg = cells_of(stored(written[0], "registrations"))
    assert reg[(TOTAL, TOTAL)] == {"row": TOTAL, "column": TOTAL, "value": 20}


# --- the API ------------------------------------------------------------------------------


def test_the_api_answers_anyone_with_values_or_suppressed(population, client):
    response = client.get(API, {"period": year()})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == year() and body["threshold"] == 5
    assert [t["key"] for t in body["tables"]] == ["registrations", "departures", "cases"]
    reg = body["tables"][0]
    assert reg["title"] == "Orang yang terdaftar, menurut tempat tinggal dan jenis kelamin"
    assert reg["row_labels"][1] == "Jakarta Selatan"
    assert reg["row_labels"][-1] == "Total"
    assert reg["column_labels"] == ["Perempuan", "Laki-laki", "Total"]
    for table in body["tables"]:
        for cell in table["cells"]:
            assert set(cell) in ({"row", "column", "value"}, {"row", "column", "suppressed"}) or (
                not table["columns"] and set(cell) in ({"row", "value"}, {"row", "suppressed"})
            ), cell
            assert cell.get("value", THRESHOLD) >= THRESHOLD
            assert cell.get("suppressed", True) is True


def test_an_attacker_with_the_api_answer_recovers_nothing(population, client):
    body = client.get(API, {"period": year()}).json()
    for table in body["tables"]:
        columns = table["columns"]
        if columns:
            rows = table["rows"][:-1]
            lines = suppression.two_way({}, rows, columns[:-1]).lines
            key = lambda c: (c["row"], c["column"])  # noqa: E731
        else:
            lines = suppression.one_way(dict.fromkeys(table["rows"][:-1], 0)).lines
            key = lambda c: c["row"]  # noqa: E731
        seen = {key(c): c["value"] for c in table["cells"] if "value" in c}
        unknown = [key(c) for c in table["cells"] if c.get("suppressed")]
        assert attack_subtraction(lines, seen) == {}, table["key"]
        assert attack_linear(lines, seen, unknown) == {}, table["key"]


@pytest.mark.parametrize(
    "period", ["", "20x6", f"{timezone.localdate().year}-11", "all", "26", "9999"]
)
def test_a_malformed_period_is_a_422_in_indonesian(db, client, period):
    response = client.get(API, {"period": period})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Periode tidak valid."
    assert body["errors"][0]["field"] == "period"
    assert "tahun" in body["errors"][0]["message"]


def test_a_past_year_with_no_snapshot_is_a_404(db, client):
    response = client.get(API, {"period": "2001"})
    assert response.status_code == 404
    assert response.json()["detail"] == (
        "Belum ada statistik publik yang diterbitkan untuk tahun ini."
    )


def test_the_api_reads_the_snapshot_in_two_queries(
    population, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        assert client.get(API, {"period": year()}).status_code == 200


def test_the_api_in_english(population):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(API, {"period": year()}).json()
    assert body["tables"][2]["title"] == "Protection reports received, by channel"


# --- the page -------------------------------------------------------------------------------


def test_the_page_shows_the_tables_and_why_cells_are_hidden(population, client):
    response = client.get(PAGE)
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Statistik publik" in text
    assert "Mengapa beberapa sel disembunyikan" in text
    assert 'data-suppressed="1"' in text
    assert f'<option value="{year()}" selected>' in text
    assert "Jakarta Selatan" in text and "Negara lain" in text
    assert f"Tahun {year()}, angka final dihitung pada" in text
    assert not_yet(this_year()) in text  # and why this year is not there


def test_the_page_falls_back_to_the_latest_year_and_says_so(population, client):
    text = " ".join(client.get(PAGE, {"period": "1999"}).content.decode().split())
    assert f"menampilkan {year()}" in text


def test_the_page_with_nothing_published(db, client):
    text = client.get(PAGE).content.decode()
    assert "Belum ada statistik publik yang diterbitkan." in text


def test_the_page_is_read_from_the_snapshot_in_few_queries(
    population, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert client.get(PAGE, {"period": year()}).status_code == 200


def test_the_page_is_cached_for_visitors_and_renewed_by_a_new_snapshot(
    population, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"},
    }
    settings.GARDA_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    try:
        assert Client().get(PAGE).status_code == 200
        with django_assert_num_queries(0):
            assert Client().get(PAGE).status_code == 200
        # A year newly published (the job's first run of a year): rendered afresh.
        with django_capture_on_commit_callbacks(execute=True):
            assert snapshot_all(periods=[str(int(year()) - 1)], names=["public"])
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(PAGE).status_code == 200
        assert len(queries) > 0
    finally:
        caches["pages"].clear()
