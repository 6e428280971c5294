"""List entries: the public row of a published entry, and the staff detail."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webapp.api.v1.serializers.common import DepartmentRefSerializer, SubjectSerializer
from workflows.credit.models import ListEntry, MeasureApplication, Subject
from workflows.credit.verification import mask_person_name


class PublicSubjectSerializer(serializers.Serializer[Subject]):
    """A listed subject as the public sees it: a person's name and number masked."""

    kind = serializers.CharField()
    code = serializers.CharField(source="masked_code")
    name = serializers.SerializerMethodField()

    def get_name(self, subject: Subject) -> str:
        if subject.is_natural_person:
            return mask_person_name(subject.name)
        return subject.name


ENTRY_FIELDS = [
    "id",
    "list_type",
    "subject",
    "deciding_department",
    "decision_number",
    "valid_from",
    "valid_to",
    "status",
]


class PublicListEntrySerializer(serializers.ModelSerializer[ListEntry]):
    subject = PublicSubjectSerializer(read_only=True)
    deciding_department = DepartmentRefSerializer(read_only=True)

    class Meta:
        model = ListEntry
        fields = ENTRY_FIELDS
        read_only_fields = fields


class MeasureApplicationBriefSerializer(
    serializers.ModelSerializer[MeasureApplication]
):
    measure = serializers.CharField(source="measure.code")
    measure_name = serializers.CharField(source="measure.name")
    implementing_department = serializers.CharField(
        source="implementing_department.code"
    )

    class Meta:
        model = MeasureApplication
        fields = [
            "measure",
            "measure_name",
            "implementing_department",
            "status",
            "reason",
            "decided_at",
            "lifted_at",
        ]
        read_only_fields = fields


class ListEntryDetailSerializer(serializers.ModelSerializer[ListEntry]):
    """A list entry as staff who may see it read it."""

    subject = SubjectSerializer(read_only=True)
    deciding_department = DepartmentRefSerializer(read_only=True)
    record = serializers.IntegerField(source="record_id", allow_null=True)
    measure_applications = serializers.SerializerMethodField()

    class Meta:
        model = ListEntry
        fields = [
            *ENTRY_FIELDS,
            "basis",
            "record",
            "exit_reason",
            "exited_at",
            "created_at",
            "measure_applications",
        ]
        read_only_fields = fields

    @extend_schema_field(MeasureApplicationBriefSerializer(many=True))
    def get_measure_applications(self, entry: ListEntry) -> Any:
        rows = entry.measure_applications.select_related(
            "measure", "implementing_department"
        ).order_by("implementing_department__code", "measure__code")
        return MeasureApplicationBriefSerializer(rows, many=True).data
