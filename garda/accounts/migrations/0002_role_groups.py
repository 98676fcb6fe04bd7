"""Create one group per role with exactly the permissions listed in accounts/roles.py.

The role table is frozen here as it stood when the migration was written, so that
later edits to roles.py come with their own migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "admin": (
        "accounts.view_user", "accounts.add_user", "accounts.change_user",
        "accounts.view_agency", "accounts.add_agency", "accounts.change_agency",
        "accounts.view_apitoken", "accounts.delete_apitoken",
        "audit.view_auditevent", "audit.view_all_auditevents",
        "places.view_region", "places.view_country",
    ),
    "supervisor": (
        "accounts.view_user", "accounts.view_agency", "audit.view_auditevent",
        "places.view_region", "places.view_country",
    ),
    "officer": ("accounts.view_agency", "places.view_region", "places.view_country"),
    "trainer": ("accounts.view_agency", "places.view_region", "places.view_country"),
    "partner": ("accounts.view_agency", "places.view_region", "places.view_country"),
    "worker": ("places.view_region", "places.view_country"),
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(wanted)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("places", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
