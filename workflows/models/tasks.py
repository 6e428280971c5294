from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class HumanTaskQuerySet(models.QuerySet["HumanTask"]):
    def open(self) -> HumanTaskQuerySet:
        return self.filter(status__in=HumanTask.OPEN_STATUSES)


class HumanTask(models.Model):
    """Inbox projection of a READY manual task; closed rows stay as history."""

    class Status(models.TextChoices):
        OPEN = "open", "待认领 Open"
        CLAIMED = "claimed", "已认领 Claimed"
        COMPLETED = "completed", "已完成 Completed"
        CANCELLED = "cancelled", "已取消 Cancelled"

    class Delegation(models.TextChoices):
        NONE = "", "—"
        PENDING = "pending", "委派中 Delegated"
        RESOLVED = "resolved", "已交回 Resolved"

    OPEN_STATUSES = (Status.OPEN, Status.CLAIMED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    instance = models.ForeignKey(
        "workflows.ProcessInstance", on_delete=models.PROTECT, related_name="tasks"
    )
    spiff_task_id = models.UUIDField()
    element_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    process_id = models.CharField(max_length=255)
    task_type = models.CharField(max_length=64)
    lane = models.CharField(max_length=255, blank=True)
    loop_index = models.IntegerField(null=True, blank=True)
    candidate_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tasks",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delegation = models.CharField(
        max_length=16, choices=Delegation.choices, default="", blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    priority = models.PositiveSmallIntegerField(default=50)
    due_at = models.DateTimeField(null=True, blank=True)
    form_key = models.CharField(max_length=255, blank=True)
    ui_form_key = models.CharField(max_length=255, blank=True)
    instructions = models.TextField(blank=True)
    draft = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    # Usernames who may not claim or complete this task (separation of duties:
    # whoever proposed or prepared a decision does not approve it).
    excluded_usernames = models.JSONField(default=list, blank=True)
    # Denormalised case fields (from the instance labels) for inbox filters.
    case_number = models.CharField(max_length=64, db_index=True)
    case_type = models.CharField(max_length=32, blank=True)
    subject_name = models.CharField(max_length=255, blank=True)
    subject_code = models.CharField(max_length=32, blank=True)
    department_code = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)

    objects = HumanTaskQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "spiff_task_id"], name="human_task_spiff_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="claimed")
                | models.Q(assignee__isnull=False),
                name="human_task_claimed_has_assignee",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "candidate_group", "due_at"]),
            models.Index(fields=["status", "assignee", "due_at"]),
            # The inbox at scale (make bench-inbox): the done tab, and the unclaimed
            # queue counted and ordered per group (migration 0008).
            models.Index(
                fields=["completed_by", "status", "due_at"], name="human_task_done_due"
            ),
            models.Index(
                fields=["candidate_group", "due_at"],
                condition=models.Q(status="open", assignee__isnull=True),
                name="human_task_queue_due",
            ),
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status="open", assignee__isnull=True),
                name="human_task_queue_order",
            ),
        ]
        permissions = [
            ("reassign_task", "Can reassign tasks (section chief)"),
            # Object permissions only (granted per task by the runtime):
            ("claim_humantask", "Can claim this task from its group queue"),
            ("complete_humantask", "Can complete this task"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.case_number})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
