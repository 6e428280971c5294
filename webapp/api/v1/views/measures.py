"""Joint punishment feedback: an implementing department's pending measures, and
its report of each one applied or not applied (with the reason).

Reporting completes the department's ``apply_measures`` task of the listing's
joint punishment process with the same service the inbox uses (``task_complete``);
the answers are checked against the department's pending measures first, so an
incomplete report is refused here with the missing measures named.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from webapp.api.v1.base import ApiViewSet, request_user
from webapp.api.v1.filters import FILTER_BACKENDS, Param
from webapp.api.v1.serializers.common import ErrorSerializer
from webapp.api.v1.serializers.measures import (
    MeasureApplicationSerializer,
    MeasureReportSerializer,
)
from workflows.access.roles import departments_of, sees_everything
from workflows.credit.models import Case, Department, MeasureApplication
from workflows.credit.operations.measures import FEEDBACK_TASK
from workflows.credit.selectors.lists import list_entry_get
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError
from workflows.models import HumanTask
from workflows.selectors.tasks import task_list_for_user
from workflows.services.tasks import task_claim, task_complete


def _implementing(user: Any) -> list[Department]:
    return [d for d in departments_of(user) if d.is_implementing]


def _department(user: Any, code: str | None) -> Department:
    """Return the implementing department the user reports for."""
    mine = _implementing(user)
    if code:
        mine = [d for d in mine if d.code == code]
    if not mine:
        raise ForbiddenError("only an implementing department's officers report")
    if len(mine) > 1:
        codes = ", ".join(d.code for d in mine)
        raise InvalidInputError("name your department", [f"department: {codes}"])
    return mine[0]


def _feedback_task(user: Any, entry_id: int, department: Department) -> HumanTask:
    listing_cases = Case.objects.filter(target_list_entry_id=entry_id).values("number")
    task = (
        task_list_for_user(user, tab="all")
        .filter(
            status__in=HumanTask.OPEN_STATUSES,
            element_id=FEEDBACK_TASK,
            candidate_group__name=f"{department.code}.officer",
            case_number__in=listing_cases,
        )
        .first()
    )
    if task is None:
        raise ConflictError(
            f"no measures of {department.code} on this entry await an answer"
        )
    return task


def _check_answers(entry_id: int, department: Department, answers: list[Any]) -> None:
    pending = set(
        MeasureApplication.objects.pending()
        .filter(list_entry_id=entry_id, implementing_department=department)
        .values_list("measure__code", flat=True)
    )
    given = [a["measure"] for a in answers]
    problems = [
        f"answers: {code} is not answered" for code in sorted(pending - set(given))
    ]
    problems += [
        f"answers: {code} is not a measure awaiting your answer"
        for code in sorted(set(given) - pending)
    ]
    if len(given) != len(set(given)):
        problems.append("answers: a measure is answered twice")
    if problems:
        raise InvalidInputError("the report is incomplete", problems)


@extend_schema_view(
    list=extend_schema(summary="Measures my department is asked to apply"),
)
class MeasureApplicationViewSet(mixins.ListModelMixin, ApiViewSet):
    """Joint punishment measures an implementing department is asked to apply."""

    serializer_class = MeasureApplicationSerializer
    queryset = MeasureApplication.objects.none()  # the schema's hint
    filter_backends = FILTER_BACKENDS
    filter_params = {
        "status": Param("status", choices=MeasureApplication.Status.values),
        "list_entry": Param("list_entry_id", type="integer"),
        "department": Param("implementing_department__code"),
    }
    ordering_fields = {"created": ("created_at", "pk")}
    ordering = "created"

    def get_queryset(self) -> QuerySet[MeasureApplication]:
        rows = MeasureApplication.objects.select_related(
            "measure", "list_entry__subject", "implementing_department"
        )
        if sees_everything(request_user(self.request)):
            return rows
        return rows.filter(
            implementing_department__in=_implementing(request_user(self.request))
        )

    @extend_schema(
        summary="Report which measures my department applied (or not, and why)",
        request=MeasureReportSerializer,
        responses={
            200: MeasureApplicationSerializer(many=True),
            400: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
            409: ErrorSerializer,
        },
    )
    @action(detail=False, methods=["post"])
    def report(self, request: Request) -> Response:
        if not _implementing(request_user(request)):  # 403 before 400
            raise ForbiddenError("only an implementing department's officers report")
        incoming = MeasureReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        report = incoming.validated_data
        entry = list_entry_get(request_user(request), report["list_entry"])
        department = _department(request_user(request), report.get("department"))
        answers = [dict(a) for a in report["answers"]]
        _check_answers(entry.pk, department, answers)
        task = _feedback_task(request_user(request), entry.pk, department)
        if task.assignee_id is None:
            task_claim(actor=request_user(request), task_id=task.pk)
        task_complete(
            actor=request_user(request),
            task_id=task.pk,
            data={"measures_feedback": answers},
        )
        rows = self.get_queryset().filter(
            list_entry=entry, implementing_department=department
        )
        return Response(MeasureApplicationSerializer(rows, many=True).data)
