"""Reference data: the 20 destinations, 9 schemes, their sector rules (the Middle
East moratorium of Kepmenaker 260/2015 among them) and the first version of each
requirement set. Frozen: the data is this migration's own copy in
migrations/data/0003_*.toml (see their headers for the sources), read by its own
loader and written by its own code, so that editing the live data
(garda/destinations/data) or garda/destinations/seed.py never changes history.
Idempotent, so re-running on a database that has some rows is safe."""

import copy
import tomllib
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    """A frozen data file, with its `[defaults.NAME]` and `[nullable]` tables applied
    to the rows of the arrays called NAME (garda.refdata.load as it was)."""
    with open(DATA / name, "rb") as fh:
        data = tomllib.load(fh)
    defaults = data.pop("defaults", {})
    nullable = data.pop("nullable", {})

    def fill(table):
        for key, value in table.items():
            if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
                continue
            for row in value:
                for field, default in defaults.get(key, {}).items():
                    row.setdefault(field, copy.deepcopy(default))
                for field in nullable.get(key, ()):
                    row.setdefault(field, None)
                fill(row)

    fill(data)
    return data


def forwards(apps, schema_editor):
    DESTINATIONS = _load("0003_destinations.toml")["destinations"]
    SCHEMES = _load("0003_schemes.toml")["schemes"]
    SECTOR_RULES = _load("0003_sector_rules.toml")["sector_rules"]
    REQUIREMENT_SETS = _load("0003_requirement_sets.toml")["requirement_sets"]

    Destination = apps.get_model("destinations", "Destination")
    Scheme = apps.get_model("destinations", "Scheme")
    DestinationScheme = apps.get_model("destinations", "DestinationScheme")
    SectorRule = apps.get_model("destinations", "SectorRule")
    RequirementSet = apps.get_model("destinations", "RequirementSet")
    Requirement = apps.get_model("destinations", "Requirement")
    DocumentType = apps.get_model("documents", "DocumentType")
    Country = apps.get_model("places", "Country")
    countries = set(Country.objects.values_list("code", flat=True))

    destinations = {}
    for row in DESTINATIONS:
        values = {k: v for k, v in row.items() if k not in ("code", "schemes")}
        values["country_id"] = row["code"] if row["code"] in countries else None
        obj = Destination.objects.filter(code=row["code"]).first()
        if obj is None:
            obj = Destination.objects.create(code=row["code"], **values)
        elif obj.country_id is None and values["country_id"]:
            Destination.objects.filter(pk=obj.pk).update(country_id=values["country_id"])
        destinations[row["code"]] = obj

    schemes = {}
    for row in SCHEMES:
        values = {k: v for k, v in row.items() if k != "code"}
        schemes[row["code"]], _ = Scheme.objects.get_or_create(code=row["code"], defaults=values)

    for destination in DESTINATIONS:
        for row in destination["schemes"]:
            DestinationScheme.objects.get_or_create(
                destination=destinations[destination["code"]],
                scheme=schemes[row["scheme"]],
                defaults={
                    "sectors": list(row["sectors"]),
                    "language_tests": row["language_tests"],
                    "notes": row["notes"],
                },
            )

    for row in SECTOR_RULES:
        destination = destinations[row["destination"]]
        exists = SectorRule.objects.filter(
            destination=destination,
            sector=row["sector"],
            occupation=row["occupation"],
            effective_from=row["effective_from"],
        ).exists()
        if not exists:
            SectorRule.objects.create(
                destination=destination,
                sector=row["sector"],
                occupation=row["occupation"],
                status=row["status"],
                legal_basis=row["legal_basis"],
                effective_from=row["effective_from"],
                note=row["note"],
            )

    codes = {r["type"] for s in REQUIREMENT_SETS for r in s["requirements"]}
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes)}
    missing = sorted(codes - types.keys())
    if missing:
        raise RuntimeError(
            f"Document types missing for the requirement sets: {', '.join(missing)}. "
            "The documents app's seed migration must run first."
        )
    for row in REQUIREMENT_SETS:
        if RequirementSet.objects.filter(code=row["code"]).exists():
            continue
        rs = RequirementSet.objects.create(
            code=row["code"],
            version=1,
            is_current=True,
            name=row["name"],
            name_en=row["name_en"],
            destination=destinations[row["destination"]] if row["destination"] else None,
            scheme=schemes[row["scheme"]],
            sector=row["sector"],
            min_age=row["min_age"],
            max_age=row["max_age"],
            min_education=row["min_education"],
            conditions=row["conditions"],
            legal_basis=row["legal_basis"],
            note=row["note"],
            effective_from=row["effective_from"],
        )
        Requirement.objects.bulk_create(
            Requirement(
                requirement_set=rs,
                order=(i + 1) * 10,
                document_type=types[req["type"]],
                min_level=req["min_level"],
                note=req["note"],
            )
            for i, req in enumerate(row["requirements"])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("destinations", "0002_initial"),
        ("documents", "0002_seed_document_types"),
        ("places", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
