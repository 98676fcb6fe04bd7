"""garda reintegration_instrument FILE [--activate]: load a survey instrument (TOML or
JSON, the shape of data/instruments/rss-garda-1.toml) as a new version."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from garda.reintegration import scoring
from garda.reintegration.instruments import instrument_load, read_file


class Command(BaseCommand):
    help = (
        "Load a reintegration survey instrument (questions, answer codings, weights) from "
        "a TOML or JSON file as a new version; --activate makes new plans use it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--activate", action="store_true", help="new plans use this version from now on"
        )

    def handle(self, *args, file: Path, activate: bool, **options):
        try:
            instrument = instrument_load(actor=None, data=read_file(file), activate=activate)
        except scoring.InstrumentError as exc:
            raise CommandError(str(exc)) from None
        state = "active" if instrument.active else "loaded, not active (use --activate)"
        official = "official weights" if instrument.official else "weights NOT official"
        self.stdout.write(
            f"Instrument {instrument.code} {instrument.version}: {state}; {official}; "
            f"{len(instrument.definition['indicators'])} indicators"
        )
