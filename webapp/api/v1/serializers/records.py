"""Credit records, their corrections, and the repair pre-check."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from webapp.api.v1.serializers.common import DepartmentRefSerializer, SubjectSerializer
from workflows.credit.models import CreditRecord, RecordCorrection

RECORD_FIELDS = [
    "id",
    "subject",
    "source_department",
    "category",
    "scale",
    "grade",
    "regime",
    "jurisdiction",
    "decision_number",
    "decision_date",
    "published_at",
    "earliest_repair_date",
    "publication_end_date",
    "status",
    "repair_count",
]


class CreditRecordSerializer(serializers.ModelSerializer[CreditRecord]):
    subject = SubjectSerializer(read_only=True)
    source_department = DepartmentRefSerializer(read_only=True)

    class Meta:
        model = CreditRecord
        fields = RECORD_FIELDS
        read_only_fields = fields


class CorrectionSerializer(serializers.ModelSerializer[RecordCorrection]):
    """One change of a record, values before and after (who: the case, not a name)."""

    case = serializers.CharField(source="case.number", read_only=True, allow_null=True)
    before = serializers.DictField(read_only=True)
    after = serializers.DictField(read_only=True)

    class Meta:
        model = RecordCorrection
        fields = ["id", "case", "before", "after", "reason", "changed_at"]
        read_only_fields = fields


class CreditRecordDetailSerializer(CreditRecordSerializer):
    content = serializers.DictField(read_only=True)
    corrections = CorrectionSerializer(many=True, read_only=True)

    class Meta(CreditRecordSerializer.Meta):
        fields = [*RECORD_FIELDS, "content", "corrections"]
        read_only_fields = fields


class EligibilitySerializer(serializers.Serializer[Any]):
    """The repair pre-check: may this record be repaired now, and if not, why."""

    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    eligible_from = serializers.DateField(allow_null=True)
    policy_refs = serializers.ListField(child=serializers.CharField())
    requires_commitment = serializers.BooleanField(
        source="rules.requires_commitment", default=False
    )
