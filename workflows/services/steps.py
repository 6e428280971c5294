"""The one path every engine state change takes.

Callers lock the instance row, check the actor, then hand a function that changes the
engine session to ``advance``: it loads the saved state onto the cached spec, applies
the change with service tasks routed to the operation registry, runs to the next wait
state, re-projects tasks, subscriptions and timers, saves, and routes thrown messages.
``guarded`` wraps the transaction: if anything inside the engine fails, everything is
rolled back and an incident is recorded in a transaction of its own.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction

from audit.services import record
from workflows.engine.runner import ProcessSession
from workflows.engine.script_engine import service_dispatcher
from workflows.errors import InvalidInputError, RuntimeServiceError, StepFailedError
from workflows.loading import compiled_for
from workflows.models import HumanTask, Incident, ProcessDefinition, ProcessInstance
from workflows.operations import OperationContext, operation_call
from workflows.services.projection import Projection, announce_new_tasks, persist

logger = logging.getLogger(__name__)
T = TypeVar("T")
Apply = Callable[[ProcessSession], None]
Actor = User | None
InstanceRef = uuid.UUID | str | None | Callable[[], uuid.UUID | None]


@dataclass
class StepOutcome:
    """An instance after a step, and what the step did to the inbox."""

    instance: ProcessInstance
    projection: Projection


def _dispatch(instance: ProcessInstance, actor: Actor) -> Any:
    def dispatch(name: str, params: Mapping[str, Any], data: Mapping[str, Any]) -> Any:
        return operation_call(name, OperationContext(instance, actor, data), params)

    return dispatch


def lock_instance(instance_id: uuid.UUID | str) -> ProcessInstance:
    """Lock an instance row for the rest of the transaction and return it."""
    return (
        ProcessInstance.objects.select_for_update(of=("self",))
        .select_related("definition")
        .defer("definition__sources")
        .get(pk=instance_id)
    )


def advance(
    instance: ProcessInstance,
    *,
    actor: Actor,
    apply: Apply,
    depth: int = 0,
    open_tasks: list[HumanTask] | None = None,
) -> StepOutcome:
    """Apply a change to a locked instance's session and save everything it caused."""
    session = ProcessSession.load(compiled_for(instance.definition), instance.state)
    with service_dispatcher(_dispatch(instance, actor)):
        apply(session)
    projection = persist(instance, session, open_tasks=open_tasks)
    announce_new_tasks(projection, actor)
    if session.thrown:
        from workflows.services.routing import route_thrown

        route_thrown(instance, session.thrown, actor=actor, depth=depth)
    return StepOutcome(instance, projection)


def start_instance(
    definition: ProcessDefinition,
    *,
    actor: Actor,
    business_key: str,
    data: Mapping[str, Any],
    labels: Mapping[str, Any] | None = None,
    initiator: Actor = None,
    started_by: ProcessInstance | None = None,
    first: Apply | None = None,
    depth: int = 0,
) -> StepOutcome:
    """Create an instance row, start its engine session and run it to a wait state."""
    instance = ProcessInstance.objects.create(
        definition=definition,
        process_id=definition.process_id,
        business_key=business_key,
        labels=dict(labels or {}),
        initiator=initiator if initiator is not None else actor,
        started_by=started_by,
        state="",
        state_format="",
    )
    compiled = compiled_for(definition)
    with service_dispatcher(_dispatch(instance, actor)):
        session = ProcessSession.start(compiled, data)
        if first is not None:
            first(session)
    projection = persist(instance, session)
    announce_new_tasks(projection, actor)
    if session.thrown:
        from workflows.services.routing import route_thrown

        route_thrown(instance, session.thrown, actor=actor, depth=depth)
    return StepOutcome(instance, projection)


def _open_incident(
    instance_id: uuid.UUID | str,
    operation: Mapping[str, Any],
    exc: BaseException,
    actor: Actor,
    incident_id: int | None,
) -> Incident:
    traceback_id = uuid.uuid4().hex[:16]
    # Only the exception type and frames: exception texts may quote task data.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("incident %s: %s\n%s", traceback_id, type(exc).__name__, frames)
    element = getattr(exc, "element_id", "") or ""
    with transaction.atomic():
        instance = lock_instance(instance_id)
        if incident_id is not None:
            incident = Incident.objects.select_for_update().get(pk=incident_id)
            incident.attempts += 1
            incident.message, incident.traceback_id = str(exc)[:2000], traceback_id
            incident.element_id = element or incident.element_id
            incident.save()
        else:
            incident = Incident.objects.create(
                instance=instance,
                operation=dict(operation),
                element_id=element,
                message=str(exc)[:2000],
                traceback_id=traceback_id,
                actor=actor,
            )
        if instance.is_active:
            instance.status = ProcessInstance.Status.ERROR
            instance.save(update_fields=["status", "updated_at"])
        record(
            action="incident.open",
            actor=actor,
            system="" if actor else "engine",
            target=incident,
            case_number=instance.business_key,
            department_code=str(instance.labels.get("department_code") or ""),
            process_instance_id=str(instance.pk),
            detail={"element": element, "kind": operation.get("kind", "")},
        )
    return incident


def _invalid_input(exc: BaseException) -> InvalidInputError | None:
    """Find an InvalidInputError behind the engine's wrapping of an exception."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, InvalidInputError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def guarded(
    body: Callable[[], T],
    *,
    instance_id: InstanceRef,
    operation: Mapping[str, Any],
    actor: Actor,
    incident_id: int | None = None,
) -> T:
    """Run ``body`` in one transaction; an engine failure becomes an incident.

    ``instance_id`` may be a callable, asked only after a failure, for steps that
    find their instance inside the transaction (the timer job).
    """
    try:
        with transaction.atomic():
            return body()
    except RuntimeServiceError:
        raise
    except Exception as exc:
        refused = _invalid_input(exc)
        if refused is not None and operation.get("kind") == "complete":
            # An operation refused what the person submitted: nothing changed, and
            # they are told why, as for any invalid form. Not an incident.
            raise refused from exc
        if callable(instance_id):
            instance_id = instance_id()
        if (
            instance_id is None
            or not ProcessInstance.objects.filter(pk=instance_id).exists()
        ):
            raise StepFailedError(f"the process could not start: {exc}", 0) from exc
        incident = _open_incident(instance_id, operation, exc, actor, incident_id)
        raise StepFailedError(
            f"the step failed and was rolled back (incident {incident.pk}): {exc}",
            incident.pk,
        ) from exc
