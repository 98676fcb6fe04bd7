from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema

from garda.people.nik import parse_nik

router = Router(tags=["people"])


class RegionRef(Schema):
    code: str
    name: str


class NikErrorOut(Schema):
    code: str
    message: str


class NikOut(Schema):
    nik: str
    valid: bool
    errors: list[NikErrorOut]
    province: RegionRef | None
    regency: RegionRef | None
    district: RegionRef | None
    birth_date: date | None
    sex: str | None
    is_jakarta: bool


class NikCheckIn(Schema):
    nik: str = Field(max_length=64)
    birth_date: date | None = None
    sex: Literal["M", "F"] | None = None


def nik_payload(nik: str, *, birth_date: date | None = None, sex: str | None = None) -> dict:
    result = parse_nik(nik, birth_date=birth_date, sex=sex)
    lang = get_language()

    def ref(region):
        return {"code": region.code, "name": region.name} if region else None

    return {
        "nik": result.nik,
        "valid": result.valid,
        "errors": [{"code": e.code, "message": e.message(lang)} for e in result.errors],
        "province": ref(result.province),
        "regency": ref(result.regency),
        "district": ref(result.district),
        "birth_date": result.birth_date,
        "sex": result.sex,
        "is_jakarta": result.is_jakarta,
    }


@router.post("/nik/check", response=NikOut, summary="Check a NIK against declared data")
def nik_check_declared(request: HttpRequest, payload: NikCheckIn):
    """Like `GET /nik/{nik}`, with the NIK in the body (kept out of URLs and logs) and
    optionally the birth date and sex the person declares: a mismatch is reported as
    `birth_date_mismatch` or `sex_mismatch` (possible age falsification)."""
    return nik_payload(payload.nik, birth_date=payload.birth_date, sex=payload.sex)


# Registered after /nik/check, which it would otherwise shadow.
@router.get("/nik/{nik}", response=NikOut, summary="Check a NIK")
def nik_check(request: HttpRequest, nik: str):
    """Parse and validate a 16-digit NIK: region codes, birth date, sex, serial.

    Errors come in the request's language (Indonesian unless `Accept-Language: en`).
    """
    return nik_payload(nik)
