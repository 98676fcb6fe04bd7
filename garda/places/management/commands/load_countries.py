"""`garda load_countries`: upsert ISO 3166-1 countries with Indonesian names."""

import time

from django.core.management.base import BaseCommand

from garda.places.services import countries_load


class Command(BaseCommand):
    help = (
        "Load ISO 3166-1 countries from pycountry, with Indonesian names from its "
        "translations. Idempotent: inserts new countries, updates changed ones."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        result = countries_load()
        elapsed = time.perf_counter() - start
        self.stdout.write(
            f"Countries: {result.total} known, {result.inserted} inserted, "
            f"{result.updated} updated, {result.unchanged} unchanged in {elapsed:.1f} s"
        )
