from __future__ import annotations

from django.db import models


class ElementLog(models.Model):
    """A model element that completed in an instance, in order (for diagrams)."""

    instance = models.ForeignKey(
        "workflows.ProcessInstance", on_delete=models.CASCADE, related_name="history"
    )
    element_id = models.CharField(max_length=255)
    element_type = models.CharField(max_length=64)
    process_id = models.CharField(max_length=255)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["instance", "id"])]

    def __str__(self) -> str:
        return f"{self.element_id} ({self.element_type})"
