"""Grant existing tasks and cases what the runtime grants new ones."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def backfill(apps, schema_editor):
    from workflows.access.backfill import grants_backfill

    # Permissions are normally created after migrate; the grants need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grants_backfill(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0005_object_permissions"),
        ("workflows", "0007_task_object_permissions"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
