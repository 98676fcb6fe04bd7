"""Reference data: the 20 destinations, 9 schemes, their sector rules (the Middle
East moratorium of Kepmenaker 260/2015 among them) and the first version of each
requirement set. The data lives in garda/destinations/seed.py; see its docstring for
the sources. Idempotent, so re-running on a database that has some rows is safe."""

from django.db import migrations


def forwards(apps, schema_editor):
    from garda.destinations import seed

    seed.apply(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("destinations", "0002_initial"),
        ("documents", "0002_seed_document_types"),
        ("places", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
