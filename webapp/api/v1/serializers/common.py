"""Shapes several resources share: the error, departments, subjects, files."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from workflows.credit.models import (
    Attachment,
    CaseDeadline,
    Department,
    Document,
    Subject,
)


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error answer: a stable code, a message, and the fields at fault."""

    code = serializers.CharField(
        help_text="Stable machine code: invalid, not_authenticated, "
        "authentication_failed, forbidden, not_found, conflict, throttled, "
        "idempotency_key_reused, method_not_allowed, parse_error, incident, ..."
    )
    message = serializers.CharField()
    # The metaclass moves declared fields away: Serializer.fields stays intact.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Field name → messages; "non_field_errors" for the whole request.',
    )


# The small shapes nested everywhere are plain serializers: a ModelSerializer
# rebuilds its fields from the model on every instance, which costs more than
# the row it serialises.
class DepartmentRefSerializer(serializers.Serializer[Department]):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class SubjectSerializer(serializers.Serializer[Subject]):
    """A subject; a natural person's ID number is shown masked."""

    code = serializers.CharField(source="masked_code", read_only=True)
    kind = serializers.ChoiceField(choices=Subject.Kind.choices, read_only=True)
    name = serializers.CharField(read_only=True)
    legal_representative = serializers.CharField(read_only=True)


class DeadlineSerializer(serializers.ModelSerializer[CaseDeadline]):
    class Meta:
        model = CaseDeadline
        fields = ["kind", "due_at", "provisional", "working_days", "met_at"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    case: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "case",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer[Document]):
    """An issued document; ``pdf_ready`` says whether the PDF can be downloaded."""

    case: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )
    issuing_department = DepartmentRefSerializer(read_only=True)
    pdf_ready = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "kind",
            "number",
            "status",
            "issuing_department",
            "issued_at",
            "sha256",
            "verification_code",
            "pdf_ready",
        ]
        read_only_fields = fields

    def get_pdf_ready(self, document: Document) -> bool:
        return document.rendered_at is not None
