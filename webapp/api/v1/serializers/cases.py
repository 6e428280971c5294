"""Cases: filing objections and repairs, a party's view, the staff view."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from webapp.api.v1.serializers.common import (
    AttachmentSerializer,
    DeadlineSerializer,
    DocumentSerializer,
    SubjectSerializer,
)
from webapp.api.v1.serializers.tasks import TaskSerializer
from workflows.credit.models import Case

GROUNDS = [(value, label) for value, label in Case.Grounds.choices if value]
MAX_TEXT = 5000
MAX_ATTACHMENTS = 50


def _attachments() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_ATTACHMENTS,
        help_text="Ids of my staged uploads (POST /api/v1/attachments/).",
    )


class ObjectionFileSerializer(serializers.Serializer[Any]):
    record = serializers.IntegerField(min_value=1, help_text="Id of the record.")
    grounds = serializers.ChoiceField(choices=GROUNDS)
    reason = serializers.CharField(max_length=MAX_TEXT)
    attachments = _attachments()


class RepairFileSerializer(serializers.Serializer[Any]):
    record = serializers.IntegerField(min_value=1, help_text="Id of the record.")
    reason = serializers.CharField(
        max_length=MAX_TEXT, help_text="How the behaviour was corrected."
    )
    commitment = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        help_text="The text of the credit commitment (信用承诺书), when required.",
    )
    attachments = _attachments()


class SupplementSerializer(serializers.Serializer[Any]):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    attachments = _attachments()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("note", "").strip() and not attrs.get("attachments"):
            raise serializers.ValidationError(
                {"note": [_("Write a note or name the files you supply.")]}
            )
        return attrs


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=MAX_TEXT)


class AppealSerializer(ReasonSerializer):
    """Why the decision should be reviewed."""


class CaseSummarySerializer(serializers.ModelSerializer[Case]):
    subject = SubjectSerializer(read_only=True)
    record = serializers.IntegerField(
        source="target_record_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Case
        fields = [
            "number",
            "case_type",
            "status",
            "subject",
            "record",
            "channel",
            "submitted_at",
            "decided_at",
            "closed_at",
        ]
        read_only_fields = fields


class StageSerializer(serializers.Serializer[Any]):
    element_id = serializers.CharField()
    department = serializers.CharField()


class TimelineItemSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    status = serializers.CharField()
    by_party = serializers.BooleanField()
    department = serializers.CharField()
    document = serializers.IntegerField(
        source="document.pk", allow_null=True, default=None
    )


class PendingSupplementSerializer(serializers.Serializer[Any]):
    missing = serializers.ListField(child=serializers.CharField())
    due_at = serializers.DateTimeField(allow_null=True)
    provisional = serializers.BooleanField()


class PartyCaseSerializer(CaseSummarySerializer):
    """A case as its party sees it: departments, never staff names."""

    appeal_of = serializers.CharField(
        source="appeal_of.number", read_only=True, allow_null=True, default=None
    )
    decision = serializers.JSONField(read_only=True, allow_null=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    stages = StageSerializer(many=True, read_only=True)
    timeline = TimelineItemSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    supplement_request = PendingSupplementSerializer(read_only=True, allow_null=True)
    appeal_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=["supplement", "appeal"]),
        read_only=True,
        help_text="What I may do on the case now.",
    )

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "grounds",
            "reason",
            "appeal_of",
            "decision",
            "deadlines",
            "stages",
            "timeline",
            "documents",
            "attachments",
            "supplement_request",
            "appeal_due_at",
            "actions",
        ]
        read_only_fields = fields


class FieldChangeSerializer(serializers.Serializer[Any]):
    field = serializers.CharField()
    kind = serializers.ChoiceField(choices=["added", "removed", "changed"])
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class StaffTimelineSerializer(serializers.Serializer[Any]):
    seq = serializers.IntegerField(source="event.seq")
    occurred_at = serializers.DateTimeField(source="event.occurred_at")
    actor = serializers.CharField(source="event.actor_label")
    action = serializers.CharField(source="event.action")
    changes = FieldChangeSerializer(many=True)


class StaffCaseSerializer(CaseSummarySerializer):
    """A case as staff who may see it read it: the whole audited timeline."""

    applicant = serializers.CharField(
        source="applicant.username", read_only=True, allow_null=True, default=None
    )
    decision = serializers.JSONField(read_only=True, allow_null=True)
    policy_refs = serializers.ListField(child=serializers.CharField(), read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)
    timeline = StaffTimelineSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(CaseSummarySerializer.Meta):
        fields = [
            *CaseSummarySerializer.Meta.fields,
            "grounds",
            "reason",
            "applicant",
            "decision",
            "policy_refs",
            "deadlines",
            "tasks",
            "timeline",
            "documents",
            "attachments",
        ]
        read_only_fields = fields
