"""A first programme, so that plans can be made on a new install; administrators
rename it and add others in the admin screen."""

from django.db import migrations

NAME = "Program Reintegrasi Purna PMI Pemprov DKI Jakarta"


def add(apps, schema_editor):
    Programme = apps.get_model("reintegration", "Programme")
    Programme.objects.get_or_create(name=NAME)


def remove(apps, schema_editor):
    Programme = apps.get_model("reintegration", "Programme")
    Programme.objects.filter(name=NAME, plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reintegration", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
