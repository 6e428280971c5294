"""Registry of named domain operations that BPMN service tasks may call.

BPMN never carries Python that touches the database: a service task names an
operation here, deploy refuses names that are not registered, and each operation
writes its own audit event in the step's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from audit.services import record
from workflows.models import ProcessInstance


@dataclass(frozen=True)
class OperationContext:
    """What an operation knows of the step that calls it."""

    instance: ProcessInstance
    actor: User | None
    task_data: Mapping[str, Any]


Operation = Callable[..., Any]
_REGISTRY: dict[str, Operation] = {}


def operation(name: str) -> Callable[[Operation], Operation]:
    """Register a function as the service operation ``name``."""

    def register(fn: Operation) -> Operation:
        if name in _REGISTRY:
            raise ValueError(f"operation {name!r} is registered twice")
        _REGISTRY[name] = fn
        return fn

    return register


def operation_names() -> frozenset[str]:
    return frozenset(_REGISTRY)


def operation_call(
    name: str, context: OperationContext, params: Mapping[str, Any]
) -> Any:
    """Run a registered operation; unknown names are a model error."""
    try:
        fn = _REGISTRY[name]
    except KeyError:
        raise LookupError(f"unknown service operation {name!r}") from None
    return fn(context, **params)


@operation("audit_note")
def audit_note(
    context: OperationContext, *, message: str, **detail: Any
) -> dict[str, Any]:
    """Write a milestone the model wants in the audit trail."""
    event = record(
        action="process.note",
        actor=context.actor,
        system="" if context.actor else "engine",
        target=context.instance,
        case_number=context.instance.business_key,
        department_code=str(context.instance.labels.get("department_code") or ""),
        process_instance_id=str(context.instance.pk),
        detail={
            "message": str(message)[:500],
            **{k: str(v)[:200] for k, v in detail.items()},
        },
    )
    return {"audit_seq": event.pk}
