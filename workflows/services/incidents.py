"""Retry what failed: the incident's operation runs again in a new step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone

from audit.services import record
from workflows.access import ledger
from workflows.engine.session_types import ThrownMessage
from workflows.errors import ConflictError, InvalidInputError, NotFoundError
from workflows.models import HumanTask, Incident, ProcessInstance
from workflows.policies import require_permission
from workflows.services.routing import route_message
from workflows.services.steps import advance, guarded, lock_instance

Actor = User | None


def _replay(incident: Incident, instance: ProcessInstance, actor: Actor) -> None:
    operation: dict[str, Any] = incident.operation
    kind = operation.get("kind")
    if kind == "timers":
        advance(instance, actor=None, apply=lambda s: s.fire_timers())
    elif kind == "complete":
        from workflows.services.tasks import complete_locked

        task = HumanTask.objects.get(pk=operation["task_id"])
        if not task.is_open:
            raise ConflictError("the task of this incident is no longer open")
        original = (
            get_user_model()
            ._default_manager.filter(pk=operation.get("actor_id") or 0)
            .first()
        )
        complete_locked(
            task, instance, operation.get("data") or {}, actor=original, override=False
        )
    elif kind == "message":
        message = ThrownMessage(operation["name"], operation.get("payload") or {}, {})
        route_message(message, business_key=operation.get("business_key"), actor=actor)
    else:
        raise InvalidInputError(f"incidents of kind {kind!r} cannot be retried")


def _resolve(incident: Incident, instance: ProcessInstance, actor: Actor) -> None:
    incident.status, incident.resolved_at = Incident.Status.RESOLVED, timezone.now()
    incident.resolved_by = actor
    incident.save(update_fields=["status", "resolved_at", "resolved_by"])
    instance.refresh_from_db(fields=["status"])
    still_open = instance.incidents.filter(status=Incident.Status.OPEN).exists()
    if instance.status == ProcessInstance.Status.ERROR and not still_open:
        instance.status = ProcessInstance.Status.RUNNING
        instance.save(update_fields=["status", "updated_at"])


def incident_retry(*, actor: Actor, incident_id: int) -> Incident:
    """Run a failed operation again; resolve the incident if it now succeeds."""
    require_permission(actor, "workflows.retry_incident", "retry incidents")
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        raise NotFoundError("no such incident")
    if incident.status != Incident.Status.OPEN:
        raise ConflictError("the incident is already resolved")

    def body() -> Incident:
        instance = lock_instance(incident.instance_id)
        locked = Incident.objects.select_for_update().get(pk=incident_id)
        if locked.status != Incident.Status.OPEN:
            raise ConflictError("the incident is already resolved")
        if instance.status == ProcessInstance.Status.ERROR:
            # The step runs as on a healthy instance; _resolve sets the final status.
            instance.status = ProcessInstance.Status.RUNNING
        with ledger.collect() as granted:
            _replay(locked, instance, actor)
        _resolve(locked, instance, actor)
        record(
            action="incident.retry",
            actor=actor,
            system="" if actor else "cli",
            target=locked,
            case_number=instance.business_key,
            department_code=str(instance.labels.get("department_code") or ""),
            process_instance_id=str(instance.pk),
            detail={
                "kind": locked.operation.get("kind", ""),
                "attempts": locked.attempts,
                "grants": granted,
            },
        )
        return locked

    run: Callable[[], Incident] = body
    return guarded(
        run,
        instance_id=incident.instance_id,
        operation=incident.operation,
        actor=actor,
        incident_id=incident.pk,
    )
