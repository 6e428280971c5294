"""Human tasks: the inbox rows, one task with its form, and the actions' inputs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workflows.models import HumanTask

TASK_FIELDS = [
    "id",
    "name",
    "element_id",
    "process_id",
    "case_number",
    "case_type",
    "subject_name",
    "subject_code",
    "department_code",
    "status",
    "candidate_group",
    "assignee",
    "owner",
    "delegation",
    "priority",
    "due_at",
    "created_at",
    "claimed_at",
    "completed_at",
    "completed_by",
]


def _username(source: str) -> serializers.CharField:
    return serializers.CharField(
        source=f"{source}.username", read_only=True, allow_null=True, default=None
    )


class TaskSerializer(serializers.ModelSerializer[HumanTask]):
    candidate_group = serializers.CharField(
        source="candidate_group.name", read_only=True, allow_null=True, default=None
    )
    assignee = _username("assignee")
    owner = _username("owner")
    completed_by = _username("completed_by")

    class Meta:
        model = HumanTask
        fields = TASK_FIELDS
        read_only_fields = fields


class TaskDetailSerializer(TaskSerializer):
    """A task with what completing it takes: its JSON Schema form and my draft."""

    form = serializers.SerializerMethodField(
        help_text="JSON Schema the `data` of complete must satisfy (null: none)."
    )
    draft = serializers.JSONField(read_only=True, allow_null=True)
    outcome = serializers.JSONField(read_only=True, allow_null=True)
    instructions = serializers.CharField(read_only=True)
    excluded_usernames = serializers.ListField(
        child=serializers.CharField(), read_only=True
    )

    class Meta(TaskSerializer.Meta):
        fields = [
            *TASK_FIELDS,
            "form_key",
            "instructions",
            "form",
            "draft",
            "outcome",
            "excluded_usernames",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "nullable": True})
    def get_form(self, task: HumanTask) -> Any:
        return self.context.get("form")


class TaskDataSerializer(serializers.Serializer[Any]):
    # The metaclass moves declared fields away: Serializer.data stays intact.
    data = serializers.DictField(  # type: ignore[assignment]
        required=False,
        default=dict,
        help_text="Form fields, checked against the task's form.",
    )


class TaskToUserSerializer(serializers.Serializer[Any]):
    to_user = serializers.CharField(max_length=150, help_text="Username.")
