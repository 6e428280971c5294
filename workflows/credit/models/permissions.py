"""Object permissions on cases, credit records and list entries (guardian, direct FKs).

Direct foreign keys keep "what may this user see" one query: the selectors join
these tables with ``Exists`` on ``content_object``. The runtime grants the rows as
work moves (``workflows.access.grants``): a department that gets a task on a case
may view the case, the record it is about and the list entry it decides, from then
on. Attachments and documents have no rows of their own: they are visible exactly
when their case is.
"""

from __future__ import annotations

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from workflows.credit.models.cases import Case
from workflows.credit.models.lists import ListEntry
from workflows.credit.models.records import CreditRecord


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A permission one user holds on one case (e.g. a task's direct assignee)."""

    content_object = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """A permission a department's role group holds on one case."""

    content_object = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]


class CreditRecordUserObjectPermission(UserObjectPermissionBase):
    """A permission one user holds on one credit record."""

    content_object = models.ForeignKey(
        CreditRecord, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]


class CreditRecordGroupObjectPermission(GroupObjectPermissionBase):
    """A permission a department's role group holds on one credit record."""

    content_object = models.ForeignKey(
        CreditRecord, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]


class ListEntryUserObjectPermission(UserObjectPermissionBase):
    """A permission one user holds on one list entry."""

    content_object = models.ForeignKey(
        ListEntry, on_delete=models.CASCADE, related_name="user_grants"
    )

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]


class ListEntryGroupObjectPermission(GroupObjectPermissionBase):
    """A permission a department's role group holds on one list entry."""

    content_object = models.ForeignKey(
        ListEntry, on_delete=models.CASCADE, related_name="group_grants"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["content_object", "permission"])]
