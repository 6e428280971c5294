"""Object permissions on inbox tasks, as django-guardian direct foreign keys.

Direct foreign keys (not guardian's generic tables) let "which tasks may this user
see" be one indexed join: ``Exists`` on these tables, correlated by ``content_object``.
The runtime grants and revokes the rows as work moves (``workflows.access.grants``).
"""

from __future__ import annotations

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from workflows.models.tasks import HumanTask


class HumanTaskUserObjectPermission(UserObjectPermissionBase):
    """A permission one user holds on one task (assignee, completer)."""

    content_object = models.ForeignKey(
        HumanTask, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]


class HumanTaskGroupObjectPermission(GroupObjectPermissionBase):
    """A permission a group holds on one task (candidate group, supervisors)."""

    content_object = models.ForeignKey(
        HumanTask, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]
