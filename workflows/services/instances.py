"""Start processes and manage running instances."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import record
from workflows.access import ledger
from workflows.access.grants import tasks_cancelled
from workflows.errors import ConflictError, InvalidInputError, NotFoundError
from workflows.models import HumanTask, ProcessDefinition, ProcessInstance
from workflows.policies import require_permission
from workflows.services.steps import guarded, lock_instance, start_instance
from workflows.services.task_data import clean_task_data

Actor = User | None


def definition_for_start(
    process_id: str, version: int | None = None
) -> ProcessDefinition:
    """Return the version to start: the given one, or the newest."""
    definitions = ProcessDefinition.objects.filter(process_id=process_id)
    if version is not None:
        definitions = definitions.filter(version=version)
    definition = definitions.order_by("-version").first()
    if definition is None:
        raise NotFoundError(f"process {process_id!r} is not deployed")
    return definition


def process_start(
    *,
    actor: Actor,
    process_id: str,
    business_key: str,
    data: Mapping[str, Any] | None = None,
    labels: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> ProcessInstance:
    """Start the newest (or given) version of a process and run it to a wait state."""
    require_permission(actor, "workflows.start_process", "start processes")
    if not business_key or len(business_key) > 64:
        raise InvalidInputError("a business key of 1 to 64 characters is required")
    cleaned = clean_task_data(data)
    definition = definition_for_start(process_id, version)
    if not definition.plain_start:
        raise InvalidInputError(
            f"process {process_id!r} starts only by message "
            f"({', '.join(definition.message_starts)}): deliver the message instead"
        )

    def body() -> ProcessInstance:
        with ledger.collect() as granted:
            outcome = start_instance(
                definition,
                actor=actor,
                business_key=business_key,
                data=cleaned,
                labels=labels,
            )
        record(
            action="process.start",
            actor=actor,
            system="" if actor else "cli",
            target=outcome.instance,
            case_number=business_key,
            department_code=str(outcome.instance.labels.get("department_code") or ""),
            process_instance_id=str(outcome.instance.pk),
            after={
                "process_id": process_id,
                "version": definition.version,
                "status": outcome.instance.status,
            },
            detail={"grants": granted},
        )
        return outcome.instance

    return guarded(body, instance_id=None, operation={"kind": "start"}, actor=actor)


def _change_status(
    *,
    actor: Actor,
    instance_id: uuid.UUID | str,
    reason: str,
    action: str,
    allowed_from: tuple[str, ...],
    to: str,
) -> ProcessInstance:
    require_permission(actor, "workflows.manage_instance", f"{action} instances")
    if not reason.strip():
        raise InvalidInputError("a reason is required")
    with transaction.atomic():
        try:
            instance = lock_instance(instance_id)
        except (ProcessInstance.DoesNotExist, ValidationError, ValueError):
            raise NotFoundError("no such instance") from None
        if instance.status not in allowed_from:
            raise ConflictError(f"the instance is {instance.get_status_display()}")
        before = instance.status
        instance.status = to
        changed: list[dict[str, str]] = []
        if to == ProcessInstance.Status.TERMINATED:
            instance.ended_at, instance.next_timer_at = timezone.now(), None
            changed = tasks_cancelled(list(instance.tasks.open().only("pk")))
            instance.tasks.open().update(
                status=HumanTask.Status.CANCELLED, completed_at=timezone.now()
            )
            instance.subscriptions.all().delete()
            instance.waiting = []
        instance.save()
        record(
            action=f"instance.{action}",
            actor=actor,
            system="" if actor else "cli",
            target=instance,
            case_number=instance.business_key,
            department_code=str(instance.labels.get("department_code") or ""),
            process_instance_id=str(instance.pk),
            before={"status": before},
            after={"status": to},
            detail={"reason": reason[:500], "grants": changed},
        )
    return instance


def instance_suspend(
    *, actor: Actor, instance_id: uuid.UUID | str, reason: str
) -> ProcessInstance:
    """Pause an instance: no task can be completed and no timer fires until resumed."""
    return _change_status(
        actor=actor,
        instance_id=instance_id,
        reason=reason,
        action="suspend",
        allowed_from=(ProcessInstance.Status.RUNNING, ProcessInstance.Status.ERROR),
        to=ProcessInstance.Status.SUSPENDED,
    )


def instance_resume(
    *, actor: Actor, instance_id: uuid.UUID | str, reason: str
) -> ProcessInstance:
    """Let a suspended instance run again."""
    return _change_status(
        actor=actor,
        instance_id=instance_id,
        reason=reason,
        action="resume",
        allowed_from=(ProcessInstance.Status.SUSPENDED,),
        to=ProcessInstance.Status.RUNNING,
    )


def instance_terminate(
    *, actor: Actor, instance_id: uuid.UUID | str, reason: str
) -> ProcessInstance:
    """End an instance for good; its open tasks are cancelled."""
    return _change_status(
        actor=actor,
        instance_id=instance_id,
        reason=reason,
        action="terminate",
        allowed_from=ProcessInstance.ACTIVE_STATUSES,
        to=ProcessInstance.Status.TERMINATED,
    )
