"""Messages from outside the process (another system, an operator, a domain event)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User

from audit.services import record
from workflows.access import ledger
from workflows.engine.session_types import ThrownMessage
from workflows.errors import InvalidInputError
from workflows.models import EventSubscription
from workflows.policies import require_permission
from workflows.services.routing import Delivery, route_message
from workflows.services.steps import guarded
from workflows.services.task_data import clean_task_data


def message_deliver(
    *,
    actor: User | None,
    name: str,
    business_key: str | None = None,
    payload: Mapping[str, Any] | None = None,
    system: str = "cli",
) -> Delivery:
    """Deliver a named message to the instance waiting for it, or start one by it.

    A message nobody waits for and no process starts by is kept as an unrouted
    message and reported, never dropped. ``system`` names the part of the system
    that delivers when there is no actor (audited as "system:<name>").
    """
    require_permission(actor, "workflows.deliver_message", "deliver messages")
    if not name:
        raise InvalidInputError("a message name is required")
    cleaned = clean_task_data(payload)
    message = ThrownMessage(name=name, payload=cleaned, correlations={})
    waiting = EventSubscription.objects.filter(
        kind=EventSubscription.Kind.MESSAGE, name=name
    )
    if business_key:
        waiting = waiting.filter(instance__business_key=business_key)
    target = waiting.values_list("instance_id", flat=True).first()

    def body() -> Delivery:
        with ledger.collect() as granted:
            delivery = route_message(message, business_key=business_key, actor=actor)
        record(
            action="message.deliver",
            actor=actor,
            system="" if actor else system,
            target=delivery.instance or delivery.unrouted,
            case_number=delivery.instance.business_key if delivery.instance else "",
            department_code=(
                str(delivery.instance.labels.get("department_code") or "")
                if delivery.instance
                else ""
            ),
            process_instance_id=str(delivery.instance.pk) if delivery.instance else "",
            detail={
                "message": name,
                "business_key": business_key or "",
                "started": delivery.started,
                "unrouted": delivery.unrouted is not None,
                "grants": granted,
            },
        )
        return delivery

    operation = {
        "kind": "message",
        "name": name,
        "business_key": business_key,
        "payload": cleaned,
    }
    return guarded(body, instance_id=target, operation=operation, actor=actor)
