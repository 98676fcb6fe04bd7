"""Reference data for destinations, schemes, sector rules and requirement sets.

The data, with its sources, is in garda/destinations/data/*.toml (destinations.toml
and their schemes, schemes.toml, sector_rules.toml, requirement_sets.toml; format in
garda/refdata.py). `apply()` writes it to the database, for tests and `garda demo`;
migration 0003_seed_rules created the first rows from its own frozen copy. Where a
value is a placeholder because the public sources we hold do not settle it, the row's
`note` says so, and an administrator corrects it on the rules pages (a new version or
a new rule, never an overwrite).
"""

from pathlib import Path

from garda import refdata

DATA = Path(__file__).resolve().parent / "data"

DESTINATIONS: list[dict] = refdata.load(DATA / "destinations.toml")["destinations"]
SCHEMES: list[dict] = refdata.load(DATA / "schemes.toml")["schemes"]
_SECTOR_DATA = refdata.load(DATA / "sector_rules.toml")
MIDDLE_EAST: tuple[str, ...] = tuple(_SECTOR_DATA["middle_east"])  # Kepmenaker 260/2015
SECTOR_RULES: list[dict] = _SECTOR_DATA["sector_rules"]
REQUIREMENT_SETS: list[dict] = refdata.load(DATA / "requirement_sets.toml")["requirement_sets"]


class SeedError(Exception):
    """The seed refers to something the database lacks (e.g. a document type)."""


def apply(apps=None, *, overwrite: bool = False) -> dict[str, int]:
    """Upsert the reference data; return how many rows of each kind were created.

    `apps` is a migration's app registry (historical models) or None for the real
    models. Idempotent: rows are matched by their natural keys (destination and scheme
    codes, a rule's destination+sector+occupation+start, a set's code), and nothing an
    administrator changed is overwritten unless `overwrite` (destinations and schemes
    only: rules and requirement sets are history, never rewritten).
    """
    apps = refdata.registry(apps)
    Destination = apps.get_model("destinations", "Destination")
    Scheme = apps.get_model("destinations", "Scheme")
    DestinationScheme = apps.get_model("destinations", "DestinationScheme")
    SectorRule = apps.get_model("destinations", "SectorRule")
    RequirementSet = apps.get_model("destinations", "RequirementSet")
    Requirement = apps.get_model("destinations", "Requirement")
    DocumentType = apps.get_model("documents", "DocumentType")
    Country = apps.get_model("places", "Country")

    created = dict.fromkeys(
        ("destinations", "schemes", "destination_schemes", "sector_rules", "requirement_sets"),
        0,
    )
    countries = set(Country.objects.values_list("code", flat=True))

    destinations = {}
    for row in DESTINATIONS:
        values = {k: v for k, v in row.items() if k not in ("code", "schemes")}
        values["country_id"] = row["code"] if row["code"] in countries else None
        obj = Destination.objects.filter(code=row["code"]).first()
        if obj is None:
            obj = Destination.objects.create(code=row["code"], **values)
            created["destinations"] += 1
        elif overwrite:
            Destination.objects.filter(pk=obj.pk).update(**values)
        elif obj.country_id is None and values["country_id"]:
            # Countries are loaded after migrations (`garda load_countries`): link late.
            Destination.objects.filter(pk=obj.pk).update(country_id=values["country_id"])
        destinations[row["code"]] = obj

    schemes = {}
    for row in SCHEMES:
        values = {k: v for k, v in row.items() if k != "code"}
        obj, made = Scheme.objects.get_or_create(code=row["code"], defaults=values)
        if made:
            created["schemes"] += 1
        elif overwrite:
            Scheme.objects.filter(pk=obj.pk).update(**values)
        schemes[row["code"]] = obj

    for destination in DESTINATIONS:
        for row in destination["schemes"]:
            values = {
                "sectors": list(row["sectors"]),
                "language_tests": row["language_tests"],
                "notes": row["notes"],
            }
            obj, made = DestinationScheme.objects.get_or_create(
                destination=destinations[destination["code"]],
                scheme=schemes[row["scheme"]],
                defaults=values,
            )
            if made:
                created["destination_schemes"] += 1
            elif overwrite:
                DestinationScheme.objects.filter(pk=obj.pk).update(**values)

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
            created["sector_rules"] += 1

    codes = {r["type"] for s in REQUIREMENT_SETS for r in s["requirements"]}
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes)}
    missing = sorted(codes - types.keys())
    if missing:
        raise SeedError(
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
                alternative_group=req["alternative_group"],
            )
            for i, req in enumerate(row["requirements"])
        )
        created["requirement_sets"] += 1
    return created
