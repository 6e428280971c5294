"""Figures for the credit office's dashboard, computed by the database.

Three reads (plus one query to check who asks):
- open cases by type and status (one query);
- open and overdue human tasks per department (two queries);
- the median time from a human task's creation to its completion, per BPMN element,
  over the last N days (one query). PostgreSQL computes it with
  ``percentile_cont``; SQLite has no percentile, so there the durations of at most
  ``MEDIAN_ROW_LIMIT`` recent completions are read and the median is taken in
  Python (flagged ``sampled`` when more completions were left out).

Who may read: auditors, system administrators and members of a credit office.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    Q,
)
from django.utils import timezone

from workflows import roles
from workflows.access.roles import department_codes, roles_of
from workflows.credit.models import Case, Department
from workflows.errors import ForbiddenError
from workflows.models import HumanTask

WINDOWS: Final = (30, 90)
MEDIAN_ROW_LIMIT: Final = 20_000
READERS: Final = frozenset({roles.AUDITOR, roles.SYSTEM_ADMIN})


@dataclass(frozen=True, slots=True)
class CaseCount:
    case_type: str
    status: str
    count: int


@dataclass(frozen=True, slots=True)
class DepartmentLoad:
    code: str
    name: str
    name_en: str
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class StepTiming:
    process_id: str
    element_id: str
    name: str
    completed: int
    median_hours: float


@dataclass(frozen=True, slots=True)
class StepTimings:
    days: int
    steps: list[StepTiming]
    sampled: bool


def may_view_dashboard(user: User | AnonymousUser) -> bool:
    """Say if the user may read the dashboard (one query for department staff)."""
    if not user.is_authenticated:
        return False
    if roles_of(user) & READERS:
        return True
    codes = department_codes(user)
    return bool(codes) and (
        Department.objects.credit_offices().filter(code__in=codes).exists()
    )


def dashboard_check(user: User | AnonymousUser) -> None:
    """Refuse anyone who may not read the dashboard."""
    if not may_view_dashboard(user):
        raise ForbiddenError("the dashboard is for the credit office and auditors")


def open_cases_by_type_and_status() -> list[CaseCount]:
    """Count open cases per case type and status."""
    rows = (
        Case.objects.open()
        .values("case_type", "status")
        .annotate(count=Count("pk"))
        .order_by("case_type", "status")
    )
    return [CaseCount(r["case_type"], r["status"], r["count"]) for r in rows]


def task_load_by_department(now: dt.datetime | None = None) -> list[DepartmentLoad]:
    """Count open and overdue human tasks per department that has to do them.

    The department is the one of the task's candidate group ("XYB.clerk" is the
    credit office's), else the case's department. Two queries: the counts grouped by
    group and case department, then the names of the departments found.
    """
    moment = now or timezone.now()
    rows = (
        HumanTask.objects.filter(status__in=HumanTask.OPEN_STATUSES)
        .values("candidate_group__name", "department_code")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=moment)))
        .order_by()
    )
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        group = row["candidate_group__name"] or ""
        code = group.split(".", 1)[0] if "." in group else row["department_code"]
        totals[code][0] += row["open"]
        totals[code][1] += row["overdue"]
    names = {
        d["code"]: (d["name"], d["name_en"])
        for d in Department.objects.filter(code__in=totals).values(
            "code", "name", "name_en"
        )
    }
    loads = [
        DepartmentLoad(
            code=code,
            name=names.get(code, (code, ""))[0],
            name_en=names.get(code, (code, ""))[1],
            open=counts[0],
            overdue=counts[1],
        )
        for code, counts in totals.items()
    ]
    return sorted(loads, key=lambda d: (-d.overdue, -d.open, d.code))


class _Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5) WITHIN GROUP (ORDER BY …)``."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _handling_seconds() -> Func:
    duration = ExpressionWrapper(
        F("completed_at") - F("created_at"), output_field=DurationField()
    )
    return Func(
        duration,
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )


def _completed_since(days: int, now: dt.datetime) -> Any:
    return HumanTask.objects.filter(
        status=HumanTask.Status.COMPLETED,
        completed_at__gte=now - dt.timedelta(days=days),
        completed_at__isnull=False,
    )


def step_timings(days: int, now: dt.datetime | None = None) -> StepTimings:
    """Median handling time per process step over the last ``days`` days."""
    moment = now or timezone.now()
    completed = _completed_since(days, moment)
    if connection.vendor == "postgresql":
        rows = (
            completed.values("process_id", "element_id")
            .annotate(
                step_name=Max("name"),
                completed=Count("pk"),
                median=_Median(_handling_seconds()),
            )
            .order_by("process_id", "element_id")
        )
        steps = [
            StepTiming(
                r["process_id"],
                r["element_id"],
                r["step_name"],
                r["completed"],
                round(r["median"] / 3600, 2),
            )
            for r in rows
        ]
        return StepTimings(days=days, steps=steps, sampled=False)
    return _step_timings_in_python(completed, days)


def _step_timings_in_python(completed: Any, days: int) -> StepTimings:
    rows = list(
        completed.order_by("-completed_at").values_list(
            "process_id", "element_id", "name", "created_at", "completed_at"
        )[: MEDIAN_ROW_LIMIT + 1]
    )
    sampled = len(rows) > MEDIAN_ROW_LIMIT
    seconds: dict[tuple[str, str], list[float]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    for process_id, element_id, name, created, done in rows[:MEDIAN_ROW_LIMIT]:
        key = (process_id, element_id)
        seconds[key].append((done - created).total_seconds())
        names[key] = max(names.get(key, ""), name)
    steps = [
        StepTiming(
            key[0],
            key[1],
            names[key],
            len(values),
            round(statistics.median(values) / 3600, 2),
        )
        for key, values in sorted(seconds.items())
    ]
    return StepTimings(days=days, steps=steps, sampled=sampled)
