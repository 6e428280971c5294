"""The audit trail for auditors; deploying and listing model versions for
process administrators. Both check their permissions in the selectors and
services, like the web console and ``manage.py bpmn``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, parsers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from audit.models import AuditEvent
from audit.selectors import audit_event_search
from webapp.api.v1.base import ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param, parsed_params
from webapp.api.v1.serializers.admin import (
    AuditEventSerializer,
    DefinitionSerializer,
    DeployRequestSerializer,
    DeployResultSerializer,
)
from webapp.api.v1.serializers.common import ErrorSerializer
from workflows.engine.parsing import SourceFile
from workflows.errors import ForbiddenError
from workflows.models import ProcessDefinition
from workflows.policies import require_permission
from workflows.selectors.instances import definition_list
from workflows.services.deploy import definition_deploy

AUDIT_PERMISSION = "audit.view_auditevent"
AUDIT_FILTERS = {
    "case_number": Param(None),
    "actor": Param(None, description='Username, or "system:<job>"'),
    "action": Param(None, description='Action; ending in "." matches a family'),
    "department": Param(None, description="Department code"),
    "target_type": Param(None, description='e.g. "credit.case"'),
    "target_id": Param(None),
    "date_from": Param(None, type="date"),
    "date_to": Param(None, type="date"),
}


@extend_schema_view(
    list=extend_schema(summary="Search the audit trail (auditors)"),
)
class AuditEventViewSet(mixins.ListModelMixin, ApiViewSet):
    """The append-only, hash-chained audit trail."""

    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()  # the schema's hint; get_queryset reads
    filter_backends = FILTER_BACKENDS
    filter_params = AUDIT_FILTERS
    ordering_fields = {"seq": ("seq",)}
    ordering = "seq"

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if not request_user(self.request).has_perm(AUDIT_PERMISSION):
            raise ForbiddenError("only auditors read the audit trail")
        values = parsed_params(self.request, AUDIT_FILTERS)
        return audit_event_search(**values).select_related(None)


@extend_schema_view(
    list=extend_schema(summary="Deployed process versions (newest first)"),
)
class DefinitionViewSet(mixins.ListModelMixin, ApiViewSet):
    """Deployed BPMN process versions."""

    serializer_class = DefinitionSerializer
    queryset = ProcessDefinition.objects.none()  # the schema's hint
    filter_backends = FILTER_BACKENDS
    filter_params = {"process_id": Param(None, description="Only this process")}
    ordering_fields = {
        "process": ("process_id", "version"),
        "deployed": ("deployed_at", "pk"),
    }
    ordering = "process"

    def get_queryset(self) -> QuerySet[ProcessDefinition]:
        values = parsed_params(self.request, self.filter_params)
        return definition_list(
            actor=request_user(self.request), process_id=values.get("process_id")
        )

    @extend_schema(
        summary="Deploy model files: changed processes get a new version",
        request={"multipart/form-data": DeployRequestSerializer},
        responses={
            200: DeployResultSerializer,
            400: ErrorSerializer,
            403: ErrorSerializer,
        },
    )
    @action(
        detail=False,
        methods=["post"],
        parser_classes=[parsers.MultiPartParser, parsers.FormParser],
    )
    def deploy(self, request: Request) -> Response:
        # Who may deploy is answered before what was sent (403 before 400).
        require_permission(
            request_user(request), "workflows.deploy_definition", "deploy models"
        )
        incoming = DeployRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        files = [
            SourceFile(upload.name or "", upload.read())
            for upload in incoming.validated_data["files"]
        ]
        result = definition_deploy(
            actor=request_user(request),
            files=files,
            create_groups=incoming.validated_data["create_groups"],
        )
        body: dict[str, Any] = {
            "processes": [
                {
                    "id": p.definition.process_id,
                    "version": p.definition.version,
                    "created": p.created,
                }
                for p in result.processes
            ],
            "decisions": [
                {
                    "id": d.definition.decision_id,
                    "version": d.definition.version,
                    "created": d.created,
                }
                for d in result.decisions
            ],
            "created_groups": result.created_groups,
        }
        return Response(DeployResultSerializer(body).data)
