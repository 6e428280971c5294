from __future__ import annotations

from django.conf import settings
from django.db import models


class ProcessDefinitionQuerySet(models.QuerySet["ProcessDefinition"]):
    def latest_versions(self) -> ProcessDefinitionQuerySet:
        """Keep only the newest version of each process id."""
        newest = self.filter(process_id=models.OuterRef("process_id")).order_by(
            "-version"
        )
        return self.filter(pk=models.Subquery(newest.values("pk")[:1]))


class ProcessDefinition(models.Model):
    """One deployed version of an executable process, with the files it runs from."""

    class Dialect(models.TextChoices):
        SPIFF = "spiff", "SpiffWorkflow"
        CAMUNDA = "camunda", "Camunda"

    process_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    version = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    dialect = models.CharField(max_length=16, choices=Dialect.choices)
    file_name = models.CharField(max_length=255)
    # {file name: text} of the process's own file, the files of processes it calls,
    # and the DMN and JSON-schema form files deployed with it.
    sources = models.JSONField()
    message_starts = models.JSONField(default=list, blank=True)
    # False when every start event waits for a message: start by delivering it.
    plain_start = models.BooleanField(default=True)
    deployed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    deployed_at = models.DateTimeField(auto_now_add=True)

    objects = ProcessDefinitionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process_id", "version"], name="definition_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="definition_version_positive"
            ),
        ]
        indexes = [models.Index(fields=["process_id", "sha256"])]
        permissions = [("deploy_definition", "Can deploy BPMN/DMN models")]

    def __str__(self) -> str:
        return f"{self.process_id} v{self.version}"
