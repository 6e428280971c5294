from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class Incident(models.Model):
    """A step that failed and was rolled back; retrying runs the same operation."""

    class Status(models.TextChoices):
        OPEN = "open", "未处理 Open"
        RESOLVED = "resolved", "已解决 Resolved"

    instance = models.ForeignKey(
        "workflows.ProcessInstance", on_delete=models.PROTECT, related_name="incidents"
    )
    # What failed, as data the retry replays: {"kind": "complete", "task": ..., ...}
    operation = models.JSONField(encoder=DjangoJSONEncoder)
    element_id = models.CharField(max_length=255, blank=True)
    message = models.TextField()
    traceback_id = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default="open")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attempts = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]
        permissions = [("retry_incident", "Can retry incidents")]

    def __str__(self) -> str:
        return f"incident {self.pk} on {self.instance_id}"
