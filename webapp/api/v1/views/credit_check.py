"""``GET /api/v1/credit-check/<code>?purpose=...``: audited, rate-limited."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.api.v1.base import ApiViewMixin, request_user
from webapp.api.v1.serializers.common import ErrorSerializer
from webapp.api.v1.serializers.credit_check import CreditCheckSerializer
from workflows.credit.selectors.credit_check import (
    MAX_PURPOSE,
    credit_check_department,
    credit_check_run,
)


class CreditCheckQuerySerializer(serializers.Serializer[Any]):
    purpose = serializers.CharField(
        max_length=MAX_PURPOSE,
        help_text="Why the subject is checked (recorded with the check), e.g. "
        "'政府采购投标人资格审查 2026-017'.",
    )
    department = serializers.CharField(
        max_length=16,
        required=False,
        help_text="The department I check for (needed if I work in several).",
    )


class CreditCheckView(ApiViewMixin, APIView):
    """Credit checks (信用审查) by departments."""

    throttle_scope = "credit_check"

    @extend_schema(
        summary="Credit check of a subject for my department (audited)",
        description="Current list memberships with validity, the measures my "
        "department implements on them, records under objection and red-list "
        "status. Each check is recorded with my department and the purpose "
        "(查询使用登记). Rate-limited per user (429 with Retry-After).",
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="Unified social credit code or resident ID number.",
            ),
            CreditCheckQuerySerializer,
        ],
        responses={
            200: CreditCheckSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
            429: OpenApiResponse(ErrorSerializer, description="Too many checks"),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        query = CreditCheckQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        user = request_user(request)
        department = credit_check_department(
            user, query.validated_data.get("department")
        )
        result = credit_check_run(
            actor=user,
            subject_code=code,
            department=department,
            purpose=query.validated_data["purpose"],
        )
        return Response(CreditCheckSerializer(result).data)
