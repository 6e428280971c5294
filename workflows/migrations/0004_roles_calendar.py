"""Re-apply the roles: the process administrator now maintains the calendar."""

from django.db import migrations

from workflows.role_setup import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0003_decision_definitions"),
        ("workdays", "0001_initial"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
