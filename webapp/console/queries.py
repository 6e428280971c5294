"""What the console pages read, each list as one query (plus its page count)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from workflows.credit.identifiers import normalise_identifier
from workflows.credit.models import ListEntry, Measure
from workflows.errors import NotFoundError
from workflows.models import (
    ElementLog,
    EventSubscription,
    HumanTask,
    Incident,
    ProcessDefinition,
    ProcessInstance,
)
from workflows.selectors import instance_details
from workflows.selectors.instances import (
    definition_list,
    incident_list,
    instance_get,
    require_operator_view,
)
from workflows.workdays.models import CalendarOverride

# "file.bpmn:12 [element_id]: message", as workflows.engine.errors.ModelProblem says.
_PROBLEM = re.compile(
    r"^(?P<file>[^:\[\]]+?)(?::(?P<line>\d+))?(?: \[(?P<element>[^\]]+)\])?: "
    r"(?P<message>.+)$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Overview:
    """The numbers on the console's start page."""

    processes: int
    versions: int
    running_instances: int
    open_incidents: int


@dataclass(frozen=True)
class Problem:
    """One reason a deploy was refused, located as precisely as the engine said."""

    message: str
    file: str = ""
    line: int | None = None
    element_id: str = ""


@dataclass
class InstancePage:
    """An instance and what it waits for, for the operator's page."""

    instance: ProcessInstance
    tasks: list[HumanTask]
    waiting: list[EventSubscription]
    history: list[ElementLog]
    incidents: list[Incident]


def console_overview(user: User) -> Overview:
    """Count deployed processes, running instances and open incidents."""
    require_operator_view(user)
    definitions = ProcessDefinition.objects.aggregate(
        versions=Count("pk"), processes=Count("process_id", distinct=True)
    )
    return Overview(
        processes=definitions["processes"],
        versions=definitions["versions"],
        running_instances=ProcessInstance.objects.filter(
            status=ProcessInstance.Status.RUNNING
        ).count(),
        open_incidents=Incident.objects.filter(status=Incident.Status.OPEN).count(),
    )


def parse_problems(problems: list[str]) -> list[Problem]:
    """Split the deploy's problem lines into file, line, element id and message."""
    parsed = []
    for text in problems:
        match = _PROBLEM.match(text)
        if match is None or not match["file"].lower().endswith(
            (".bpmn", ".dmn", ".json")
        ):
            parsed.append(Problem(message=text))
            continue
        parsed.append(
            Problem(
                message=match["message"],
                file=match["file"],
                line=int(match["line"]) if match["line"] else None,
                element_id=match["element"] or "",
            )
        )
    return parsed


def definitions_with_counts(user: User) -> QuerySet[ProcessDefinition]:
    """List every deployed version with how many of its instances are still active."""
    return definition_list(actor=user).annotate(
        active_instances=Count(
            "instances",
            filter=Q(instances__status__in=ProcessInstance.ACTIVE_STATUSES),
        )
    )


def definition_get(user: User, pk: int) -> ProcessDefinition:
    """Return one deployed version (with its sources) for an operator."""
    require_operator_view(user)
    found = ProcessDefinition.objects.select_related("deployed_by").filter(pk=pk)
    definition = found.first()
    if definition is None:
        raise NotFoundError("no such process version")
    return definition


def incidents_for(user: User, status: str) -> QuerySet[Incident]:
    """List incidents of a status ("" for all), newest first, without saved state."""
    return incident_list(actor=user, status=status or None).defer(
        "instance__state", "operation"
    )


def instance_page(user: User, instance_id: uuid.UUID) -> InstancePage:
    """Return an instance with its open tasks, waits, recent history and incidents."""
    require_operator_view(user)
    instance = instance_get(instance_id)
    return InstancePage(
        instance=instance,
        tasks=list(instance_details.open_tasks(None, instance_id=instance.pk)),
        waiting=list(instance_details.waiting_events(instance)),
        history=instance_details.recent_history(instance),
        incidents=list(instance_details.open_incidents(instance)),
    )


def calendar_overrides(user: User, year: int | None) -> QuerySet[CalendarOverride]:
    """List the calendar's overrides (of one year, if given) by date."""
    require_operator_view(user)
    overrides = CalendarOverride.objects.select_related("created_by")
    if year:
        start = dt.date(year, 1, 1)
        overrides = overrides.filter(
            date__gte=start, date__lt=start.replace(year=year + 1)
        )
    return overrides.order_by("date", "jurisdiction")


def measure_catalogue(user: User) -> QuerySet[Measure]:
    """List the measures catalogue by code, with each implementing department."""
    require_operator_view(user)
    return Measure.objects.select_related("implementing_department").order_by("code")


def measure_get(user: User, pk: int) -> Measure:
    """Return one measure of the catalogue."""
    require_operator_view(user)
    measure = Measure.objects.select_related("implementing_department").filter(pk=pk)
    found = measure.first()
    if found is None:
        raise NotFoundError("no such measure")
    return found


def filter_list_entries(
    entries: QuerySet[ListEntry], *, q: str = "", list_type: str = "", status: str = ""
) -> QuerySet[ListEntry]:
    """Narrow visible list entries by the search form's fields."""
    q = q.strip()
    if q:
        entries = entries.filter(
            Q(subject__name__icontains=q)
            | Q(subject__code=normalise_identifier(q))
            | Q(decision_number__icontains=q)
        )
    if list_type:
        entries = entries.filter(list_type=list_type)
    if status:
        entries = entries.filter(status=status)
    return entries.select_related("subject", "deciding_department").order_by(
        "-created_at", "-id"
    )
