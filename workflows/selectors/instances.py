"""Process instance, definition and incident queries for operators."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from workflows.errors import NotFoundError
from workflows.models import (
    Incident,
    ProcessDefinition,
    ProcessInstance,
    UnroutedMessage,
)
from workflows.policies import Actor, require_permission


def require_operator_view(actor: Actor) -> None:
    """Raise unless the actor may read the runtime's operational data."""
    require_permission(
        actor, "workflows.view_processinstance", "view process instances"
    )


def definition_list(
    *, actor: Actor, process_id: str | None = None
) -> QuerySet[ProcessDefinition]:
    """List deployed versions, newest first, without their sources."""
    require_operator_view(actor)
    definitions = ProcessDefinition.objects.defer("sources").select_related(
        "deployed_by"
    )
    if process_id:
        definitions = definitions.filter(process_id=process_id)
    return definitions.order_by("process_id", "-version")


def instance_list(
    *, actor: Actor, process_id: str | None = None, status: str | None = None
) -> QuerySet[ProcessInstance]:
    """List instances, newest first, without their saved state."""
    require_operator_view(actor)
    instances = ProcessInstance.objects.defer(
        "state", "definition__sources"
    ).select_related("definition")
    if process_id:
        instances = instances.filter(process_id=process_id)
    if status:
        instances = instances.filter(status=status)
    return instances.order_by("-started_at")


def instance_get(id_or_key: str | uuid.UUID) -> ProcessInstance:
    """Find an instance by id or, failing that, the newest with that business key."""
    instances = ProcessInstance.objects.select_related("definition", "initiator")
    try:
        return instances.get(pk=uuid.UUID(str(id_or_key)))
    except (ValueError, ProcessInstance.DoesNotExist):
        found = (
            instances.filter(business_key=str(id_or_key))
            .order_by("-started_at")
            .first()
        )
    if found is None:
        raise NotFoundError(f"no instance {id_or_key}")
    return found


def incident_list(
    *, actor: Actor, status: str | None = Incident.Status.OPEN
) -> QuerySet[Incident]:
    """List incidents (open ones by default), newest first."""
    require_operator_view(actor)
    incidents = Incident.objects.select_related("instance")
    if status:
        incidents = incidents.filter(status=status)
    return incidents.order_by("-created_at")


def unrouted_message_list(*, actor: Actor) -> QuerySet[UnroutedMessage]:
    """List messages nobody waited for, newest first."""
    require_operator_view(actor)
    return UnroutedMessage.objects.filter(
        status=UnroutedMessage.Status.PENDING
    ).order_by("-created_at")
