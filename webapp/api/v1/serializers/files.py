"""Uploads and the public verification of a document."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from workflows.credit.models import Attachment
from workflows.credit.models.documents import MAX_ATTACHMENT_SIZE


class AttachmentUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        allow_empty_file=False, help_text="At most 20 MiB; PDF or image."
    )
    kind = serializers.ChoiceField(
        choices=Attachment.Kind.values, default=Attachment.Kind.EVIDENCE
    )

    def validate_file(self, value: Any) -> Any:
        if value.size > MAX_ATTACHMENT_SIZE:
            raise serializers.ValidationError("larger than 20 MiB")
        return value


class VerificationSerializer(serializers.Serializer[Any]):
    """What anyone may learn of a document from the code printed on it."""

    number = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    department = serializers.CharField()
    department_en = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    sha256 = serializers.CharField()
    rendered = serializers.BooleanField()
    current = serializers.BooleanField()
    superseded_by = serializers.CharField()
    current_number = serializers.CharField()
    subject_name = serializers.CharField()
    subject_code = serializers.CharField()
    subject_is_person = serializers.BooleanField()
