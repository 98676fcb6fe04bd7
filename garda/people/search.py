"""Finding people: one search box plus filters, shared by the page and the API.

`q` is read as, in order: a NIK (16 digits: exact, through the blind index), a
reference number (PMI-2026-000042), a phone number (normalised to E.164), else a name
(every word must appear in the full or other names, in any order, allowing typos
and old spellings: see names.py).
"""

import re
from datetime import date

import phonenumbers
from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Schema

from garda.people.models import LanguageSkill, Person, Route, Sex, Skill, Status
from garda.people.names import filter_by_name

_NIK = re.compile(r"^\d{16}$")
_REFERENCE = re.compile(r"^[A-Za-z]{2,8}-\d{4}-\d{1,6}$")
SORTS = {
    "reference": "reference",
    "-reference": "-reference",
    "name": "full_name",
    "-name": "-full_name",
    "birth_date": "birth_date",
    "-birth_date": "-birth_date",
    "created": "created_at",
    "-created": "-created_at",
}


class PersonFilter(Schema):
    q: str = Field("", max_length=100)
    status: Status | None = None
    route: Route | None = None
    sex: Sex | None = None
    region: str = Field("", max_length=13, pattern=r"^[0-9.]*$")
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    officer: int | None = Field(None, ge=1, le=2**63 - 1)
    skill: str = Field("", max_length=6, pattern=r"^\d*$", description="occupation code prefix")
    language: str = Field("", max_length=3, pattern=r"^[a-z]*$", description="ISO 639 code")
    sort: str = Field("-created", pattern="^(" + "|".join(re.escape(k) for k in SORTS) + ")$")


def _birth_date_bounds(age_min: int | None, age_max: int | None, today: date):
    def years_ago(n: int) -> date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:  # 29 February
            return today.replace(year=today.year - n, day=28)

    bounds = {}
    if age_min is not None:
        bounds["birth_date__lte"] = years_ago(age_min)
    if age_max is not None:
        bounds["birth_date__gt"] = years_ago(age_max + 1)
    return bounds


def filter_people(qs: QuerySet[Person], params: dict) -> QuerySet[Person]:
    from garda.people.services import nik_index

    q = (params.get("q") or "").strip()
    if q:
        compact = q.replace(" ", "")
        if _NIK.match(compact):
            qs = qs.filter(nik_index=nik_index(compact))
        elif _REFERENCE.match(q):
            qs = qs.filter(reference__iexact=q)
        elif (phone := _as_phone(q)) is not None:
            qs = qs.filter(phone=phone)
        else:
            qs = filter_by_name(qs, q)
    for name in ("status", "route", "sex"):
        if params.get(name):
            qs = qs.filter(**{name: params[name]})
    if params.get("region"):
        # village__code is the foreign key's own column: no join.
        qs = qs.filter(village__code__startswith=params["region"])
    if params.get("skill"):
        qs = qs.filter(
            pk__in=Skill.objects.filter(occupation_code__startswith=params["skill"]).values(
                "person_id"
            )
        )
    if params.get("language"):
        qs = qs.filter(
            pk__in=LanguageSkill.objects.filter(language=params["language"]).values("person_id")
        )
    if params.get("officer"):
        qs = qs.filter(assignments__officer_id=params["officer"])
    qs = qs.filter(
        **_birth_date_bounds(params.get("age_min"), params.get("age_max"), timezone.localdate())
    )
    return qs.order_by(SORTS.get(params.get("sort") or "-created", "-created_at"), "-id")


def _as_phone(text: str) -> str | None:
    if not re.fullmatch(r"[+0-9 ()-]{8,20}", text):
        return None
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
