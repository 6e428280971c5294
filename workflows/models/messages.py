from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class EventSubscription(models.Model):
    """A timer or message an instance waits for; rebuilt after every step."""

    class Kind(models.TextChoices):
        TIMER = "timer", "Timer"
        MESSAGE = "message", "Message"

    instance = models.ForeignKey(
        "workflows.ProcessInstance",
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=255)
    element_id = models.CharField(max_length=255)
    due_at = models.DateTimeField(null=True, blank=True)
    correlations = models.JSONField(encoder=DjangoJSONEncoder, default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class UnroutedMessage(models.Model):
    """A message nobody waited for: kept and reported, never dropped."""

    class Status(models.TextChoices):
        PENDING = "pending", "未投递 Pending"
        DELIVERED = "delivered", "已投递 Delivered"

    name = models.CharField(max_length=255, db_index=True)
    business_key = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(encoder=DjangoJSONEncoder, null=True, blank=True)
    correlations = models.JSONField(encoder=DjangoJSONEncoder, default=dict, blank=True)
    source_instance = models.ForeignKey(
        "workflows.ProcessInstance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"message {self.name} ({self.status})"
