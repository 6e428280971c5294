"""Who I am (roles, departments) and my API tokens."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from webapp.models import ApiToken


class MembershipBriefSerializer(serializers.Serializer[Any]):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    memberships = MembershipBriefSerializer(many=True)
    subjects = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the subjects I act for."
    )


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class ApiTokenIssuedSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        help_text="The token itself. It is shown this once and never again."
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
