"""Create the role groups with their standing permissions."""

from django.db import migrations

from workflows.role_setup import apply_roles


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("audit", "0002_append_only_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
