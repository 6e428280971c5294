"""Verbs about process instances: list, show, start, suspend, resume, terminate."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workflows.cli.inputs import CliError, json_option
from workflows.cli.render import (
    Output,
    history_dict,
    history_line,
    incident_dict,
    incident_line,
    instance_dict,
    instance_line,
    section,
    task_dict,
    task_line,
    waiting_dict,
    waiting_line,
)
from workflows.models import ProcessInstance
from workflows.selectors import instance_details as reads
from workflows.selectors.instances import instance_get, instance_list
from workflows.services.instances import (
    instance_resume,
    instance_suspend,
    instance_terminate,
    process_start,
)
from workflows.services.tasks import Actor


def instances(actor: Actor, options: Mapping[str, Any]) -> Output:
    """List instances, newest first, optionally of one process or status."""
    statuses = ProcessInstance.Status.values
    if options["status"] and options["status"] not in statuses:
        raise CliError(f"--status must be one of {', '.join(statuses)}")
    found = list(
        instance_list(
            actor=actor, process_id=options["process"], status=options["status"]
        )
    )
    lines = [instance_line(i) for i in found] or ["no instances"]
    return Output([instance_dict(i) for i in found], lines)


def show(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Show an instance with its open tasks, waiting events, history and incidents."""
    instance = instance_get(options["instance"])
    tasks = list(reads.open_tasks(actor, instance_id=instance.pk))
    waiting = list(reads.waiting_events(instance))
    history = reads.recent_history(instance)
    incidents = list(reads.open_incidents(instance))
    data = {
        "instance": instance_dict(instance),
        "open_tasks": [task_dict(t) for t in tasks],
        "waiting": [waiting_dict(w) for w in waiting],
        "history": [history_dict(h) for h in history],
        "incidents": [incident_dict(i) for i in incidents],
    }
    lines = [
        instance_line(instance),
        f"initiator {instance.initiator.get_username() if instance.initiator else '-'}",
        *section("open tasks", [task_line(t) for t in tasks]),
        *section("waiting for", [waiting_line(w) for w in waiting]),
        *section(
            f"recent history (last {reads.HISTORY_LIMIT})",
            [history_line(h) for h in history],
        ),
        *section("open incidents", [incident_line(i) for i in incidents]),
    ]
    return Output(data, lines)


def start(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Start a process and list the tasks it now waits on."""
    instance = process_start(
        actor=actor,
        process_id=options["process_id"],
        business_key=options["key"],
        data=json_option(options["data"], "--data"),
        labels=json_option(options["labels"], "--labels"),
        version=options["version"],
    )
    tasks = list(reads.open_tasks(actor, instance_id=instance.pk))
    lines = [
        f"started {instance.process_id} v{instance.definition.version} as instance "
        f"{instance.pk} (key {instance.business_key}): {instance.status}",
        *section("open tasks", [task_line(t) for t in tasks]),
    ]
    data = {
        "instance": instance_dict(instance),
        "open_tasks": [task_dict(t) for t in tasks],
    }
    return Output(data, lines)


def _status_change(
    change: Callable[..., ProcessInstance],
) -> Callable[[Actor, Mapping[str, Any]], Output]:
    def verb(actor: Actor, options: Mapping[str, Any]) -> Output:
        found = instance_get(options["instance"])
        instance = change(actor=actor, instance_id=found.pk, reason=options["reason"])
        line = f"instance {instance.pk} ({instance.business_key}) is {instance.status}"
        return Output(instance_dict(instance), [line])

    verb.__doc__ = change.__doc__
    return verb


suspend = _status_change(instance_suspend)
resume = _status_change(instance_resume)
terminate = _status_change(instance_terminate)
