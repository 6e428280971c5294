"""Operator verbs: messages, timers, incidents and unrouted messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workflows.cli.inputs import EXIT_CODES, CliError, json_option
from workflows.cli.render import (
    Output,
    incident_dict,
    incident_line,
    unrouted_dict,
    unrouted_line,
)
from workflows.errors import StepFailedError
from workflows.models import Incident
from workflows.selectors import instance_details as reads
from workflows.selectors.instances import incident_list, unrouted_message_list
from workflows.services.incidents import incident_retry
from workflows.services.messages import message_deliver
from workflows.services.routing import Delivery
from workflows.services.tasks import Actor
from workflows.services.timers import timers_fire_due


def _where(name: str, delivery: Delivery) -> str:
    instance = delivery.instance
    if instance is None:
        number = delivery.unrouted.pk if delivery.unrouted else "?"
        return (
            f"nobody waits for message {name!r} and no process starts by it: "
            f"kept as unrouted message #{number}"
        )
    if delivery.started:
        return (
            f"message {name!r} started a new instance {instance.pk} "
            f"({instance.process_id}, key {instance.business_key}): {instance.status}"
        )
    return (
        f"message {name!r} delivered to instance {instance.pk} "
        f"(key {instance.business_key}): {instance.status}"
    )


def message(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Deliver a message and say where it went."""
    name, key = options["name"], options["key"]
    delivery = message_deliver(
        actor=actor,
        name=name,
        business_key=key,
        payload=json_option(options["data"], "--data"),
    )
    instance, unrouted = delivery.instance, delivery.unrouted
    data = {
        "message": name,
        "business_key": key,
        "instance_id": str(instance.pk) if instance else None,
        "instance_status": instance.status if instance else None,
        "started": delivery.started,
        "unrouted_id": str(unrouted.pk) if unrouted else None,
    }
    return Output(data, [_where(name, delivery)])


def fire_timers(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Fire every due timer and count what fired and what failed."""
    report = timers_fire_due(actor=actor)
    lines = [f"fired {len(report.fired)}, failed {len(report.failed)}"]
    lines += [f"failed: instance {pk} (see incidents)" for pk in report.failed]
    data = {
        "fired": [str(pk) for pk in report.fired],
        "failed": [str(pk) for pk in report.failed],
    }
    return Output(data, lines)


def incidents(actor: Actor, options: Mapping[str, Any]) -> Output:
    """List open incidents, or every incident with --all."""
    found = list(
        incident_list(
            actor=actor, status=None if options["all"] else Incident.Status.OPEN
        )
    )
    empty = "no incidents" if options["all"] else "no open incidents"
    lines = [incident_line(i) for i in found] or [empty]
    return Output([incident_dict(i) for i in found], lines)


def retry(actor: Actor, options: Mapping[str, Any]) -> Output:
    """Run an incident's failed step again and say whether it now succeeds."""
    incident_id = options["incident"]
    try:
        incident = incident_retry(actor=actor, incident_id=incident_id)
    except StepFailedError as exc:
        attempts = reads.incident_attempts(incident_id)
        raise CliError(
            f"incident #{incident_id} still fails (attempt {attempts}): "
            f"{exc.__cause__ or exc}",
            EXIT_CODES["incident"],
        ) from exc
    status = reads.instance_status(incident.instance_id)
    line = (
        f"incident #{incident.pk} resolved; instance {incident.instance_id} is {status}"
    )
    return Output({**incident_dict(incident), "instance_status": status}, [line])


def unrouted(actor: Actor, options: Mapping[str, Any]) -> Output:
    """List messages nobody waited for."""
    found = list(unrouted_message_list(actor=actor))
    lines = [unrouted_line(m) for m in found] or ["no unrouted messages"]
    return Output([unrouted_dict(m) for m in found], lines)
