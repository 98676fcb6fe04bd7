"""The staff dashboards on a known small population: the computers' counts, residents
of Jakarta apart from everyone processed, the city filter, freshness (fresh, stale,
missing), each chart followed by its table, the exports (CSV, XLSX, national layout),
the number of queries of a page (the snapshot only), the roles, and the API."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.models import Person
from garda.people.tests.factories import register
from garda.places.models import Region
from garda.reports import charts, figures
from garda.reports.figures import DASHBOARDS, fold, present
from garda.reports.models import Snapshot
from garda.reports.national import HEADER
from garda.reports.snapshots import COMPUTERS, _load_computers, snapshot_all

AUDIT_LOCK = 1 if connection.vendor == "postgresql" else 0
PUSAT, BOGOR = "31.71", "32.01"


def english(user):
    client = verified_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def pop(alice):
    """Five persons this year: three residents of Jakarta Pusat (two women, one man;
    one ready), two living in Bogor (women, processed in Jakarta); one more registered
    last year in Jakarta Pusat."""
    Region.objects.get_or_create(
        code=PUSAT,
        defaults={
            "name": "Jakarta Pusat",
            "level": "regency",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    Region.objects.get_or_create(
        code=BOGOR,
        defaults={
            "name": "Kabupaten Bogor",
            "level": "regency",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    now = timezone.now()
    last_year = now.replace(year=now.year - 1, month=6, day=15)
    this_year = now.replace(month=1, day=10) if now.month > 1 else now
    spec = [
        (1, "F", PUSAT, True, "registered", this_year),
        (2, "F", PUSAT, True, "ready", this_year),
        (3, "M", PUSAT, True, "registered", this_year),
        (4, "F", BOGOR, False, "registered", this_year),
        (5, "F", BOGOR, False, "registered", this_year),
        (6, "F", PUSAT, True, "registered", last_year),
    ]
    for serial, sex, city, resident, status, created in spec:
        p = register(serial=serial, actor=alice, sex=sex)
        Person.objects.filter(pk=p.pk).update(
            regency_code=city, domicile_jakarta=resident, status=status, created_at=created
        )
    return now


def _table(data, table_id, city=""):
    board = DASHBOARDS["registrations"]
    return present(board.table(table_id), data, city)


def test_every_dashboard_is_registered_and_computes_on_an_empty_registry(db):
    _load_computers()
    assert set(COMPUTERS) >= {
        "registrations",
        "readiness",
        "training",
        "placements",
        "cases",
        "referrals",
        "repatriations",
        "reintegration",
    }
    for name in DASHBOARDS:
        for period in ("all", "2026", "2026-02"):
            data = COMPUTERS[name](period)
            assert set(data["tables"]) == {t.id for t in DASHBOARDS[name].tables}


def test_registrations_count_residents_apart_from_everyone_processed(pop):
    _load_computers()
    data = COMPUTERS["registrations"](str(pop.year))
    residence = {row[0]: row[1] for row in _table(data, "residence").rows}
    assert sum(residence.values()) == 5
    assert sorted(residence.values()) == [2, 3]
    by_city = {row[0]: row[1:] for row in _table(data, "by_city").rows}
    assert by_city == {"Jakarta Pusat": [3, 3], "Kabupaten Bogor": [2, 0]}
    # Every period: the person of last year too.
    everything = COMPUTERS["registrations"]("all")
    assert _table(everything, "by_city").total[1:] == [6, 4]


def test_the_city_filter_folds_the_snapshot_rows(pop):
    _load_computers()
    data = COMPUTERS["registrations"](str(pop.year))
    by_sex = _table(data, "by_sex", city=PUSAT)
    assert [row[1:] for row in by_sex.rows] == [[1, 1], [2, 2]] or [
        row[1:] for row in by_sex.rows
    ] == [[2, 2], [1, 1]]
    assert by_sex.total[1:] == [3, 3]
    bogor = _table(data, "by_status", city=BOGOR)
    assert bogor.total is None and bogor.rows[0][1:] == [2, 0]
    # A table not cut by city says so and counts every city.
    months = _table(data, "by_month", city=BOGOR)
    assert months.city_ignored
    assert sum(row[1] for row in months.rows) == 5


def test_fold_sums_counts_and_keeps_a_plain_value_only_from_one_row():
    table = figures.Table(
        "t",
        "T",
        keys=(figures.Column("k", "K"),),
        measures=(figures.Column("n", "N"),),
        plain=(figures.Column("median", "M"),),
        means=(figures.Mean("score", "S", "s_sum", "s_n", min_n=2),),
    )
    rows = [
        {"k": "a", "city": "x", "n": 2, "median": 5, "s_sum": 1.0, "s_n": 1},
        {"k": "a", "city": "y", "n": 3, "median": 7, "s_sum": 2.0, "s_n": 2},
        {"k": "b", "city": "y", "n": 1, "median": 4, "s_sum": 0.5, "s_n": 1},
    ]
    grouped, totals, _ignored = fold(table, rows)
    assert [(g["k"], g["n"], g["median"]) for g in grouped] == [("a", 5, None), ("b", 1, 4)]
    assert totals["n"] == 6
    assert figures.mean_value(table.means[0], grouped[0]) == 1.0
    # Fewer values than min_n: no mean published.
    assert figures.mean_value(table.means[0], grouped[1]) is None
    only_y, _t, _i = fold(table, rows, city="y")
    assert [(g["k"], g["n"], g["median"]) for g in only_y] == [("a", 3, 7), ("b", 1, 4)]


def test_a_chart_is_accessible_svg_with_every_text_escaped():
    svg = charts.bar_chart("Per <city>", [("Jakarta & co", 3), ("Bogor", 0)])
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>Per &lt;city&gt;</title>" in svg
    assert "Jakarta &amp; co" in svg and "<rect" in svg


def test_a_long_label_is_cut_and_fitted_into_its_column():
    """A wide label must not run past the chart's left edge (it did in the outreach
    funnel: "Informasi program G to G Korea Selatan" lost its first letters)."""
    svg = charts.bar_chart("Per acara", [("Informasi program G to G Korea Selatan", 5), ("A", 1)])
    assert ">Informasi program G to G Ko…</text>" in svg
    assert 'textLength="208" lengthAdjust="spacingAndGlyphs"' in svg
    assert svg.count("textLength") == 1  # a short label keeps its own width


# --- pages ----------------------------------------------------------------------------


def test_the_dashboard_shows_fresh_figures_charts_and_their_tables(pop, bob):
    snapshot_all(periods=["all"], names=["registrations"])
    response = english(bob).get(reverse("reports:dashboard", args=["registrations"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Computed at" in text and "minutes ago" in text or "minute ago" in text
    assert "may be out of date" not in text
    html = response.content.decode()
    # Each chart is followed by its table.
    assert html.count('role="img"') == len(DASHBOARDS["registrations"].tables)
    for table in DASHBOARDS["registrations"].tables:
        section = html.split(f'id="t-{table.id}"')[1].split("</section>")[0]
        assert section.index("<svg") < section.index("<table")
    assert "Jakarta Pusat" in text and "Kabupaten Bogor" in text
    assert AuditEvent.objects.filter(actor=bob, action="view", reason="figures registrations")


def test_a_stale_snapshot_warns_and_a_missing_one_says_so(pop, bob):
    snapshot_all(periods=["all"], names=["registrations"])
    Snapshot.objects.update(computed_at=timezone.now() - dt.timedelta(hours=3))
    client = english(bob)
    url = reverse("reports:dashboard", args=["registrations"])
    assert "may be out of date" in text_of(client.get(url))
    missing = client.get(url, {"period": "2019-03"})
    assert missing.status_code == 200
    assert "Not computed yet" in text_of(missing)
    bad = client.get(url, {"period": "last week"})
    assert bad.status_code == 422


def test_every_dashboard_shows_its_freshness_in_indonesian(pop, bob):
    snapshot_all(periods=["all"])
    client = verified_client(bob)
    for name in DASHBOARDS:
        text = text_of(client.get(reverse("reports:dashboard", args=[name])))
        assert "Dihitung pada" in text and "menit yang lalu" in text, name
        assert "Computed at" not in text and "mungkin sudah usang" not in text, name
    Snapshot.objects.update(computed_at=timezone.now() - dt.timedelta(hours=3))
    for name in DASHBOARDS:
        text = text_of(client.get(reverse("reports:dashboard", args=[name])))
        assert "Lebih dari 2 jam: angkanya mungkin sudah usang." in text, name


def _last_month() -> tuple[str, dt.datetime]:
    """Last month's period and when it ended."""
    from garda.reports.snapshots import period_bounds

    period = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    return period, period_bounds(period)[1]


def test_a_period_that_ended_before_its_snapshot_is_final_not_out_of_date(pop, bob):
    period, ended = _last_month()
    snapshot_all(periods=[period], names=["registrations"])
    # Computed an hour after the month ended, days ago: final, never out of date.
    Snapshot.objects.update(computed_at=ended + dt.timedelta(hours=1))
    client = verified_client(bob)
    url = reverse("reports:dashboard", args=["registrations"])
    text = text_of(client.get(url, {"period": period}))
    assert "Angka final, dihitung pada" in text and "setelah periodenya berakhir" in text
    assert "mungkin sudah usang" not in text
    body = client.get("/api/v1/figures/registrations", {"period": period}).json()
    assert body["freshness"]["final"] is True and body["freshness"]["stale"] is False
    # Computed an hour before it ended: the last hour is missing, it warns.
    Snapshot.objects.update(computed_at=ended - dt.timedelta(hours=1))
    text = text_of(client.get(url, {"period": period}))
    assert "Angka final" not in text and "mungkin sudah usang" in text
    body = client.get("/api/v1/figures/registrations", {"period": period}).json()
    assert body["freshness"]["final"] is False and body["freshness"]["stale"] is True


def test_the_job_computes_last_month_once_more_after_it_ended(pop):
    period, ended = _last_month()
    Snapshot.objects.create(
        name="registrations", period=period, computed_at=ended - dt.timedelta(hours=1)
    )
    assert period in {s.period for s in snapshot_all()}  # the first run after its end
    assert not Snapshot.objects.filter(period=period, computed_at__lt=ended).exists()
    assert period not in {s.period for s in snapshot_all()}  # final: not again


def test_the_index_lists_the_dashboards_of_the_role(pop, bob, teguh):
    snapshot_all(periods=["all"], names=["registrations"])
    text = text_of(english(bob).get(reverse("reports:index")))
    assert "Registrations" in text and "Cases" in text and "Not computed yet" in text
    assert "Export for the national system" in text
    # A trainer has no staff-wide figures (every provider's batches): no index.
    assert english(teguh).get(reverse("reports:index")).status_code == 403


def test_a_page_reads_only_its_snapshot(pop, bob, django_assert_max_num_queries):
    snapshot_all(periods=["all"])
    client = verified_client(bob)
    for name in DASHBOARDS:
        client.get(reverse("reports:dashboard", args=[name]))
    # The session, the user and the menu's counts (6), the snapshot and its periods
    # (2), the audit row (4, or 5): no live table whatever the registry's size.
    for name in DASHBOARDS:
        with django_assert_max_num_queries(12 + AUDIT_LOCK) as captured:
            response = client.get(reverse("reports:dashboard", args=[name]), {"city": PUSAT})
        assert response.status_code == 200
        sql = " ".join(q["sql"] for q in captured.captured_queries)
        assert "people_person" not in sql and "cases_case" not in sql


def test_the_trainer_may_not_read_registrations(pop, teguh, putri):
    url = reverse("reports:dashboard", args=["registrations"])
    assert verified_client(teguh).get(url).status_code == 403
    assert verified_client(putri).get(reverse("reports:index")).status_code == 403
    assert AuditEvent.objects.filter(actor=teguh, action="denied").exists()


def test_a_trainer_does_not_see_every_providers_training_outcomes(pop, teguh):
    """The training dashboard counts every provider's batches: a trainer sees only
    their own batches (garda/training), not this page, its exports or its API."""
    snapshot_all(periods=["all"], names=["training"])
    client = verified_client(teguh)
    for url in (
        reverse("reports:dashboard", args=["training"]),
        reverse("reports:export_csv", args=["training"]) + "?table=by_course",
        reverse("reports:export_xlsx", args=["training"]),
        "/api/v1/figures/training",
        "/api/v1/figures",
    ):
        before = AuditEvent.objects.filter(actor=teguh, action="denied").count()
        response = client.get(url)
        assert response.status_code == 403, url
        assert AuditEvent.objects.filter(actor=teguh, action="denied").count() == before + 1, url
    # An unknown dashboard is refused the same way.
    assert (
        verified_client(teguh).get(reverse("reports:dashboard", args=["nope"])).status_code == 403
    )


# --- exports --------------------------------------------------------------------------


def test_csv_and_xlsx_hold_the_table_as_shown(pop, bob):
    from openpyxl import load_workbook

    snapshot_all(periods=["all"], names=["registrations"])
    client = english(bob)
    response = client.get(
        reverse("reports:export_csv", args=["registrations"]), {"table": "by_city", "city": PUSAT}
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["City or regency of domicile", "Persons processed", "Of whom residents of DKI Jakarta"],
        ["Jakarta Pusat", "4", "4"],
    ]
    xlsx = client.get(reverse("reports:export_xlsx", args=["registrations"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == [t.id for t in DASHBOARDS["registrations"].tables]
    values = list(book["by_city"].values)
    assert values[0][0] == "City or regency of domicile"
    assert values[-1] == ("Total", 6, 4)
    assert AuditEvent.objects.filter(
        actor=bob, action="export", reason="figures xlsx registrations all"
    )
    bad = client.get(reverse("reports:export_csv", args=["registrations"]), {"table": "nope"})
    assert bad.status_code == 422


def test_the_national_export_has_the_layout_and_no_nik(pop, bob, alice):
    url = reverse("reports:national_registrations")
    response = verified_client(bob).get(url, {"period": str(pop.year)})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 6
    niks = set(Person.objects.values_list("nik", flat=True))
    assert not any(cell in niks for row in rows for cell in row)
    assert {row[9] for row in rows[1:]} == {"ya", "tidak"}
    event = AuditEvent.objects.get(actor=bob, action="export", object_type="reports.snapshot")
    assert event.reason == "csv cpmi registrations, 5 rows"
    assert verified_client(alice).get(url).status_code == 403


# --- the job and the API --------------------------------------------------------------


def test_the_command_computes_the_periods_asked(pop):
    out = io.StringIO()
    call_command("reports_snapshot", "--period", "all", "--name", "registrations", stdout=out)
    assert Snapshot.objects.filter(name="registrations", period="all").exists()
    assert "1 snapshots" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("reports_snapshot", "--period", "soon")


def test_the_api_gives_the_tables_with_their_freshness(pop, bob, django_assert_max_num_queries):
    snapshot_all(periods=["all"], names=["registrations"])
    client = verified_client(bob)
    listed = client.get("/api/v1/figures").json()
    assert {d["name"] for d in listed} == set(DASHBOARDS)
    fresh = {d["name"]: d["freshness"] for d in listed}
    assert fresh["registrations"]["stale"] is False and fresh["cases"]["computed_at"] is None
    client.get("/api/v1/figures/registrations")
    with django_assert_max_num_queries(10 + AUDIT_LOCK):
        response = client.get("/api/v1/figures/registrations", {"city": PUSAT})
    body = response.json()
    by_city = next(t for t in body["tables"] if t["id"] == "by_city")
    assert by_city["rows"] == [
        {
            "keys": {"city": PUSAT},
            "labels": {"city": "Jakarta Pusat"},
            "values": {"processed": 4, "residents": 4},
        }
    ]
    bad = client.get("/api/v1/figures/registrations", {"period": "x"})
    assert bad.status_code == 422
    assert verified_client(teguh_user()).get("/api/v1/figures/registrations").status_code == 403


def teguh_user():
    from conftest import create_persona

    return create_persona("teguh")


def test_cases_count_by_kind_stage_and_clocks(bob, alice):
    from garda.cases.models import Clock
    from garda.cases.tests.factories import case_in_progress, open_case

    open_case(kinds=["wages", "abuse"])
    case_in_progress(officer=alice, actor=bob, kinds=["wages"])
    _load_computers()
    data = COMPUTERS["cases"]("all")
    board = DASHBOARDS["cases"]
    with translation_en():
        kinds = {r[0]: r[1] for r in present(board.table("by_kind"), data).rows}
        stages = {r[0]: r[1] for r in present(board.table("by_stage"), data).rows}
        clocks = present(board.table("clocks"), data)
    assert kinds == {"Unpaid or withheld wages": 2, "Physical or sexual abuse": 1}
    assert stages == {"New": 1, "In progress": 1}
    counted = sum(sum(r[1:]) for r in clocks.rows)
    assert counted == Clock.objects.count() > 0


def translation_en():
    from django.utils import translation

    return translation.override("en")
