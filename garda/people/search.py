"""Finding people: one search box plus filters, shared by the page and the API.

`q` is read as, in order: a NIK (16 digits: exact, through the blind index), a
reference number (PMI-2026-000042), a phone number (normalised to E.164), else a name
(every word must appear in the full or other names, in any order, allowing typos
and old spellings: see names.py).
"""

import re
from collections.abc import Sequence
from datetime import date

import phonenumbers
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, Schema

from garda import pagination
from garda.people.models import LanguageSkill, Person, Route, Sex, Skill, Status
from garda.people.names import filter_by_name, rank_by_name
from garda.places.models import Region

_NIK = re.compile(r"^\d{16}$")
_REFERENCE = re.compile(r"^[A-Za-z]{2,8}-\d{4}-\d{1,6}$")
SORTS = {
    "reference": "reference",
    "-reference": "-reference",
    "name": "full_name",
    "-name": "-full_name",
    "birth_date": "birth_date",
    "-birth_date": "-birth_date",
    # Ids grow with the registration time: "newest first" by the primary key, which
    # every index ends with, so no filter's index needs a sort to page.
    "created": "id",
    "-created": "-id",
}


class PersonFilter(Schema):
    q: str = Field("", max_length=100)
    status: Status | None = None
    route: Route | None = None
    sex: Sex | None = None
    region: str = Field("", max_length=13, pattern=r"^[0-9.]*$")
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    officer: int | None = Field(None, ge=1, le=2**63 - 1)
    skill: str = Field("", max_length=6, pattern=r"^\d*$", description="occupation code prefix")
    language: str = Field("", max_length=3, pattern=r"^[a-z]*$", description="ISO 639 code")
    sort: str = Field(
        "",
        pattern="^(" + "|".join(re.escape(k) for k in SORTS) + ")?$",
        description="empty: best match first for a name search, else newest first",
    )


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


class RankedPeople(Sequence):
    """Persons in a computed order (a ranked name search), sliced a page at a time:
    Django's Paginator and ninja's pagination take it like a queryset. `rest`, when
    the ranking covered only part of the matches (a common name: names.NameRanking),
    follows the ranked ids in its own order (newest first)."""

    def __init__(self, qs: QuerySet[Person], ids: list[int], rest: QuerySet[Person] | None = None):
        self.qs, self.ids, self.rest = qs, ids, rest

    @property
    def ranked_only(self) -> int | None:
        """How many persons were ranked, when not all of the matches were."""
        return len(self.ids) if self.rest is not None else None

    @cached_property
    def _length(self) -> int:
        if self.rest is None:
            return len(self.ids)
        # At most one past the cap: pagination.capped_count then says "more than".
        return len(self.ids) + self.rest[: pagination.COUNT_CAP + 1].count()

    def __len__(self) -> int:
        return self._length

    def count(self) -> int:
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        ids = self.ids[start:stop]
        found = self.qs.in_bulk(ids)
        page = [found[i] for i in ids if i in found]
        if self.rest is not None and stop > len(self.ids):
            page += self.rest[max(0, start - len(self.ids)) : stop - len(self.ids)]
        return page


def search_people(qs: QuerySet[Person], params: dict) -> "QuerySet[Person] | RankedPeople":
    """filter_people for a list to read: a name search without an explicit sort comes
    best match first (names.rank_by_name), after the other filters have narrowed it."""
    q = (params.get("q") or "").strip()
    if params.get("sort") or not q or _kind(q) != "name":
        return filter_people(qs, params)
    ranking = rank_by_name(filter_people(qs, {**params, "q": ""}), q)
    return RankedPeople(qs.order_by(), ranking.ranked, ranking.rest)


def list_notice(people, count: int, capped: bool) -> str:
    """The sentence that says a list is cut, if it is (the page and the API): the
    count stopped at the cap, or a common name ranked only in part."""
    ranked = getattr(people, "ranked_only", None)
    if ranked is not None:
        return ngettext(
            "A common name: only the %(ranked)s best matching person is ranked by name; "
            "the other matches follow, newest first. Add the birth year or the area to "
            "narrow the list.",
            "A common name: only the %(ranked)s best matching persons are ranked by name; "
            "the other matches follow, newest first. Add the birth year or the area to "
            "narrow the list.",
            ranked,
        ) % {"ranked": number_format(ranked, force_grouping=True)}
    if capped:
        return _(
            "Only the first %(count)s persons are counted: add filters to narrow the list."
        ) % {"count": number_format(count, force_grouping=True)}
    return ""


def identity_query(q: str | None) -> str | None:
    """The NIK that `q` is (spaces removed), or None when it is no identity number:
    such a search is a look-up of a specific person (services/lookups.py)."""
    q = (q or "").strip()
    return q.replace(" ", "") if q and _kind(q) == "nik" else None


def _kind(q: str) -> str:
    if _NIK.match(q.replace(" ", "")):
        return "nik"
    if _REFERENCE.match(q):
        return "reference"
    if _as_phone(q) is not None:
        return "phone"
    return "name"


def filter_people(qs: QuerySet[Person], params: dict) -> QuerySet[Person]:
    from garda.people.services.registry import nik_index

    q = (params.get("q") or "").strip()
    if q:
        kind = _kind(q)
        if kind == "nik":
            qs = qs.filter(nik_index=nik_index(q.replace(" ", "")))
        elif kind == "reference":
            qs = qs.filter(reference__iexact=q)
        elif kind == "phone":
            qs = qs.filter(phone=_as_phone(q))
        else:
            qs = filter_by_name(qs, q)
    for name in ("status", "route", "sex"):
        if params.get(name):
            qs = qs.filter(**{name: params[name]})
    if params.get("region"):
        qs = _in_region(qs, params["region"])
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
    if params.get("birth_year"):
        year = params["birth_year"]
        qs = qs.filter(birth_date__gte=date(year, 1, 1), birth_date__lt=date(year + 1, 1, 1))
    order = SORTS.get(params.get("sort") or "-created", "-id")
    return qs.order_by(order) if order.lstrip("-") == "id" else qs.order_by(order, "-id")


def _in_region(qs: QuerySet[Person], code: str) -> QuerySet[Person]:
    """Persons whose village lies under `code`. A whole regency, district or village
    code reads its own index in id order (a page costs the same at any registry
    size); DKI Jakarta is the domicile flag; any other prefix goes through the
    villages it covers."""
    if len(code) == 13:
        return qs.filter(village_id=code)
    if len(code) == 8 and code.count(".") == 2:
        return qs.filter(district_code=code)
    if len(code) == 5 and code.count(".") == 1:
        return qs.filter(regency_code=code)
    if code == "31":
        return qs.filter(domicile_jakarta=True)
    return qs.filter(
        village__in=Region.objects.filter(code__startswith=code, level=Region.Level.VILLAGE).values(
            "code"
        )
    )


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
