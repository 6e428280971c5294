"""Audit events (auditors), process definitions (process administrators)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from audit.models import AuditEvent
from workflows.models import ProcessDefinition


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    actor = serializers.CharField(source="actor_label")
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    detail = serializers.JSONField()

    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "occurred_at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "case_number",
            "department_code",
            "process_instance_id",
            "before",
            "after",
            "detail",
            "request_id",
            "ip",
            "via",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class DefinitionSerializer(serializers.ModelSerializer[ProcessDefinition]):
    deployed_by = serializers.CharField(
        source="deployed_by.username", allow_null=True, default=None
    )
    message_starts = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ProcessDefinition
        fields = [
            "id",
            "process_id",
            "name",
            "version",
            "sha256",
            "dialect",
            "file_name",
            "plain_start",
            "message_starts",
            "deployed_by",
            "deployed_at",
        ]
        read_only_fields = fields


class DeployRequestSerializer(serializers.Serializer[Any]):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False),
        allow_empty=False,
        max_length=100,
        help_text=".bpmn, .dmn and forms/*.json files (plain names).",
    )
    create_groups = serializers.BooleanField(default=False)


class DeployedVersionSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    version = serializers.IntegerField()
    created = serializers.BooleanField()


class DeployResultSerializer(serializers.Serializer[Any]):
    processes = DeployedVersionSerializer(many=True)
    decisions = DeployedVersionSerializer(many=True)
    created_groups = serializers.ListField(child=serializers.CharField())
