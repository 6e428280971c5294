"""Plain dicts (for ``--json``) and one-line summaries (for people) of runtime rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from workflows.models import (
    ElementLog,
    EventSubscription,
    HumanTask,
    Incident,
    ProcessDefinition,
    ProcessInstance,
    UnroutedMessage,
)
from workflows.services.tasks import Actor


@dataclass
class Output:
    """What a verb prints: ``data`` with ``--json``, else ``lines``."""

    data: Any
    lines: list[str] = field(default_factory=list)

    def render(self, as_json: bool) -> str:
        if as_json:
            return json.dumps(
                self.data, ensure_ascii=False, cls=DjangoJSONEncoder, indent=2
            )
        return "\n".join(self.lines)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


def username(user: Actor) -> str | None:
    return user.get_username() if user is not None else None


def definition_dict(definition: ProcessDefinition) -> dict[str, Any]:
    return {
        "id": str(definition.pk),
        "process_id": definition.process_id,
        "version": definition.version,
        "name": definition.name,
        "dialect": definition.dialect,
        "file_name": definition.file_name,
        "sha256": definition.sha256,
        "message_starts": list(definition.message_starts or []),
        "plain_start": definition.plain_start,
        "deployed_by": username(definition.deployed_by),
        "deployed_at": iso(definition.deployed_at),
    }


def definition_line(definition: ProcessDefinition) -> str:
    by = username(definition.deployed_by) or "system"
    return (
        f"{definition.process_id} v{definition.version}  {definition.name or '-'}  "
        f"deployed {when(definition.deployed_at)} by {by}"
    )


def instance_dict(instance: ProcessInstance) -> dict[str, Any]:
    return {
        "id": str(instance.pk),
        "process_id": instance.process_id,
        "version": instance.definition.version,
        "business_key": instance.business_key,
        "status": instance.status,
        "labels": instance.labels or {},
        "initiator": username(instance.initiator),
        "started_at": iso(instance.started_at),
        "updated_at": iso(instance.updated_at),
        "ended_at": iso(instance.ended_at),
        "next_timer_at": iso(instance.next_timer_at),
    }


def instance_line(instance: ProcessInstance) -> str:
    return (
        f"{instance.pk}  {instance.process_id} v{instance.definition.version}  "
        f"{instance.business_key}  {instance.status}  "
        f"started {when(instance.started_at)}"
    )


def task_dict(task: HumanTask) -> dict[str, Any]:
    return {
        "id": str(task.pk),
        "instance_id": str(task.instance_id),
        "case_number": task.case_number,
        "process_id": task.process_id,
        "element_id": task.element_id,
        "name": task.name,
        "status": task.status,
        "candidate_group": task.candidate_group.name if task.candidate_group else None,
        "assignee": username(task.assignee),
        "owner": username(task.owner) if task.owner_id else None,
        "delegation": task.delegation,
        "priority": task.priority,
        "due_at": iso(task.due_at),
        "created_at": iso(task.created_at),
        "completed_at": iso(task.completed_at),
    }


def task_line(task: HumanTask) -> str:
    group = task.candidate_group.name if task.candidate_group else "-"
    return (
        f"{task.pk}  {task.status}  {task.element_id} {task.name!r}  "
        f"case {task.case_number}  group {group}  "
        f"assignee {username(task.assignee) or '-'}  due {when(task.due_at)}"
    )


def waiting_dict(event: EventSubscription) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "name": event.name,
        "element_id": event.element_id,
        "due_at": iso(event.due_at),
    }


def waiting_line(event: EventSubscription) -> str:
    due = f"  due {when(event.due_at)}" if event.due_at else ""
    return f"{event.kind} {event.name!r} at {event.element_id}{due}"


def history_dict(entry: ElementLog) -> dict[str, Any]:
    return {
        "element_id": entry.element_id,
        "element_type": entry.element_type,
        "process_id": entry.process_id,
        "completed_at": iso(entry.completed_at),
    }


def history_line(entry: ElementLog) -> str:
    return f"{when(entry.completed_at)}  {entry.element_id} ({entry.element_type})"


def incident_dict(incident: Incident) -> dict[str, Any]:
    return {
        "id": str(incident.pk),
        "instance_id": str(incident.instance_id),
        "business_key": incident.instance.business_key,
        "kind": incident.operation.get("kind", ""),
        "element_id": incident.element_id,
        "message": incident.message,
        "status": incident.status,
        "attempts": incident.attempts,
        "traceback_id": incident.traceback_id,
        "created_at": iso(incident.created_at),
        "resolved_at": iso(incident.resolved_at),
    }


def incident_line(incident: Incident) -> str:
    element = f" at {incident.element_id}" if incident.element_id else ""
    return (
        f"#{incident.pk}  {incident.status}  instance {incident.instance_id} "
        f"({incident.instance.business_key}){element}  "
        f"attempts {incident.attempts}  {incident.message}"
    )


def unrouted_dict(message: UnroutedMessage) -> dict[str, Any]:
    return {
        "id": str(message.pk),
        "name": message.name,
        "business_key": message.business_key,
        "payload": message.payload,
        "status": message.status,
        "created_at": iso(message.created_at),
    }


def unrouted_line(message: UnroutedMessage) -> str:
    key = message.business_key or "-"
    return f"#{message.pk}  {message.name}  key {key}  at {when(message.created_at)}"


def section(title: str, lines: list[str]) -> list[str]:
    """Indent lines under a title; say "none" rather than print an empty section."""
    return [f"{title}:", *([f"  {line}" for line in lines] or ["  none"])]
