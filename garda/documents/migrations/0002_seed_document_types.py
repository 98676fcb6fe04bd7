"""Seed the document types (garda/documents/seed.py): every database, the tests'
included, has them. Upsert by code, so running it again changes nothing."""

from django.db import migrations


def seed(apps, schema_editor):
    from garda.documents.seed import seed_document_types

    seed_document_types(apps.get_model("documents", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
