"""Seed the document types: every database, the tests' included, has them. Upsert by
code, so running it again changes nothing. Frozen: the data is this migration's own
copy, migrations/data/0002_document_types.toml (see its header for the sources), read
by its own loader, so that editing the live data (garda/documents/data) or
garda/documents/seed.py never changes history."""

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


def seed(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for row in _load("0002_document_types.toml")["document_types"]:
        values = {k: v for k, v in row.items() if k != "code"}
        DocumentType.objects.update_or_create(code=row["code"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
