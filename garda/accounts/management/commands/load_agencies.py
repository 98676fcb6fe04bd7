import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from garda.accounts.models import Agency
from garda.accounts.services import agency_save
from garda.places.models import Country, Region

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "agencies.csv"


class Command(BaseCommand):
    help = "Create or update the agencies Pasukan Putih works with (idempotent, by short name)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    @transaction.atomic
    def handle(self, *args, file: Path, **options):
        if not Region.objects.exists() or not Country.objects.exists():
            raise CommandError(
                "Load regions and countries first: garda load_regions; garda load_countries"
            )
        created = updated = 0
        with file.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                agency = Agency.objects.filter(short_name=row["short_name"]).first()
                fields = {
                    "name": row["name"],
                    "kind": row["kind"],
                    "region_id": row["region"] or None,
                    "country_id": row["country"] or None,
                }
                if agency is None:
                    agency = Agency(short_name=row["short_name"], **fields)
                    agency_save(actor=None, agency=agency, changed_fields=list(fields))
                    created += 1
                    continue
                changed = [f for f, v in fields.items() if getattr(agency, f) != v]
                if changed:
                    for f in changed:
                        setattr(agency, f, fields[f])
                    agency_save(actor=None, agency=agency, changed_fields=changed)
                    updated += 1
        self.stdout.write(f"Agencies: {created} created, {updated} updated")
