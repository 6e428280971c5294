"""Route messages: to a waiting instance by name and correlation, else start one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from workflows.engine.errors import EngineStepError, MessageNotAwaitedError
from workflows.engine.runner import ProcessSession
from workflows.engine.session_types import ThrownMessage
from workflows.models import (
    EventSubscription,
    ProcessDefinition,
    ProcessInstance,
    UnroutedMessage,
)
from workflows.services.steps import advance, lock_instance, start_instance

# A model whose instances keep answering each other would never finish a step.
MAX_HOPS = 16


@dataclass(frozen=True)
class Delivery:
    """Where a message went: an existing instance, a new one, or the unrouted store."""

    instance: ProcessInstance | None
    started: bool
    unrouted: UnroutedMessage | None = None


def correlates(waiting: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    """Match correlation keys the way the engine does (first message sets them)."""
    if not waiting or not incoming:
        return True
    return any(incoming.get(key) == waiting.get(key) for key in incoming)


def _deliver_to_waiting(
    message: ThrownMessage,
    *,
    business_key: str | None,
    exclude: ProcessInstance | None,
    actor: User | None,
    from_engine: bool,
    depth: int,
) -> ProcessInstance | None:
    candidates = EventSubscription.objects.filter(
        kind=EventSubscription.Kind.MESSAGE,
        name=message.name,
        instance__status__in=[
            ProcessInstance.Status.RUNNING,
            ProcessInstance.Status.ERROR,
        ],
    ).order_by("id")
    if business_key:
        candidates = candidates.filter(instance__business_key=business_key)
    if exclude is not None:
        candidates = candidates.exclude(instance=exclude)
    for subscription in candidates:
        if not correlates(subscription.correlations, message.correlations):
            continue
        instance = lock_instance(subscription.instance_id)

        def deliver(session: ProcessSession) -> None:
            session.deliver(
                message.name,
                message.payload,
                message.correlations if from_engine else None,
                from_engine=from_engine,
            )

        try:
            advance(instance, actor=actor, apply=deliver, depth=depth + 1)
        except MessageNotAwaitedError:
            continue
        return instance
    return None


def _start_by_message(
    message: ThrownMessage,
    *,
    business_key: str | None,
    source: ProcessInstance | None,
    actor: User | None,
    from_engine: bool,
    depth: int,
) -> ProcessInstance | None:
    definitions = [
        d
        for d in ProcessDefinition.objects.latest_versions().defer("sources")
        if message.name in d.message_starts
    ]
    if not definitions:
        return None
    definition = ProcessDefinition.objects.get(pk=definitions[0].pk)

    def deliver(session: ProcessSession) -> None:
        session.deliver(
            message.name,
            message.payload,
            message.correlations if from_engine else None,
            from_engine=from_engine,
        )

    key = business_key or (
        source.business_key if source else f"MSG-{uuid.uuid4().hex[:12]}"
    )
    outcome = start_instance(
        definition,
        actor=actor,
        business_key=key,
        data={},
        labels=source.labels if source else None,
        initiator=source.initiator if source else actor,
        started_by=source,
        first=deliver,
        depth=depth + 1,
    )
    return outcome.instance


def route_message(
    message: ThrownMessage,
    *,
    business_key: str | None = None,
    source: ProcessInstance | None = None,
    actor: User | None = None,
    from_engine: bool = False,
    depth: int = 0,
) -> Delivery:
    """Deliver a message to whoever waits for it; keep it when nobody does."""
    if depth > MAX_HOPS:
        raise EngineStepError(
            f"message {message.name!r} bounced more than {MAX_HOPS} times"
        )
    found = _deliver_to_waiting(
        message,
        business_key=business_key,
        exclude=source,
        actor=actor,
        from_engine=from_engine,
        depth=depth,
    )
    if found is not None:
        return Delivery(found, started=False)
    started = _start_by_message(
        message,
        business_key=business_key,
        source=source,
        actor=actor,
        from_engine=from_engine,
        depth=depth,
    )
    if started is not None:
        return Delivery(started, started=True)
    unrouted = UnroutedMessage.objects.create(
        name=message.name,
        business_key=business_key or (source.business_key if source else ""),
        payload=message.payload,
        correlations=dict(message.correlations),
        source_instance=source,
    )
    return Delivery(None, started=False, unrouted=unrouted)


def route_thrown(
    source: ProcessInstance,
    messages: list[ThrownMessage],
    *,
    actor: User | None,
    depth: int,
) -> None:
    """Route every message an instance threw during a step."""
    for message in messages:
        route_message(
            message, source=source, actor=actor, from_engine=True, depth=depth
        )
