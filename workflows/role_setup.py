"""Apply the role table (workflows/roles.py) to groups; called by data migrations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.management import create_permissions


def apply_roles(apps: Any, schema_editor: Any) -> None:
    """Create every role group and set its permissions to exactly the table's."""
    from workflows.roles import ROLES

    # Permissions are normally created after migrate; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    # An earlier migration runs this with today's table, before later apps' models
    # exist; their permissions are granted by the migration that follows them.
    migrated = {model._meta.app_label for model in apps.get_models()}
    for name, (_zh, _en, perms) in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            if app_label not in migrated:
                continue
            wanted.append(
                permission_model.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
