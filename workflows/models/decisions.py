from __future__ import annotations

from django.conf import settings
from django.db import models


class DecisionDefinition(models.Model):
    """One deployed version of a DMN decision table (a policy)."""

    decision_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    source = models.TextField()
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    deployed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision_id", "version"], name="decision_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} v{self.version}"
