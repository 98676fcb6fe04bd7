"""Writes to the reference tables: regions from the Kemendagri CSV, countries from ISO 3166.

Both loads are idempotent upserts: rows are compared with what the table holds, and
only new or changed rows are written (bulk_create with update_conflicts, which is
INSERT ... ON CONFLICT on SQLite and PostgreSQL alike). Nothing is deleted: a region
code missing from a file stays, because retired codes must remain resolvable for old
NIKs, and People rows may point at it.
"""

import gettext
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycountry
from django.db import transaction

from garda.places.codes import CSV_PATH, RegionCode, read_regions
from garda.places.models import Country, Region

BATCH_SIZE = 2000
REGION_FIELDS = ["name", "level", "parent", "is_current", "first_edition", "last_edition"]
# Compared and assigned by raw value: parent_id is the parent's dotted code.
REGION_ATTNAMES = ["name", "level", "parent_id", "is_current", "first_edition", "last_edition"]
COUNTRY_FIELDS = ["alpha3", "numeric", "name_id", "name_en"]


@dataclass(frozen=True, slots=True)
class LoadResult:
    inserted: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def regions_load(*, path: str | Path = CSV_PATH) -> LoadResult:
    """Upsert every row of a region CSV into Region, in one transaction.

    Raises garda.places.codes.RegionFileError (a ValueError) before writing anything
    if the file is malformed or lists a code twice.
    """
    rows: dict[str, RegionCode] = {}
    for region in read_regions(path):
        if region.code in rows:
            raise ValueError(f"{path}: code {region.code} appears twice")
        rows[region.code] = region
    return _regions_upsert(rows.values())


def _regions_upsert(rows: Iterable[RegionCode]) -> LoadResult:
    return _sync(
        Region,
        REGION_FIELDS,
        REGION_ATTNAMES,
        (
            (
                row.code,
                (
                    row.name,
                    row.level,
                    row.parent_code,
                    row.is_current,
                    row.first_edition,
                    row.last_edition,
                ),
            )
            for row in rows
        ),
    )


# Names as Indonesian government documents write them, where the iso-codes catalogue
# differs: "Tiongkok" (Keppres 12/2014 replaced "Cina"); Taiwan and Hong Kong as
# placement destinations are named plainly in BP2MI/KP2MI documents.
NAME_ID_OVERRIDES = {"CN": "Tiongkok", "TW": "Taiwan", "HK": "Hong Kong", "MO": "Makau"}


def countries_load() -> LoadResult:
    """Upsert all ISO 3166-1 countries that pycountry knows, with Indonesian names.

    The Indonesian name comes from pycountry's own iso-codes translations (domain
    iso3166-1, language id); where that catalogue has no entry the English name is
    kept, which for most such countries is also the Indonesian spelling (Angola).
    """
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True
    )
    return _sync(
        Country,
        COUNTRY_FIELDS,
        COUNTRY_FIELDS,
        (
            (
                country.alpha_2,
                (
                    country.alpha_3,
                    country.numeric,
                    NAME_ID_OVERRIDES.get(country.alpha_2) or translation.gettext(country.name),
                    getattr(country, "common_name", None) or country.name,
                ),
            )
            for country in pycountry.countries
        ),
    )


def _sync(model, fields: list[str], attnames: list[str], rows: Iterable[tuple]) -> LoadResult:
    """Compare (code, values) rows with the table and upsert the new or changed ones,
    in one transaction. `attnames` are the raw attributes the values are in."""
    with transaction.atomic():
        existing = {
            values[0]: values[1:] for values in model.objects.values_list("code", *attnames)
        }
        to_write = []
        inserted = unchanged = 0
        for code, values in rows:
            old = existing.get(code)
            if old == values:
                unchanged += 1
                continue
            if old is None:
                inserted += 1
            to_write.append(model(code=code, **dict(zip(attnames, values, strict=True))))
        _upsert(model, to_write, fields)
    return LoadResult(inserted=inserted, updated=len(to_write) - inserted, unchanged=unchanged)


def _upsert(model, objs: list, fields: list[str]) -> None:
    if objs:
        model.objects.bulk_create(
            objs,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],  # the primary key of both tables
            update_fields=fields,
        )
