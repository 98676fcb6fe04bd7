"""`garda load_training_providers`: the training providers of garda/training/data/
providers.csv, idempotent (matched by the agency's short name).

- A PPKD row links a Provider to the PPKD agency `garda load_agencies` created (one
  per Jakarta city); the command refuses to run until those agencies exist.
- An LPK row creates its agency (kind "training") through accounts.services.agency_save
  when missing, then its Provider with the licence number and accreditation.

The default file gives only what we know with confidence: the five PPKD with their
region codes and names. Street addresses are filled in only where known; phone
numbers and accreditation grades are blank on purpose (an administrator adds them in
the admin screen, audited). Licensed LPKs come from Disnakertransgi's register: load
them with `--file`. The four LPKs of data/demo_providers.csv are invented for the
demo (`garda demo` loads them); they are not real institutions.
"""

import csv
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from garda.accounts.models import Agency
from garda.accounts.services import agency_save
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.places.models import Region
from garda.training.models import Provider

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "providers.csv"
DEMO_FILE = DEFAULT_FILE.with_name("demo_providers.csv")
PROVIDER_FIELDS = (
    "kind",
    "region_id",
    "address",
    "phone",
    "email",
    "license_number",
    "accreditation",
    "accredited_until",
)


def _values(row: dict) -> dict:
    until = (row.get("accredited_until") or "").strip()
    return {
        "kind": row["kind"],
        "region_id": row["region"],
        "address": row.get("address", "").strip(),
        "phone": row.get("phone", "").strip(),
        "email": row.get("email", "").strip(),
        "license_number": row.get("license_number", "").strip(),
        "accreditation": row.get("accreditation", "").strip(),
        "accredited_until": date.fromisoformat(until) if until else None,
    }


def provider_save(*, provider: Provider, changed_fields: list[str]) -> Provider:
    """Validate and save a provider with its audit row (the system as actor)."""
    provider.full_clean()
    creating = provider.pk is None
    provider.save()
    audit_record(
        actor=None,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        target=provider,
        changed_fields=changed_fields,
    )
    return provider


def load_providers(file: Path = DEFAULT_FILE) -> dict[str, int]:
    """Create or update the providers of `file`; returns counts. Raises CommandError
    when the PPKD agencies or the regions are missing."""
    with file.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    regions = {row["region"] for row in rows}
    known = set(Region.objects.filter(code__in=regions).values_list("code", flat=True))
    missing_regions = regions - known
    if missing_regions:
        raise CommandError(
            f"Regions missing: {', '.join(sorted(missing_regions))}. "
            "Load them first: garda load_regions"
        )
    names = [row["short_name"] for row in rows if row["kind"] == Provider.Kind.PPKD]
    agencies = {a.short_name: a for a in Agency.objects.filter(short_name__in=names)}
    missing = [n for n in names if n not in agencies]
    if missing:
        raise CommandError(
            f"PPKD agencies missing: {', '.join(missing)}. Load them first: garda load_agencies"
        )
    counts = dict.fromkeys(("agencies", "created", "updated"), 0)
    with transaction.atomic():
        for row in rows:
            agency = agencies.get(row["short_name"]) or _lpk_agency(row, counts)
            values = _values(row)
            provider = Provider.objects.filter(agency=agency).first()
            if provider is None:
                provider_save(
                    provider=Provider(agency=agency, **values), changed_fields=list(values)
                )
                counts["created"] += 1
                continue
            changed = [f for f, v in values.items() if getattr(provider, f) != v]
            if changed:
                for f in changed:
                    setattr(provider, f, values[f])
                provider_save(provider=provider, changed_fields=changed)
                counts["updated"] += 1
    return counts


def _lpk_agency(row: dict, counts: dict[str, int]) -> Agency:
    agency = Agency.objects.filter(short_name=row["short_name"]).first()
    if agency is not None:
        return agency
    fields = {
        "name": row["name"],
        "kind": Agency.Kind.TRAINING,
        "region_id": row["region"],
        "address": row.get("address", "").strip(),
    }
    agency = Agency(short_name=row["short_name"], **fields)
    agency_save(actor=None, agency=agency, changed_fields=["short_name", *fields])
    counts["agencies"] += 1
    return agency


class Command(BaseCommand):
    help = (
        "Create or update the training providers (PPKD and licensed LPK) from a CSV file "
        "(idempotent; run garda load_agencies first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, file: Path, **options):
        counts = load_providers(file)
        self.stdout.write(
            f"Training providers: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['agencies']} LPK agencies created"
        )
