"""Re-apply the roles: attachments, departments and full identifiers."""

from django.db import migrations

from workflows.role_setup import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0004_roles_calendar"),
        ("credit", "0001_initial"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
