"""The verbs of ``manage.py bpmn``; each calls services or selectors only."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workflows.cli.render import Output
from workflows.cli.verbs import instances, models, operations, tasks
from workflows.services.tasks import Actor

Verb = Callable[[Actor, Mapping[str, Any]], Output]

VERBS: dict[str, Verb] = {
    "deploy": models.deploy,
    "definitions": models.definitions,
    "instances": instances.instances,
    "show": instances.show,
    "start": instances.start,
    "suspend": instances.suspend,
    "resume": instances.resume,
    "terminate": instances.terminate,
    "tasks": tasks.tasks,
    "claim": tasks.claim,
    "unclaim": tasks.unclaim,
    "delegate": tasks.delegate,
    "resolve": tasks.resolve,
    "reassign": tasks.reassign,
    "complete": tasks.complete,
    "message": operations.message,
    "fire-timers": operations.fire_timers,
    "incidents": operations.incidents,
    "retry": operations.retry,
    "unrouted": operations.unrouted,
}
