"""The answer of a credit check (信用审查)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from webapp.api.v1.serializers.common import DepartmentRefSerializer, SubjectSerializer
from workflows.credit.models import CreditRecord, ListEntry


class MembershipSerializer(serializers.Serializer[ListEntry]):
    """A list the subject is on today, with its validity."""

    id = serializers.IntegerField()
    list_type = serializers.ChoiceField(choices=ListEntry.ListType.choices)
    deciding_department = DepartmentRefSerializer()
    decision_number = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ListEntry.Status.choices)


class ObjectedRecordSerializer(serializers.Serializer[CreditRecord]):
    """A record of the subject whose objection is being handled."""

    id = serializers.IntegerField()
    source_department = DepartmentRefSerializer()
    category = serializers.ChoiceField(choices=CreditRecord.Category.choices)
    grade = serializers.CharField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    status = serializers.ChoiceField(choices=CreditRecord.Status.choices)


class MeasureFindingSerializer(serializers.Serializer[Any]):
    measure = serializers.CharField(source="measure.code")
    name = serializers.CharField(source="measure.name")
    kind = serializers.CharField(source="measure.kind")
    legal_basis = serializers.CharField(source="measure.legal_basis")
    list_entry = serializers.IntegerField(source="entry.pk")
    list_type = serializers.CharField(source="entry.list_type")
    status = serializers.ChoiceField(
        choices=["not_requested", "pending", "applied", "not_applied"],
        help_text="My department's answer on this listing so far.",
    )
    suspended = serializers.BooleanField(
        help_text="The listing's record is under objection with punishment suspended."
    )


class RedListSerializer(serializers.Serializer[Any]):
    listed = serializers.BooleanField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)


class CreditCheckSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="The code checked (ID numbers masked).")
    found = serializers.BooleanField(help_text="Whether any information is on file.")
    checked_on = serializers.DateField()
    department = DepartmentRefSerializer()
    subject = SubjectSerializer(allow_null=True)
    dishonest = serializers.BooleanField(
        help_text="On the serious-dishonesty or key-attention list today."
    )
    memberships = MembershipSerializer(many=True)
    measures = MeasureFindingSerializer(many=True)
    records_under_objection = ObjectedRecordSerializer(many=True)
    red_list = RedListSerializer()
