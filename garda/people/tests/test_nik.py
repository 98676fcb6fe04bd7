"""NIK parsing: pure, no database. Table-driven cases, then properties (hypothesis)."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from hypothesis import assume, given
from hypothesis import strategies as st

from garda.people.nik import NikError, NikResult, check_declared, jakarta_today, parse_nik
from garda.places.codes import region_names

TODAY = date(2025, 6, 15)
GAMBIR = "317101"  # 31.71.01 Gambir, Kota Administrasi Jakarta Pusat (current)
MERAUKE_OLD = "910101"  # 91.01.01 Merauke: retired in 2023 when Papua Selatan became 93
BANDUNG_SUKASARI = "327301"  # 32.73.01 Sukasari, Kota Bandung: outside Jakarta

ERROR_CODES = {
    "not_digits",
    "wrong_length",
    "unknown_province",
    "unknown_regency",
    "unknown_district",
    "invalid_birth_day",
    "invalid_birth_date",
    "invalid_serial",
    "birth_date_mismatch",
    "sex_mismatch",
}


def parse(nik: str, **kwargs) -> NikResult:
    kwargs.setdefault("today", TODAY)
    return parse_nik(nik, **kwargs)


# --- valid NIKs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "birth_date", "sex", "district"),
    [
        pytest.param("3171010101900001", date(1990, 1, 1), "M", "31.71.01", id="man-gambir"),
        pytest.param("3171015101900001", date(1990, 1, 11), "F", "31.71.01", id="woman-day+40"),
        pytest.param("3171017112859999", date(1985, 12, 31), "F", "31.71.01", id="woman-day-71"),
        pytest.param("3171013112850001", date(1985, 12, 31), "M", "31.71.01", id="man-day-31"),
        pytest.param("3171014101850001", date(1985, 1, 1), "F", "31.71.01", id="woman-day-41"),
        pytest.param("9101014402000001", date(2000, 2, 4), "F", "91.01.01", id="retired-code"),
        pytest.param("3171012902000001", date(2000, 2, 29), "M", "31.71.01", id="29feb-2000"),
        pytest.param("3171016902880001", date(1988, 2, 29), "F", "31.71.01", id="29feb-1988-f"),
        pytest.param("3171012902240001", date(2024, 2, 29), "M", "31.71.01", id="29feb-2024"),
        pytest.param("3273011506250001", date(2025, 6, 15), "M", "32.73.01", id="born-today"),
        pytest.param("3273011606250001", date(1925, 6, 16), "M", "32.73.01", id="tomorrow-1925"),
        pytest.param(" 3171010101900001\n", date(1990, 1, 1), "M", "31.71.01", id="whitespace"),
    ],
)
def test_valid_nik(nik, birth_date, sex, district):
    result = parse(nik)

    assert result.errors == ()
    assert result.valid
    assert result.nik == nik.strip()
    assert result.birth_date == birth_date
    assert result.sex == sex
    assert result.district.code == district
    assert result.regency.code == district[:5]
    assert result.province.code == district[:2]
    assert result.serial == nik.strip()[12:]


def test_valid_nik_names_its_regions():
    result = parse(f"{GAMBIR}0101900001")

    assert result.district.name == "Gambir"
    assert result.district.is_current
    assert result.regency.name == "Kota Administrasi Jakarta Pusat"
    assert result.province.name == "Daerah Khusus Ibukota Jakarta"


def test_retired_district_is_valid_and_marked_retired():
    result = parse(f"{MERAUKE_OLD}0101900001")

    assert result.valid
    assert result.district.name == "Merauke"
    assert not result.district.is_current
    assert result.district.last_edition < 2025
    assert not result.regency.is_current  # 91.01 Kabupaten Merauke moved to 93.01


@pytest.mark.parametrize(
    ("nik", "is_jakarta"),
    [
        (f"{GAMBIR}0101900001", True),
        ("3101010101900001", True),  # 31.01.01 Kepulauan Seribu Utara
        (f"{BANDUNG_SUKASARI}0101900001", False),
        (f"{MERAUKE_OLD}0101900001", False),
        ("9901010101900001", False),  # unknown province
        ("31", False),  # wrong length: nothing parsed
    ],
)
def test_is_jakarta(nik, is_jakarta):
    assert parse(nik).is_jakarta is is_jakarta


# --- invalid NIKs: exact error codes ---------------------------------------------


@pytest.mark.parametrize(
    ("nik", "codes"),
    [
        pytest.param("", ["wrong_length"], id="empty"),
        pytest.param("   ", ["wrong_length"], id="only-spaces"),
        pytest.param("317101010190001", ["wrong_length"], id="15-digits"),
        pytest.param("31710101019000011", ["wrong_length"], id="17-digits"),
        pytest.param("31710101019000a1", ["not_digits"], id="letter"),
        pytest.param("3171 0101 0190 0001", ["not_digits"], id="inner-spaces"),
        pytest.param("3171.0101.0190.0001", ["not_digits"], id="dots"),
        pytest.param("-317101010190001", ["not_digits"], id="minus-sign"),
        pytest.param("ABC", ["not_digits"], id="short-letters-not-length"),
        pytest.param("３１７１０１０１０１９０００１", ["not_digits"], id="fullwidth-digits"),
        pytest.param("٣١٧١٠١٠١٠١٩٠٠٠١٠", ["not_digits"], id="arabic-indic-digits"),
        pytest.param("317101010190000²", ["not_digits"], id="superscript-two"),
        pytest.param("9901010101900001", ["unknown_province"], id="province-99"),
        pytest.param("0001010101900001", ["unknown_province"], id="province-00"),
        pytest.param("9999990101900001", ["unknown_province"], id="only-highest-unknown"),
        pytest.param("3102010101900001", ["unknown_regency"], id="regency-31.02"),
        pytest.param("3199990101900001", ["unknown_regency"], id="regency-not-district"),
        pytest.param("3171990101900001", ["unknown_district"], id="district-31.71.99"),
        pytest.param(f"{GAMBIR}0001900001", ["invalid_birth_day"], id="day-00"),
        pytest.param(f"{GAMBIR}3201900001", ["invalid_birth_day"], id="day-32"),
        pytest.param(f"{GAMBIR}4001900001", ["invalid_birth_day"], id="day-40"),
        pytest.param(f"{GAMBIR}7201900001", ["invalid_birth_day"], id="day-72"),
        pytest.param(f"{GAMBIR}9901900001", ["invalid_birth_day"], id="day-99"),
        pytest.param(f"{GAMBIR}3104900001", ["invalid_birth_date"], id="31-april"),
        pytest.param(f"{GAMBIR}7104900001", ["invalid_birth_date"], id="31-april-woman"),
        pytest.param(f"{GAMBIR}3002900001", ["invalid_birth_date"], id="30-february"),
        pytest.param(f"{GAMBIR}2902230001", ["invalid_birth_date"], id="29feb-2023"),
        pytest.param(f"{GAMBIR}6902900001", ["invalid_birth_date"], id="29feb-1990-woman"),
        pytest.param(f"{GAMBIR}0100900001", ["invalid_birth_date"], id="month-00"),
        pytest.param(f"{GAMBIR}0113900001", ["invalid_birth_date"], id="month-13"),
        pytest.param(f"{GAMBIR}0101900000", ["invalid_serial"], id="serial-0000"),
        pytest.param(
            "9901013204900000",
            ["unknown_province", "invalid_birth_day", "invalid_serial"],
            id="several-errors",
        ),
        pytest.param(
            "3171993104900000",
            ["unknown_district", "invalid_birth_date", "invalid_serial"],
            id="district-date-serial",
        ),
    ],
)
def test_invalid_nik(nik, codes):
    result = parse(nik)

    assert result.error_codes == codes
    assert not result.valid


def test_not_digits_stops_before_other_checks():
    result = parse("99a")  # would also be wrong_length and unknown_province

    assert result.error_codes == ["not_digits"]
    assert (result.province, result.birth_date, result.sex, result.serial) == (None,) * 4


def test_wrong_length_stops_before_other_checks():
    result = parse("99010100000000000")  # 17 digits, unknown province, day 00, serial 0000

    assert result.error_codes == ["wrong_length"]
    assert (result.province, result.birth_date, result.sex, result.serial) == (None,) * 4


def test_unknown_district_keeps_known_province_and_regency():
    result = parse("3171990101900001")

    assert result.province.code == "31"
    assert result.regency.code == "31.71"
    assert result.district is None
    assert result.birth_date == date(1990, 1, 1)


def test_invalid_calendar_date_still_gives_sex():
    result = parse(f"{GAMBIR}7104900001")

    assert result.sex == "F"
    assert result.birth_date is None


# --- century ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "birth_date"),
    [
        (date(2024, 6, 1), date(1930, 1, 1)),
        (date(2029, 12, 31), date(1930, 1, 1)),
        (date(2030, 1, 1), date(2030, 1, 1)),  # born today
        (date(2031, 1, 1), date(2030, 1, 1)),
    ],
)
def test_century_follows_injected_today(today, birth_date):
    assert parse(f"{GAMBIR}0101300001", today=today).birth_date == birth_date


def test_29_february_2000_is_1900_when_2000_is_still_ahead():
    # 1900 was not a leap year, so the same digits are then no real date.
    result = parse(f"{GAMBIR}2902000001", today=date(1999, 12, 31))

    assert result.error_codes == ["invalid_birth_date"]
    assert "1900-02-29" in result.errors[0].message_en


def test_default_today_is_jakarta_date():
    # 31 Dec 2024 18:00 UTC is already 1 Jan 2025 01:00 in Jakarta (UTC+7): a NIK
    # dated 01-01-25 is someone born today, not in 1925.
    with time_machine.travel(datetime(2024, 12, 31, 18, 0, tzinfo=UTC), tick=False):
        assert jakarta_today() == date(2025, 1, 1)
        assert parse_nik(f"{GAMBIR}0101250001").birth_date == date(2025, 1, 1)
        assert parse_nik(f"{GAMBIR}0201250001").birth_date == date(1925, 1, 2)


# --- messages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nik", "message_id", "message_en"),
    [
        (
            "3171990101900001",
            "kode kecamatan 317199 tidak dikenal",
            "district code 317199 is unknown",
        ),
        (
            "3102010101900001",
            "kode kabupaten/kota 3102 tidak dikenal",
            "regency/city code 3102 is unknown",
        ),
        ("9901010101900001", "kode provinsi 99 tidak dikenal", "province code 99 is unknown"),
        (
            "317101010190001",
            "NIK harus terdiri dari 16 angka, bukan 15",
            "the NIK must have 16 digits, not 15",
        ),
        (
            "31710101019000a1",
            "NIK hanya boleh berisi angka 0 sampai 9",
            "the NIK must contain only the digits 0 to 9",
        ),
        (
            f"{GAMBIR}3104900001",
            "tanggal lahir 1990-04-31 tidak ada dalam kalender",
            "birth date 1990-04-31 is not a real calendar date",
        ),
        (
            f"{GAMBIR}3501900001",
            "kode tanggal lahir 35 tidak sah: harus 01 sampai 31 untuk laki-laki "
            "atau 41 sampai 71 untuk perempuan",
            "birth day code 35 is invalid: it must be 01 to 31 for men or 41 to 71 for women",
        ),
        (
            f"{GAMBIR}0101900000",
            "nomor urut 0000 tidak sah: harus 0001 sampai 9999",
            "serial number 0000 is invalid: it must be 0001 to 9999",
        ),
    ],
)
def test_messages(nik, message_id, message_en):
    (error,) = parse(nik).errors

    assert error.message_id == message_id
    assert error.message_en == message_en


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (None, "id"),
        ("id", "id"),
        ("en", "en"),
        ("en-us", "en"),
        ("EN", "en"),
        ("jv", "id"),  # anything else falls back to Indonesian
    ],
)
def test_message_language(lang, expected):
    error = NikError("x", "pesan", "message")

    assert error.message(lang) == {"id": "pesan", "en": "message"}[expected]


def test_message_defaults_to_indonesian():
    assert NikError("x", "pesan", "message").message() == "pesan"


# --- declared birth date and sex -------------------------------------------------------


def test_check_declared_matching_values():
    result = parse(f"{GAMBIR}4101900001")

    assert check_declared(result, birth_date=date(1990, 1, 1), sex="F") == []
    assert check_declared(result) == []


def test_check_declared_birth_date_mismatch():
    result = parse(f"{GAMBIR}0101900001")

    (error,) = check_declared(result, birth_date=date(1990, 1, 2))

    assert error.code == "birth_date_mismatch"
    assert (
        error.message_id == "tanggal lahir 2 Januari 1990 tidak sesuai dengan NIK (1 Januari 1990)"
    )
    assert error.message_en == "birth date 2 January 1990 does not match the NIK (1 January 1990)"


def test_check_declared_sex_mismatch():
    result = parse(f"{GAMBIR}0101900001")

    (error,) = check_declared(result, sex="F")

    assert error.code == "sex_mismatch"
    assert error.message_id == "jenis kelamin perempuan tidak sesuai dengan NIK (laki-laki)"
    assert error.message_en == "sex female does not match the NIK (male)"


def test_check_declared_ignores_century():
    # The NIK cannot tell 1920 from 2020: a 104-year-old is not a mismatch.
    result = parse(f"{GAMBIR}0101200001")

    assert result.birth_date == date(2020, 1, 1)
    assert check_declared(result, birth_date=date(1920, 1, 1)) == []


def test_check_declared_skips_what_the_nik_does_not_encode():
    bad_day = parse(f"{GAMBIR}3501900001")
    bad_length = parse("123")

    assert check_declared(bad_day, birth_date=date(1990, 1, 1), sex="M") == []
    assert check_declared(bad_length, birth_date=date(1990, 1, 1), sex="F") == []


def test_check_declared_rejects_unknown_sex_value():
    with pytest.raises(ValueError, match="sex"):
        check_declared(parse(f"{GAMBIR}0101900001"), sex="L")


def test_parse_nik_with_declared_values_adds_mismatches():
    result = parse(f"{GAMBIR}0101900000", birth_date=date(1991, 1, 1), sex="F")

    assert result.error_codes == ["invalid_serial", "birth_date_mismatch", "sex_mismatch"]
    assert result.birth_date == date(1990, 1, 1)  # what the NIK says


def test_parse_nik_declared_birth_date_settles_century():
    result = parse(f"{GAMBIR}0101200001", birth_date=date(1920, 1, 1), sex="M")

    assert result.valid
    assert result.birth_date == date(1920, 1, 1)


# --- properties ---------------------------------------------------------------------

DISTRICTS = sorted(
    digits for digits, region in region_names().items() if region.level == "district"
)


@st.composite
def valid_niks(draw):
    district = draw(st.sampled_from(DISTRICTS))
    today = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    # Within the last 99 years the two-digit year is never ambiguous.
    born = draw(st.dates(min_value=date(today.year - 99, 1, 1), max_value=today))
    sex = draw(st.sampled_from(["M", "F"]))
    serial = draw(st.integers(min_value=1, max_value=9999))
    day = born.day + (40 if sex == "F" else 0)
    nik = f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
    return nik, today, born, sex, serial


@given(valid_niks())
def test_property_valid_niks_round_trip(case):
    nik, today, born, sex, serial = case

    result = parse_nik(nik, today=today)

    assert result.errors == ()
    assert result.birth_date == born
    assert result.sex == sex
    assert result.serial == f"{serial:04d}"
    assert result.district.digits == nik[:6]
    assert result.is_jakarta is nik.startswith("31")
    assert parse_nik(nik, today=today, birth_date=born, sex=sex).errors == ()


@st.composite
def strings_with_a_non_digit(draw):
    digits = st.text(alphabet="0123456789", max_size=20)
    bad = draw(st.characters().filter(lambda c: c not in "0123456789" and not c.isspace()))
    return draw(digits) + bad + draw(digits)


@given(st.one_of(strings_with_a_non_digit(), st.text()))
def test_property_non_digit_gives_not_digits(text):
    assume(not re.fullmatch(r"[0-9]*", text.strip()))

    assert parse_nik(text, today=TODAY).error_codes == ["not_digits"]


@given(st.text(alphabet="0123456789", max_size=40).filter(lambda s: len(s) != 16))
def test_property_wrong_length(text):
    assert parse_nik(text, today=TODAY).error_codes == ["wrong_length"]


@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789", min_size=16, max_size=16),
        st.text(alphabet="0123456789 \t\n", min_size=14, max_size=20),
    ),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
)
def test_property_parse_never_raises(text, today):
    result = parse_nik(text, today=today)

    assert result.valid is (result.errors == ())
    assert set(result.error_codes) <= ERROR_CODES
    for error in result.errors:
        assert error.message("id")
        assert error.message("en")
    if result.birth_date is not None:
        assert result.birth_date <= today
