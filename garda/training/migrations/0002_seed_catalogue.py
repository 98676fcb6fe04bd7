"""Reference data: the SKKNI competency units and the course catalogue (welding,
hospitality, engineering, caregiving, construction, fishery and language courses).
The data lives in garda/training/seed.py; see its docstring for the sources and which
unit codes are confirmed. Created or updated by code; the reverse removes the seeded
rows that nothing refers to yet."""

from django.db import migrations


def forwards(apps, schema_editor):
    from garda.training import seed

    seed.apply(apps)


def backwards(apps, schema_editor):
    from garda.training import seed

    seed.unapply(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("documents", "0002_seed_document_types"),
        ("destinations", "0005_ssw_jlpt_alternative"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
