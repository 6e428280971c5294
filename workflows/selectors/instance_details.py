"""Details of one instance for operators: open tasks, waits, history, incidents."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db.models import QuerySet

from workflows.models import (
    ElementLog,
    EventSubscription,
    HumanTask,
    Incident,
    ProcessInstance,
)
from workflows.selectors.tasks import task_list_for_user

HISTORY_LIMIT = 20


def open_tasks(
    actor: User | None, *, instance_id: uuid.UUID | None = None
) -> QuerySet[HumanTask]:
    """List open tasks the actor may see; the system (None) sees every one."""
    if actor is None:
        tasks: QuerySet[HumanTask] = HumanTask.objects.select_related(
            "candidate_group", "assignee"
        )
        if instance_id is not None:
            tasks = tasks.filter(instance_id=instance_id)
        tasks = tasks.order_by("due_at", "created_at", "pk")
    else:
        tasks = task_list_for_user(actor, tab="all", instance_id=instance_id)
    return tasks.filter(status__in=HumanTask.OPEN_STATUSES)


def waiting_events(instance: ProcessInstance) -> QuerySet[EventSubscription]:
    """List the timers and messages an instance waits for."""
    return EventSubscription.objects.filter(instance=instance).order_by(
        "due_at", "kind", "name"
    )


def recent_history(instance: ProcessInstance) -> list[ElementLog]:
    """Return the last elements an instance completed, oldest first."""
    latest = ElementLog.objects.filter(instance=instance).order_by("-id")
    return list(reversed(latest[:HISTORY_LIMIT]))


def open_incidents(instance: ProcessInstance) -> QuerySet[Incident]:
    """List an instance's unresolved incidents, oldest first."""
    return instance.incidents.filter(status=Incident.Status.OPEN).order_by("id")


def incident_attempts(incident_id: int) -> int:
    """Return how many times an incident's operation has been tried."""
    attempts = (
        Incident.objects.filter(pk=incident_id)
        .values_list("attempts", flat=True)
        .first()
    )
    return attempts or 0


def instance_status(instance_id: uuid.UUID) -> str:
    """Return an instance's current status as stored."""
    return str(
        ProcessInstance.objects.values_list("status", flat=True).get(pk=instance_id)
    )
