"""Parse and check an Indonesian NIK (Nomor Induk Kependudukan), without the database.

The NIK is the single identity number every resident receives once, for life
(UU 23/2006 on Administrasi Kependudukan as amended by UU 24/2013: art. 1 no. 12
defines it, art. 13 makes it lifelong). Its 16-digit structure is the one published
by the Ministry of Home Affairs' Directorate General Dukcapil (Kemendagri):

    PP RR DD  DDMMYY  SSSS
    |  |  |   |       +- serial number for that region and birth date, 0001-9999
    |  |  |   +--------- birth date; 40 is added to the day for women (41-71)
    |  |  +------------- district (kecamatan) code
    |  +---------------- regency/city (kabupaten/kota) code
    +------------------- province code

The region digits are the Kemendagri code (Permendagri/Kepmendagri on the codes of
administrative regions, see garda/places/data/PROVENANCE.md) of the district where
the NIK was first registered, so a code later retired by a split or renumbering
still makes a valid NIK. The year has two digits: we read 20YY unless that date is
still in the future, then 19YY. A declared birth date with the same day, month and
two-digit year settles the century (someone born in 1920 has the same NIK digits
as a child born in 2020).

Messages are in Indonesian first, English second; `NikError.message(lang)` picks one.
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from garda.places.codes import RegionCode, region_names

NIK_LENGTH = 16
JAKARTA_PROVINCE = "31"
WOMAN_DAY_OFFSET = 40

Sex = Literal["M", "F"]

_DIGITS = re.compile(r"[0-9]*")  # ASCII only: str.isdigit() also accepts "²" and "٣"
_SEX_ID = {"M": "laki-laki", "F": "perempuan"}
_SEX_EN = {"M": "male", "F": "female"}

try:
    _JAKARTA = ZoneInfo("Asia/Jakarta")
except ZoneInfoNotFoundError:  # no tz database here; WIB is a fixed UTC+7 since 1964
    _JAKARTA = timezone(timedelta(hours=7), "WIB")


@dataclass(frozen=True, slots=True)
class NikError:
    code: str  # stable identifier for programs and tests, e.g. "unknown_district"
    message_id: str  # Bahasa Indonesia
    message_en: str

    def message(self, lang: str | None = "id") -> str:
        """The message in English for "en" (or "en-US"...), otherwise in Indonesian."""
        if lang and lang.lower().startswith("en"):
            return self.message_en
        return self.message_id


@dataclass(frozen=True, slots=True)
class NikResult:
    nik: str  # the input without surrounding whitespace
    errors: tuple[NikError, ...]
    province: RegionCode | None = None
    regency: RegionCode | None = None
    district: RegionCode | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    serial: str | None = None  # the last four digits, "0001"

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def error_codes(self) -> list[str]:
        return [error.code for error in self.errors]

    @property
    def is_jakarta(self) -> bool:
        """Issued in DKI Jakarta (province code 31)."""
        return self.province is not None and self.province.code == JAKARTA_PROVINCE


def jakarta_today() -> date:
    """Today's date in Jakarta (WIB), whatever the server's time zone."""
    return datetime.now(_JAKARTA).date()


def parse_nik(
    nik: str,
    *,
    birth_date: date | None = None,
    sex: Sex | None = None,
    today: date | None = None,
) -> NikResult:
    """Parse and validate a NIK; never raises, whatever the text.

    Checks, in order: ASCII digits only (surrounding whitespace is ignored), exactly
    16 digits (either failure stops there), province, regency and district codes known
    in any edition of the Kemendagri list (only the highest unknown level is reported),
    birth day 01-31 for men or 41-71 for women, a real calendar date, serial not 0000.
    With a declared `birth_date` or `sex`, mismatches are added (see check_declared).
    `today` decides the century of the birth year; it defaults to today in Jakarta.
    """
    if sex is not None and sex not in _SEX_ID:
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    text = nik.strip()
    if not _DIGITS.fullmatch(text):
        return NikResult(nik=text, errors=(_not_digits(),))
    if len(text) != NIK_LENGTH:
        return NikResult(nik=text, errors=(_wrong_length(len(text)),))

    errors: list[NikError] = []
    province, regency, district = _regions(text, errors)
    nik_sex, nik_birth_date = _birth(text[6:12], today or jakarta_today(), errors)
    serial = text[12:]
    if serial == "0000":
        errors.append(
            NikError(
                "invalid_serial",
                f"nomor urut {serial} tidak sah: harus 0001 sampai 9999",
                f"serial number {serial} is invalid: it must be 0001 to 9999",
            )
        )
    result = NikResult(
        nik=text,
        errors=tuple(errors),
        province=province,
        regency=regency,
        district=district,
        birth_date=nik_birth_date,
        sex=nik_sex,
        serial=serial,
    )
    if birth_date is None and sex is None:
        return result
    mismatches = check_declared(result, birth_date=birth_date, sex=sex)
    if (
        birth_date is not None
        and result.birth_date is not None
        and not any(error.code == "birth_date_mismatch" for error in mismatches)
    ):
        # Same day, month and two-digit year: the declared date settles the century.
        result = replace(result, birth_date=birth_date)
    return replace(result, errors=result.errors + tuple(mismatches))


# Dates in the messages as on the pages, "6 Maret 2026" (docs/design-ui.md §4); this
# module stays free of Django, hence its own month names.
_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _long(day: date, months: tuple[str, ...]) -> str:
    return f"{day.day} {months[day.month - 1]} {day.year}"


def check_declared(
    result: NikResult, *, birth_date: date | None = None, sex: Sex | None = None
) -> list[NikError]:
    """Errors where a declared birth date or sex contradicts what the NIK encodes.

    Only the day, month and two-digit year are compared, since the NIK does not carry
    the century. Nothing is reported for a part the NIK itself failed to encode (its
    own error says why).
    """
    if sex is not None and sex not in _SEX_ID:
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    errors = []
    nik_date = result.birth_date
    if birth_date is not None and nik_date is not None:
        declared = (birth_date.day, birth_date.month, birth_date.year % 100)
        if declared != (nik_date.day, nik_date.month, nik_date.year % 100):
            errors.append(
                NikError(
                    "birth_date_mismatch",
                    f"tanggal lahir {_long(birth_date, _MONTHS_ID)} tidak sesuai dengan NIK "
                    f"({_long(nik_date, _MONTHS_ID)})",
                    f"birth date {_long(birth_date, _MONTHS_EN)} does not match the NIK "
                    f"({_long(nik_date, _MONTHS_EN)})",
                )
            )
    if sex is not None and result.sex is not None and sex != result.sex:
        errors.append(
            NikError(
                "sex_mismatch",
                f"jenis kelamin {_SEX_ID[sex]} tidak sesuai dengan NIK ({_SEX_ID[result.sex]})",
                f"sex {_SEX_EN[sex]} does not match the NIK ({_SEX_EN[result.sex]})",
            )
        )
    return errors


def _regions(
    text: str, errors: list[NikError]
) -> tuple[RegionCode | None, RegionCode | None, RegionCode | None]:
    names = region_names()
    province = names.get(text[:2])
    if province is None:
        errors.append(
            NikError(
                "unknown_province",
                f"kode provinsi {text[:2]} tidak dikenal",
                f"province code {text[:2]} is unknown",
            )
        )
        return None, None, None
    regency = names.get(text[:4])
    if regency is None:
        errors.append(
            NikError(
                "unknown_regency",
                f"kode kabupaten/kota {text[:4]} tidak dikenal",
                f"regency/city code {text[:4]} is unknown",
            )
        )
        return province, None, None
    district = names.get(text[:6])
    if district is None:
        errors.append(
            NikError(
                "unknown_district",
                f"kode kecamatan {text[:6]} tidak dikenal",
                f"district code {text[:6]} is unknown",
            )
        )
    return province, regency, district


def _birth(ddmmyy: str, today: date, errors: list[NikError]) -> tuple[Sex | None, date | None]:
    coded_day, month, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    if 1 <= coded_day <= 31:
        sex: Sex = "M"
        day = coded_day
    elif 1 + WOMAN_DAY_OFFSET <= coded_day <= 31 + WOMAN_DAY_OFFSET:
        sex = "F"
        day = coded_day - WOMAN_DAY_OFFSET
    else:
        errors.append(
            NikError(
                "invalid_birth_day",
                f"kode tanggal lahir {ddmmyy[:2]} tidak sah: harus 01 sampai 31 untuk laki-laki "
                "atau 41 sampai 71 untuk perempuan",
                f"birth day code {ddmmyy[:2]} is invalid: it must be 01 to 31 for men "
                "or 41 to 71 for women",
            )
        )
        return None, None
    # Compared as tuples so that a day that does not exist (29 February 2100) still
    # gets a century before the calendar check below.
    year = 2000 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    try:
        return sex, date(year, month, day)
    except ValueError:
        shown = f"{year:04d}-{month:02d}-{day:02d}"
        errors.append(
            NikError(
                "invalid_birth_date",
                f"tanggal lahir {shown} tidak ada dalam kalender",
                f"birth date {shown} is not a real calendar date",
            )
        )
        return sex, None


def _not_digits() -> NikError:
    return NikError(
        "not_digits",
        "NIK hanya boleh berisi angka 0 sampai 9",
        "the NIK must contain only the digits 0 to 9",
    )


def _wrong_length(length: int) -> NikError:
    return NikError(
        "wrong_length",
        f"NIK harus terdiri dari {NIK_LENGTH} angka, bukan {length}",
        f"the NIK must have {NIK_LENGTH} digits, not {length}",
    )
