"""Verbs about human tasks: list, claim, delegate, reassign, complete and so on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflows.cli.inputs import CliError, json_option, uuid_argument
from workflows.cli.render import Output, section, task_dict, task_line
from workflows.models import HumanTask
from workflows.selectors import instance_details as reads
from workflows.selectors.instances import instance_get
from workflows.selectors.tasks import task_list_for_user
from workflows.services.tasks import (
    Actor,
    task_claim,
    task_complete,
    task_delegate,
    task_reassign,
    task_resolve,
    task_unclaim,
)


def tasks(actor: Actor, options: Mapping[str, Any]) -> Output:
    """List open tasks the actor may see, or one inbox tab (--mine/--queue/--done)."""
    tab = options["tab"]
    instance_id = instance_get(options["instance"]).pk if options["instance"] else None
    if tab is None:
        found = list(reads.open_tasks(actor, instance_id=instance_id))
    elif actor is None:
        raise CliError(f"--{tab} needs --as USERNAME: the system has no inbox")
    else:
        found = list(task_list_for_user(actor, tab=tab, instance_id=instance_id))
    lines = [task_line(t) for t in found] or ["no tasks"]
    return Output([task_dict(t) for t in found], lines)


def _done(verb: str, task: HumanTask) -> Output:
    who = task.assignee.get_username() if task.assignee else "the group queue"
    line = f"{verb} task {task.pk} ({task.element_id}): {task.status}, with {who}"
    return Output(task_dict(task), [line])


def claim(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Take a task from its group queue."""
    if actor is None:
        raise CliError("claim needs --as USERNAME: the system cannot hold a task")
    task_id = uuid_argument(options["task"], "task")
    return _done("claimed", task_claim(actor=actor, task_id=task_id))


def unclaim(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Put a claimed task back into its group queue."""
    task_id = uuid_argument(options["task"], "task")
    return _done("unclaimed", task_unclaim(actor=actor, task_id=task_id))


def delegate(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Hand a task to a colleague who resolves it back."""
    task_id = uuid_argument(options["task"], "task")
    task = task_delegate(actor=actor, task_id=task_id, to_user=options["to"])
    return _done("delegated", task)


def resolve(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Give a delegated task back to its owner."""
    task_id = uuid_argument(options["task"], "task")
    data = json_option(options["data"], "--data")
    return _done("resolved", task_resolve(actor=actor, task_id=task_id, data=data))


def reassign(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Give a task to a named person."""
    task_id = uuid_argument(options["task"], "task")
    task = task_reassign(actor=actor, task_id=task_id, to_user=options["to"])
    return _done("reassigned", task)


def complete(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Complete a task and list the tasks its instance now waits on."""
    task_id = uuid_argument(options["task"], "task")
    data = json_option(options["data"], "--data")
    task = task_complete(actor=actor, task_id=task_id, data=data)
    status = reads.instance_status(task.instance_id)
    following = list(reads.open_tasks(actor, instance_id=task.instance_id))
    lines = [
        f"completed task {task.pk} ({task.element_id}); "
        f"instance {task.instance_id} is {status}",
        *section("open tasks", [task_line(t) for t in following]),
    ]
    data_out = {
        "task": task_dict(task),
        "instance": {"id": str(task.instance_id), "status": status},
        "open_tasks": [task_dict(t) for t in following],
    }
    return Output(data_out, lines)
