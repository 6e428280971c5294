"""The staff case search and case view (parties use /objections/ and /repairs/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.selectors import TimelineEntry, case_timeline
from webapp.api.v1.base import ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.serializers.cases import (
    CaseSummarySerializer,
    ReasonSerializer,
    StaffCaseSerializer,
)
from webapp.api.v1.serializers.common import ErrorSerializer
from webapp.api.v1.views.party_cases import NUMBER_PATTERN
from webapp.cases.detail import require_staff
from workflows.credit.filing import case_act
from workflows.credit.identifiers import normalise_identifier
from workflows.credit.models import Attachment, Case, CaseDeadline, Document
from workflows.credit.selectors.cases import case_get, case_list_for_user
from workflows.credit.selectors.files import (
    attachment_list_for_case,
    document_list_for_case,
)
from workflows.models import HumanTask
from workflows.selectors.diagram import current_tasks


def _search(cases: QuerySet[Case], q: str) -> QuerySet[Case]:
    return cases.filter(
        Q(number__icontains=q)
        | Q(subject__name__icontains=q)
        | Q(subject__code=normalise_identifier(q))
    )


def _department(cases: QuerySet[Case], code: str) -> QuerySet[Case]:
    return cases.filter(
        Q(target_record__source_department__code=code)
        | Q(target_list_entry__deciding_department__code=code)
    )


@dataclass
class StaffCase:
    """A case and the blocks of its staff page (attribute access passes on)."""

    case: Case
    deadlines: list[CaseDeadline] = field(default_factory=list)
    tasks: list[HumanTask] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "case":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.case, name)


def staff_case(user: User, case: Case) -> dict[str, Any]:
    """Read and serialise everything the staff case page shows."""
    view = StaffCase(
        case=case,
        deadlines=list(case.deadlines.order_by("due_at", "pk")),
        tasks=list(current_tasks(case.number).select_related("owner")),
        timeline=case_timeline(case.number),
        documents=list(document_list_for_case(user, case).select_related("case")),
        attachments=list(attachment_list_for_case(user, case).select_related("case")),
    )
    return dict(StaffCaseSerializer(cast(Any, view)).data)


@extend_schema_view(
    list=extend_schema(summary="Search the cases I may see (staff)"),
    retrieve=extend_schema(
        summary="A case with its whole audited timeline (staff)",
        responses=StaffCaseSerializer,
    ),
)
class CaseViewSet(mixins.ListModelMixin, ApiViewSet):
    """Cases of every kind, for staff who may see them."""

    serializer_class = CaseSummarySerializer
    queryset = Case.objects.none()  # the schema's hint; get_queryset reads
    lookup_field = "number"
    lookup_value_regex = NUMBER_PATTERN
    filter_backends = FILTER_BACKENDS
    filter_params = {
        "q": Param(_search, description="Case number, subject name or code"),
        "case_type": Param("case_type", choices=Case.Type.values),
        "status": Param("status", choices=Case.Status.values),
        "department": Param(_department, description="Department code"),
        "submitted_from": Param("submitted_at__date__gte", type="date"),
        "submitted_to": Param("submitted_at__date__lte", type="date"),
    }
    ordering_fields = {
        "created": ("created_at", "pk"),
        "submitted": ("submitted_at", "pk"),
        "number": ("number",),
    }
    ordering = "-created"

    def get_queryset(self) -> QuerySet[Case]:
        require_staff(request_user(self.request))
        return case_list_for_user(request_user(self.request)).select_related("subject")

    def retrieve(self, request: Request, number: str) -> Response:
        user = request_user(request)
        require_staff(user)
        return Response(staff_case(user, case_get(user, number)))

    @extend_schema(
        summary="Revoke a repair obtained by fraud (the department's chiefs)",
        request=ReasonSerializer,
        responses={
            200: StaffCaseSerializer,
            400: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    @action(detail=True, methods=["post"], url_path="revoke-repair")
    def revoke_repair(self, request: Request, number: str) -> Response:
        user = request_user(request)
        require_staff(user)
        case = case_get(user, number)
        incoming = ReasonSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        done = case_act(actor=user, name="repair_revoke", number=case.number, data=data)
        return Response(staff_case(user, done))
