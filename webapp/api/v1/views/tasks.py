"""Human tasks: my tasks, my groups' queue, done; claim, delegate, complete."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from webapp.api.v1.base import ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.serializers.common import ErrorSerializer
from webapp.api.v1.serializers.tasks import (
    TaskDataSerializer,
    TaskDetailSerializer,
    TaskSerializer,
    TaskToUserSerializer,
)
from workflows.access.actions import task_action_refusal
from workflows.errors import ForbiddenError, NotFoundError
from workflows.models import HumanTask, ProcessInstance
from workflows.selectors.tasks import TABS, task_get, task_list_for_user
from workflows.services.task_data import task_form
from workflows.services.tasks import (
    task_claim,
    task_complete,
    task_delegate,
    task_draft_save,
    task_reassign,
    task_resolve,
    task_unclaim,
)

UUID_PATTERN = "[0-9a-fA-F-]{32,36}"
ACTION_ERRORS = {
    400: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    409: OpenApiResponse(
        ErrorSerializer, description="Already completed, claimed or cancelled"
    ),
}


def _id(pk: str) -> uuid.UUID:
    try:
        return uuid.UUID(pk)
    except ValueError:
        raise NotFoundError("no such task") from None


def task_detail(task: HumanTask) -> dict[str, Any]:
    """Serialise a task with the JSON Schema form it is completed by."""
    instance = (
        ProcessInstance.objects.select_related("definition")
        .defer("state")
        .get(pk=task.instance_id)
    )
    form = task_form(task, instance)
    context = {"form": form.schema if form is not None else None}
    return dict(TaskDetailSerializer(task, context=context).data)


@extend_schema_view(
    list=extend_schema(summary="My tasks, my groups' queue, or what I completed"),
    retrieve=extend_schema(
        summary="A task with its form (JSON Schema) and my draft",
        responses=TaskDetailSerializer,
    ),
)
class TaskViewSet(mixins.ListModelMixin, ApiViewSet):
    """Human tasks of the processes, with the same rules as the inbox."""

    serializer_class = TaskSerializer
    queryset = HumanTask.objects.none()  # the schema's hint; get_queryset reads
    lookup_value_regex = UUID_PATTERN
    problem_prefix = "data."
    filter_backends = FILTER_BACKENDS
    filter_params = {
        # Validated and documented here; get_queryset picks the tab's query.
        "tab": Param(
            None,
            choices=TABS,
            description="mine (default): claimed by me; queue: open in my groups; "
            "done: completed by me; all: every task I may see",
        ),
        "case_number": Param("case_number"),
        "case_type": Param("case_type"),
        "department": Param("department_code", description="Department code"),
        "element": Param("element_id", description="BPMN element id"),
        "process": Param("process_id", description="Process id"),
    }
    ordering_fields = {
        "due": ("due_at", "created_at", "pk"),
        "created": ("created_at", "pk"),
        "completed": ("completed_at", "pk"),
    }

    def get_queryset(self) -> QuerySet[HumanTask]:
        tab = self.request.query_params.get("tab") or "mine"
        tab = tab if tab in TABS else "mine"  # the filter refuses a wrong one
        return task_list_for_user(request_user(self.request), tab=tab).select_related(
            "owner", "completed_by"
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(task_detail(task_get(request_user(request), _id(pk))))

    def _act(
        self,
        request: Request,
        pk: str,
        change: Callable[..., Any],
        incoming: type[Any] | None = None,
    ) -> Response:
        """Call a task service as the user on a task they may see.

        The order of the checks is the order of the answers: a task the user may
        not see is 404, a role that may never do this is 403, and only then is
        the body validated (400) and the service's own rules applied.
        """
        user, task_id = request_user(request), _id(pk)
        task_get(user, task_id)  # a task I may not see is "not found"
        refusal = task_action_refusal(user, self.action)
        if refusal is not None:
            raise ForbiddenError(refusal)
        values = _valid(incoming, request) if incoming is not None else {}
        change(actor=user, task_id=task_id, **values)
        # Read back without the visibility check: acting may end my view of it.
        return Response(task_detail(HumanTask.objects.get(pk=_id(pk))))

    @extend_schema(
        summary="Claim a task from the queue",
        request=None,
        responses={200: TaskDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, task_claim)

    @extend_schema(
        summary="Put a claimed task back into its queue",
        request=None,
        responses={200: TaskDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def unclaim(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, task_unclaim)

    @extend_schema(
        summary="Delegate a claimed task to a colleague (who resolves it back)",
        request=TaskToUserSerializer,
        responses={200: TaskDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def delegate(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, task_delegate, TaskToUserSerializer)

    @extend_schema(
        summary="Give a task to a named person (section chiefs)",
        request=TaskToUserSerializer,
        responses={200: TaskDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, task_reassign, TaskToUserSerializer)

    @extend_schema(
        summary="Resolve a delegated task back to its owner, with a draft",
        request=TaskDataSerializer,
        responses={200: TaskDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, task_resolve, TaskDataSerializer)

    @extend_schema(
        summary="Save unfinished form data of my claimed task",
        request=TaskDataSerializer,
        responses={200: TaskDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def draft(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, task_draft_save, TaskDataSerializer)

    @extend_schema(
        summary="Complete a task with its form data",
        description="The data is checked against the task's form; each wrong field "
        "is named as `data.<field>`. A task someone completed first answers 409.",
        request=TaskDataSerializer,
        responses={200: TaskDetailSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._act(request, pk, task_complete, TaskDataSerializer)


def _valid(serializer: type[Any], request: Request) -> dict[str, Any]:
    incoming = serializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)
