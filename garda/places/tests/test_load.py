"""Reference data: the region code list (CSV and table) and the country table."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from garda.places.codes import RegionFileError, read_regions, region_names
from garda.places.models import Country, Region

HEADER = "code,name,level,first_edition,last_edition\n"
SMALL_CSV = HEADER + (
    "31,Daerah Khusus Ibukota Jakarta,province,2016,2025\n"
    "31.71,Kota Administrasi Jakarta Pusat,regency,2016,2025\n"
    "31.71.01,Gambir,district,2016,2025\n"
    "31.71.01.1001,Gambir,village,2016,2025\n"
    "91,Papua,province,2016,2025\n"
    "91.01,KAB. MERAUKE,regency,2016,2022\n"
    "91.01.01,Merauke,district,2016,2022\n"
)


def write_csv(tmp_path, text, name="regions.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def load_regions(path=None) -> str:
    out = StringIO()
    if path is None:
        call_command("load_regions", stdout=out)
    else:
        call_command("load_regions", file=path, stdout=out)
    return out.getvalue()


# --- codes.py: the packaged CSV without the database ----------------------------------


def test_region_names_keyed_by_digits_without_villages():
    names = region_names()

    assert names["31"].code == "31"
    assert names["3171"].name == "Kota Administrasi Jakarta Pusat"
    assert names["317101"].name == "Gambir"
    assert names["317101"].level == "district"
    assert {region.level for region in names.values()} == {"province", "regency", "district"}
    assert len(names) == 38 + 540 + 7879


def test_region_names_keeps_retired_codes():
    merauke = region_names()["910101"]

    assert merauke.code == "91.01.01"
    assert not merauke.is_current
    assert merauke.last_edition == 2022
    assert region_names()["930101"].is_current  # its 2023 successor in Papua Selatan


def test_region_names_is_cached_and_read_only():
    assert region_names() is region_names(("district", "regency", "province"))
    with pytest.raises(TypeError):
        region_names()["00"] = None


def test_region_names_rejects_unknown_level():
    with pytest.raises(ValueError, match="unknown levels"):
        region_names(("kelurahan",))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name\n31,Jakarta\n", "line 1: expected header"),
        (HEADER + "31,Jakarta,province,2016\n", "line 2: expected 5 columns"),
        (HEADER + "31,Jakarta,kelurahan,2016,2025\n", "line 2: unknown level"),
        (HEADER + "31.71,Jakarta,province,2016,2025\n", "is not a province code"),
        (HEADER + "31.7,Jakarta,regency,2016,2025\n", "is not a regency code"),
        (HEADER + "31, ,province,2016,2025\n", "has no name"),
        (HEADER + "31,Jakarta,province,2016,last\n", "editions must be years"),
        (HEADER + "31,Jakarta,province,2025,2016\n", "out of order"),
    ],
)
def test_read_regions_rejects_malformed_files(tmp_path, text, message):
    with pytest.raises(RegionFileError, match=message):
        list(read_regions(write_csv(tmp_path, text)))


# --- load_regions ----------------------------------------------------------------------


@pytest.mark.django_db
def test_load_regions_from_small_file(tmp_path):
    output = load_regions(write_csv(tmp_path, SMALL_CSV))

    assert Region.objects.count() == 7
    gambir = Region.objects.get(code="31.71.01")
    assert gambir.name == "Gambir"
    assert gambir.level == Region.Level.DISTRICT
    assert gambir.parent_id == "31.71"
    assert gambir.parent.parent.name == "Daerah Khusus Ibukota Jakarta"
    assert gambir.is_current
    assert (gambir.first_edition, gambir.last_edition) == (2016, 2025)
    assert Region.objects.get(code="31.71.01.1001").parent_id == "31.71.01"
    assert Region.objects.get(code="31").parent is None
    retired = Region.objects.get(code="91.01.01")
    assert not retired.is_current
    assert retired.last_edition == 2022
    assert output.startswith("Regions: 7 in file, 7 inserted, 0 updated, 0 unchanged in ")


@pytest.mark.django_db
def test_load_regions_twice_updates_and_inserts_without_duplicates(tmp_path):
    load_regions(write_csv(tmp_path, SMALL_CSV))
    changed = (
        SMALL_CSV.replace("Gambir,district", "Gambir Baru,district")
        .replace("91.01.01,Merauke,district,2016,2022", "91.01.01,Merauke,district,2016,2025")
        .replace("KAB. MERAUKE", "Kabupaten Merauke")
    ) + "31.71.02,Sawah Besar,district,2016,2025\n"

    output = load_regions(write_csv(tmp_path, changed, "changed.csv"))

    assert Region.objects.count() == 8
    assert Region.objects.get(code="31.71.01").name == "Gambir Baru"
    assert Region.objects.get(code="91.01.01").is_current
    assert Region.objects.get(code="91.01").name == "Kabupaten Merauke"
    assert Region.objects.get(code="31.71.02").parent_id == "31.71"
    assert "8 in file, 1 inserted, 3 updated, 4 unchanged" in output

    again = load_regions(write_csv(tmp_path, changed, "changed.csv"))

    assert Region.objects.count() == 8
    assert "8 in file, 0 inserted, 0 updated, 8 unchanged" in again


@pytest.mark.django_db
def test_load_regions_keeps_codes_missing_from_the_file(tmp_path):
    load_regions(write_csv(tmp_path, SMALL_CSV))

    load_regions(write_csv(tmp_path, HEADER + "31,DKI Jakarta,province,2016,2025\n", "b.csv"))

    assert Region.objects.count() == 7
    assert Region.objects.get(code="31").name == "DKI Jakarta"


@pytest.mark.django_db
def test_load_regions_bad_file_writes_nothing(tmp_path):
    bad = SMALL_CSV + "31.71.01,Gambir,district,2016,2025\n"  # duplicate code

    with pytest.raises(CommandError, match="appears twice"):
        load_regions(write_csv(tmp_path, bad))
    with pytest.raises(CommandError, match="line 9: unknown level"):
        load_regions(write_csv(tmp_path, SMALL_CSV + "31.71.03,X,kota,2016,2025\n", "c.csv"))
    with pytest.raises(CommandError, match="No such file"):
        load_regions(str(tmp_path / "missing.csv"))

    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_load_regions_full_packaged_file():
    output = load_regions()

    assert Region.objects.count() == 99_133
    assert Region.objects.filter(is_current=True).count() == 91_599
    jakarta = Region.objects.filter(parent_id="31", level=Region.Level.REGENCY)
    assert sorted(jakarta.values_list("code", flat=True)) == [
        "31.01",
        "31.71",
        "31.72",
        "31.73",
        "31.74",
        "31.75",
    ]
    assert Region.objects.filter(code__startswith="31.", level=Region.Level.DISTRICT).count() == 44
    assert "99133 in file, 99133 inserted" in output


# --- load_countries ------------------------------------------------------------------


def load_countries() -> str:
    out = StringIO()
    call_command("load_countries", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_countries():
    output = load_countries()

    indonesia = Country.objects.get(code="ID")
    assert (indonesia.alpha3, indonesia.numeric) == ("IDN", "360")
    assert (indonesia.name_id, indonesia.name_en) == ("Indonesia", "Indonesia")
    korea = Country.objects.get(code="KR")
    assert (korea.name_id, korea.name_en) == ("Korea Selatan", "South Korea")
    taiwan = Country.objects.get(code="TW")
    assert (taiwan.name_id, taiwan.name_en) == ("Taiwan", "Taiwan")
    assert Country.objects.get(code="CN").name_id == "Tiongkok"
    assert Country.objects.get(code="SA").name_id == "Arab Saudi"
    assert Country.objects.get(code="MY").name_id == "Malaysia"
    count = Country.objects.count()
    assert count >= 249
    assert output.startswith(f"Countries: {count} known, {count} inserted, 0 updated, 0 unchanged")


@pytest.mark.django_db
def test_load_countries_twice_is_idempotent_and_repairs_changes():
    load_countries()
    count = Country.objects.count()
    Country.objects.filter(code="ID").update(name_id="Hindia Belanda")

    output = load_countries()

    assert Country.objects.count() == count
    assert Country.objects.get(code="ID").name_id == "Indonesia"
    assert f"{count} known, 0 inserted, 1 updated, {count - 1} unchanged" in output
