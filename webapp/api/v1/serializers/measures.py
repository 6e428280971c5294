"""Joint punishment measures as an implementing department sees and answers them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from webapp.api.v1.serializers.common import DepartmentRefSerializer
from webapp.api.v1.serializers.lists import PublicSubjectSerializer
from workflows.credit.models import MeasureApplication


class MeasureApplicationSerializer(serializers.ModelSerializer[MeasureApplication]):
    measure = serializers.CharField(source="measure.code")
    measure_name = serializers.CharField(source="measure.name")
    measure_kind = serializers.CharField(source="measure.kind")
    list_entry = serializers.IntegerField(source="list_entry_id")
    list_type = serializers.CharField(source="list_entry.list_type")
    list_decision_number = serializers.CharField(source="list_entry.decision_number")
    subject = PublicSubjectSerializer(source="list_entry.subject")
    implementing_department = DepartmentRefSerializer()

    class Meta:
        model = MeasureApplication
        fields = [
            "id",
            "measure",
            "measure_name",
            "measure_kind",
            "list_entry",
            "list_type",
            "list_decision_number",
            "subject",
            "implementing_department",
            "status",
            "reason",
            "decided_at",
            "lifted_at",
            "created_at",
        ]
        read_only_fields = fields


class MeasureAnswerSerializer(serializers.Serializer[Any]):
    measure = serializers.CharField(max_length=64, help_text="Measure code.")
    applied = serializers.BooleanField()
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Why the measure is not applied (required then).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs["applied"] and not attrs.get("reason", "").strip():
            raise serializers.ValidationError(
                {"reason": [_("Say why the measure is not applied.")]}
            )
        return attrs


class MeasureReportSerializer(serializers.Serializer[Any]):
    list_entry = serializers.IntegerField(min_value=1)
    department = serializers.CharField(
        max_length=16,
        required=False,
        help_text="My implementing department (needed if I work in several).",
    )
    answers = MeasureAnswerSerializer(
        many=True,
        allow_empty=False,
        max_length=200,  # type: ignore[call-arg]
    )
