"""Objections and repairs as their parties use them: file, list mine, read, act.

The same entry points as the portal: ``case_file`` and ``case_act`` (services),
``portal_case_list`` / ``portal_case_get`` and the portal's timeline and stage
selectors (reads). Filing and acting take an ``Idempotency-Key``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from webapp.api.idempotency import IDEMPOTENCY_PARAMETER, run_once
from webapp.api.v1.base import ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.serializers.cases import (
    AppealSerializer,
    CaseSummarySerializer,
    ObjectionFileSerializer,
    PartyCaseSerializer,
    RepairFileSerializer,
    SupplementSerializer,
)
from webapp.api.v1.serializers.common import ErrorSerializer
from workflows.credit.filing import case_act, case_file
from workflows.credit.models import (
    Attachment,
    Case,
    CaseDeadline,
    Document,
)
from workflows.credit.selectors.files import (
    attachment_list_for_case,
    document_list_for_case,
)
from workflows.credit.selectors.portal import (
    Stage,
    TimelineItem,
    appeal_window,
    case_deadlines,
    case_stages,
    portal_case_get,
    portal_case_list,
    subject_timeline,
    supplement_request,
)
from workflows.errors import NotFoundError

NUMBER_PATTERN = "[A-Z]{2}-[0-9]{4}-[0-9]{6}"
FILING_ERRORS = {
    400: ErrorSerializer,
    404: ErrorSerializer,
    409: ErrorSerializer,
    422: OpenApiResponse(
        ErrorSerializer, description="Idempotency-Key reused for another request"
    ),
}


@dataclass
class PartyCase:
    """A case and the blocks its party's page shows (attribute access passes on)."""

    case: Case
    deadlines: list[CaseDeadline] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    timeline: list[TimelineItem] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    supplement_request: dict[str, Any] | None = None
    appeal_due_at: Any = None
    actions: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "case":  # not set yet: no recursion
            raise AttributeError(name)
        return getattr(self.case, name)


def party_case(user: Any, case: Case) -> PartyCase:
    """Read everything a party sees of a case."""
    view = PartyCase(
        case=case,
        deadlines=case_deadlines(case),
        stages=case_stages(case),
        timeline=subject_timeline(case),
        documents=list(document_list_for_case(user, case).select_related("case")),
        attachments=list(attachment_list_for_case(user, case).select_related("case")),
    )
    is_party = user.pk in (case.applicant_id, case.agent_id)
    if case.status == Case.Status.SUPPLEMENT_REQUESTED:
        missing, deadline = supplement_request(case)
        view.supplement_request = {
            "missing": missing,
            "due_at": deadline.due_at if deadline else None,
            "provisional": bool(deadline and deadline.provisional),
        }
        if is_party:
            view.actions.append("supplement")
    window = appeal_window(case)
    if window is not None:
        view.appeal_due_at = window.due_at
        if is_party:
            view.actions.append("appeal")
    return view


class PartyCaseViewSet(mixins.ListModelMixin, ApiViewSet):
    """File cases of one kind, list mine, read one, supplement it."""

    kind: ClassVar[str] = ""
    case_types: ClassVar[tuple[str, ...]] = ()
    file_serializer: ClassVar[type[serializers.Serializer[Any]]]
    serializer_class = CaseSummarySerializer
    queryset = Case.objects.none()  # the schema's hint; get_queryset reads
    lookup_field = "number"
    lookup_value_regex = NUMBER_PATTERN
    throttle_scope = "filing"
    filter_backends = FILTER_BACKENDS
    filter_params = {
        "status": Param("status", choices=Case.Status.values),
        "open": Param(
            lambda cases, value: (
                cases.filter(status__in=Case.OPEN_STATUSES)
                if value
                else cases.exclude(status__in=Case.OPEN_STATUSES)
            ),
            type="boolean",
            description="Only open (true) or only finished (false) cases.",
        ),
    }
    ordering_fields = {"created": ("created_at", "pk"), "number": ("number",)}
    ordering = "-created"

    def get_throttles(self) -> list[Any]:
        # Only writes count against the filing rate.
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return []
        return super().get_throttles()

    def get_queryset(self) -> QuerySet[Case]:
        return portal_case_list(request_user(self.request)).filter(
            case_type__in=self.case_types
        )

    def _case(self, request: Request, number: str) -> Case:
        case = portal_case_get(request_user(request), number)
        if case.case_type not in self.case_types:
            raise NotFoundError(f"no {self.kind} {number}")
        return case

    def _answer(self, request: Request, case: Case) -> dict[str, Any]:
        return dict(
            PartyCaseSerializer(cast(Any, party_case(request_user(request), case))).data
        )

    def create(self, request: Request) -> Response:
        incoming = self.file_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)

        def file() -> tuple[int, Any]:
            case = case_file(actor=request_user(request), kind=self.kind, data=data)
            return status.HTTP_201_CREATED, self._answer(request, case)

        return run_once(request, file)

    def retrieve(self, request: Request, number: str) -> Response:
        return Response(self._answer(request, self._case(request, number)))

    @extend_schema(
        summary="Supply the materials a supplement request asked for",
        request=SupplementSerializer,
        responses={200: PartyCaseSerializer, **FILING_ERRORS},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def supplement(self, request: Request, number: str) -> Response:
        case = self._case(request, number)
        incoming = SupplementSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)

        def act() -> tuple[int, Any]:
            done = case_act(
                actor=request_user(request),
                name="supplement",
                number=case.number,
                data=data,
            )
            return status.HTTP_200_OK, self._answer(request, done)

        return run_once(request, act)


def _documented(viewset: type[PartyCaseViewSet], noun: str) -> None:
    """Give a kind's viewset its schema (the serializers differ per kind)."""
    extend_schema_view(
        create=extend_schema(
            summary=f"File {noun}",
            request=viewset.file_serializer,
            responses={201: PartyCaseSerializer, **FILING_ERRORS},
            parameters=[IDEMPOTENCY_PARAMETER],
        ),
        list=extend_schema(summary=f"List my {noun} cases"),
        retrieve=extend_schema(
            summary=f"One of my {noun} cases: timeline, deadlines, documents",
            responses=PartyCaseSerializer,
        ),
    )(viewset)


class ObjectionViewSet(PartyCaseViewSet):
    """Objections (异议) to published records, and their appeals (复核)."""

    kind = "objection"
    case_types = (Case.Type.OBJECTION, Case.Type.APPEAL)
    file_serializer = ObjectionFileSerializer

    @extend_schema(
        summary="Appeal a decided objection once (复核)",
        request=AppealSerializer,
        responses={201: PartyCaseSerializer, **FILING_ERRORS},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def appeal(self, request: Request, number: str) -> Response:
        case = self._case(request, number)
        incoming = AppealSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)

        def act() -> tuple[int, Any]:
            appeal = case_act(
                actor=request_user(request),
                name="appeal",
                number=case.number,
                data=data,
            )
            return status.HTTP_201_CREATED, self._answer(request, appeal)

        return run_once(request, act)


class RepairViewSet(PartyCaseViewSet):
    """Credit repair requests (信用修复)."""

    kind = "repair"
    case_types = (Case.Type.REPAIR,)
    file_serializer = RepairFileSerializer


_documented(ObjectionViewSet, "objection")
_documented(RepairViewSet, "repair")
