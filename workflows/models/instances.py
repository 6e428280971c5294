from __future__ import annotations

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class ProcessInstanceQuerySet(models.QuerySet["ProcessInstance"]):
    def active(self) -> ProcessInstanceQuerySet:
        return self.filter(status__in=ProcessInstance.ACTIVE_STATUSES)


class ProcessInstance(models.Model):
    """A running (or finished) process: its saved engine state without the spec."""

    class Status(models.TextChoices):
        RUNNING = "running", "运行中 Running"
        COMPLETED = "completed", "已完成 Completed"
        SUSPENDED = "suspended", "已挂起 Suspended"
        TERMINATED = "terminated", "已终止 Terminated"
        ERROR = "error", "有故障 Error"

    ACTIVE_STATUSES = (Status.RUNNING, Status.SUSPENDED, Status.ERROR)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    definition = models.ForeignKey(
        "workflows.ProcessDefinition",
        on_delete=models.PROTECT,
        related_name="instances",
    )
    process_id = models.CharField(max_length=255)
    business_key = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    state = models.TextField()
    state_format = models.CharField(max_length=64)
    next_timer_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # What the instance waits for (timers with due times, messages), as of its last
    # step; EventSubscription rows mirror it for queries.
    waiting = models.JSONField(encoder=DjangoJSONEncoder, default=list, blank=True)
    # Case fields copied onto every human task so the inbox filters without joins.
    labels = models.JSONField(encoder=DjangoJSONEncoder, default=dict, blank=True)
    result = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ProcessInstanceQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["process_id", "status"])]
        permissions = [
            ("start_process", "Can start processes"),
            ("manage_instance", "Can suspend, resume and terminate instances"),
            ("deliver_message", "Can deliver messages from outside"),
        ]

    def __str__(self) -> str:
        return f"{self.process_id} {self.business_key}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
