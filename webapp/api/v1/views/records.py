"""Subjects (by code) and credit records with their corrections."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from webapp.api.v1.base import ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.serializers.common import SubjectSerializer
from webapp.api.v1.serializers.records import (
    CreditRecordDetailSerializer,
    CreditRecordSerializer,
    EligibilitySerializer,
)
from workflows.access.roles import departments_of, sees_everything
from workflows.credit.eligibility import repair_precheck
from workflows.credit.identifiers import normalise_identifier
from workflows.credit.models import CreditRecord, RecordCorrection, Subject
from workflows.credit.selectors.records import (
    credit_record_get,
    credit_record_list_for_user,
)
from workflows.credit.selectors.subjects import (
    subject_get_by_code,
    subject_list_for_account,
)
from workflows.errors import NotFoundError

CODE_PARAMETER = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="Unified social credit code or resident ID number.",
)


def _by_subject_code(records: QuerySet[Any], code: str) -> QuerySet[Any]:
    return records.filter(subject__code=normalise_identifier(code))


@extend_schema_view(
    list=extend_schema(summary="List the subjects I act for"),
    retrieve=extend_schema(
        summary="Look a subject up by its code",
        description="Staff may look up any subject; a subject's own accounts "
        "their own. Anyone else is told 'not found'.",
        parameters=[CODE_PARAMETER],
    ),
)
class SubjectViewSet(mixins.ListModelMixin, ApiViewSet):
    """Credit subjects: the ones I act for, and a lookup by code."""

    serializer_class = SubjectSerializer
    queryset = Subject.objects.none()  # the schema's hint; get_queryset reads
    lookup_field = "code"
    lookup_value_regex = "[0-9A-Za-z]{15,18}"
    filter_backends = FILTER_BACKENDS
    filter_params = {"name": Param("name__icontains", description="Part of the name")}
    ordering_fields = {"name": ("name", "pk"), "code": ("code",)}
    ordering = "name"

    def get_queryset(self) -> QuerySet[Subject]:
        return subject_list_for_account(user=request_user(self.request))

    def retrieve(self, request: Request, code: str) -> Response:
        subject = subject_get_by_code(code=code)
        user = request_user(request)
        staff = sees_everything(user) or bool(departments_of(user))
        if not staff and not subject.accounts.filter(pk=user.pk).exists():
            raise NotFoundError("no subject with this code")
        return Response(SubjectSerializer(subject).data)


@extend_schema_view(
    list=extend_schema(summary="List the credit records I may see"),
    retrieve=extend_schema(summary="A credit record with its corrections"),
)
class CreditRecordViewSet(mixins.ListModelMixin, ApiViewSet):
    """Credit records I may see, with their corrections and the repair pre-check."""

    serializer_class = CreditRecordSerializer
    queryset = CreditRecord.objects.none()  # the schema's hint
    filter_backends = FILTER_BACKENDS
    filter_params = {
        "subject": Param(_by_subject_code, description="Subject's code"),
        "status": Param("status", choices=CreditRecord.Status.values),
        "category": Param("category", choices=CreditRecord.Category.values),
        "department": Param(
            "source_department__code", description="Source department's code"
        ),
        "decided_from": Param("decision_date__gte", type="date"),
        "decided_to": Param("decision_date__lte", type="date"),
    }
    ordering_fields = {
        "decision_date": ("decision_date", "pk"),
        "id": ("pk",),
    }
    ordering = "-decision_date"

    def get_queryset(self) -> QuerySet[CreditRecord]:
        return credit_record_list_for_user(request_user(self.request))

    def retrieve(self, request: Request, pk: str) -> Response:
        found = credit_record_get(request_user(request), pk)
        corrections = RecordCorrection.objects.select_related("case").order_by(
            "changed_at", "pk"
        )
        prefetch_related_objects([found], Prefetch("corrections", corrections))
        return Response(CreditRecordDetailSerializer(found).data)

    @extend_schema(
        summary="May this record be repaired now?",
        responses=EligibilitySerializer,
    )
    @action(detail=True, methods=["get"], url_path="repair-eligibility")
    def repair_eligibility(self, request: Request, pk: str) -> Response:
        found = credit_record_get(request_user(request), pk)
        eligibility = repair_precheck(found)
        return Response(EligibilitySerializer(eligibility).data)
