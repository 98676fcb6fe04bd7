"""The `recruiter` role (staff of a licensed placement company, garda/jobs) and the
administrators' read access to the job app's registers in the admin screen
(roles.py); frozen here like 0002."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADDED = {
    "recruiter": ("places.view_region", "places.view_country"),
    "admin": (
        "jobs.view_placementagency",
        "jobs.view_employer",
        "jobs.view_foreignpartner",
        "jobs.view_problemlisting",
        "jobs.view_joborder",
    ),
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ADDED.items():
        group, _ = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ADDED.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
    Group.objects.filter(name="recruiter", user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_training_permissions"),
        ("jobs", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
