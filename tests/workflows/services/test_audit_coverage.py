"""Every runtime operation writes one audit event of its own; failures write none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from audit.models import AuditEvent
from audit.verification import chain_verify
from tests.workflows.services.conftest import (
    Registry,
    audit_actions_since,
    audited,
    last_audit_seq,
    open_task,
)
from workflows.errors import ForbiddenError, StepFailedError
from workflows.models import Incident, ProcessInstance
from workflows.services.incidents import incident_retry
from workflows.services.instances import (
    instance_resume,
    instance_suspend,
    instance_terminate,
)
from workflows.services.messages import message_deliver
from workflows.services.tasks import (
    task_claim,
    task_complete,
    task_delegate,
    task_reassign,
    task_resolve,
    task_unclaim,
)
from workflows.services.timers import timers_fire_due

pytestmark = pytest.mark.django_db


def test_task_operations_each_write_exactly_one_event_of_their_action(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    colleague: Any,
    chief: Any,
) -> None:
    with audited("definition.deploy"):
        deploy("review_request")
    with audited("process.start"):
        instance = start("review_request", "CASE-20", {"amount": 3})
    task = open_task(instance, "review_application")

    with audited("task.claim"):
        task_claim(actor=reviewer, task_id=task.pk)
    with audited("task.delegate"):
        task_delegate(actor=reviewer, task_id=task.pk, to_user=colleague.username)
    with audited("task.resolve"):
        task_resolve(actor=colleague, task_id=task.pk, data={"note": "fine"})
    with audited("task.unclaim"):
        task_unclaim(actor=reviewer, task_id=task.pk)
    with audited("task.reassign"):
        task_reassign(actor=chief, task_id=task.pk, to_user=reviewer.username)
    with audited("task.complete"):
        task_complete(actor=reviewer, task_id=task.pk, data={})

    events = AuditEvent.objects.filter(case_number="CASE-20").exclude(
        action__in=["definition.deploy", "notification.send"]
    )
    assert {e.process_instance_id for e in events} == {str(instance.pk)}
    assert chain_verify().ok


def test_instance_operations_each_write_exactly_one_event_of_their_action(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], operator: Any
) -> None:
    deploy("confirm_details")
    instance = start("confirm_details", "CASE-21")

    with audited("instance.suspend"):
        instance_suspend(actor=operator, instance_id=instance.pk, reason="check")
    with audited("instance.resume"):
        instance_resume(actor=operator, instance_id=instance.pk, reason="checked")
    with audited("instance.terminate"):
        instance_terminate(actor=operator, instance_id=instance.pk, reason="dup")

    event = AuditEvent.objects.get(action="instance.terminate")
    assert (event.before, event.after) == (
        {"status": "running"},
        {"status": "terminated"},
    )
    assert event.detail["reason"] == "dup"


def test_message_and_timer_operations_each_write_exactly_one_event(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    operator: Any,
    clock: Any,
) -> None:
    deploy("await_reply")
    by_message = start("await_reply", "CASE-22")
    by_timer = start("await_reply", "CASE-23")

    with audited("message.deliver"):
        message_deliver(actor=operator, name="reply", business_key="CASE-22")
    clock.shift(timedelta(hours=3, seconds=1))
    with audited("timer.fire"):
        report = timers_fire_due()

    assert report.fired == [by_timer.pk]
    fired = AuditEvent.objects.get(action="timer.fire")
    assert fired.actor_label == "system:timers"
    assert fired.process_instance_id == str(by_timer.pk)
    delivered = AuditEvent.objects.get(action="message.deliver")
    assert delivered.process_instance_id == str(by_message.pk)


def test_incident_retry_writes_its_own_event_and_that_of_the_replayed_step(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    operator: Any,
    registry: Registry,
) -> None:
    deploy("registry_check")
    instance = start(
        "registry_check", "CASE-24", {"subject_code": "91310000X"}, actor=reviewer
    )
    task = open_task(instance, "prepare_lookup")
    with audited("incident.open"), pytest.raises(StepFailedError):
        task_complete(actor=reviewer, task_id=task.pk, data={})
    registry.online = True

    with audited("incident.retry", "task.complete"):
        incident_retry(actor=operator, incident_id=Incident.objects.get().pk)


def test_audit_events_of_a_failed_step_roll_back_with_it(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
) -> None:
    deploy("failing_script")
    instance = start("failing_script", "CASE-25", actor=reviewer)
    task = open_task(instance, "submit_figures")
    before = last_audit_seq()

    with pytest.raises(StepFailedError):
        task_complete(actor=reviewer, task_id=task.pk, data={"figures": [1, 2]})

    # The service task's note and the completion were written inside the step,
    # before the script failed; only the incident survives the rollback.
    assert audit_actions_since(before) == {"incident.open": 1}
    assert Incident.objects.get().element_id == "divide_by_zero"
    assert not AuditEvent.objects.filter(action="process.note").exists()
    assert chain_verify().ok


def test_a_refused_operation_writes_no_audit_event(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], outsider: Any
) -> None:
    deploy("review_request")
    instance = start("review_request", "CASE-26", {"amount": 1})
    task = open_task(instance, "review_application")

    with audited(), pytest.raises(ForbiddenError):
        task_claim(actor=outsider, task_id=task.pk)
    with audited(), pytest.raises(ForbiddenError):
        task_complete(actor=outsider, task_id=task.pk, data={})
    with audited(), pytest.raises(ForbiddenError):
        message_deliver(actor=outsider, name="reply", business_key="CASE-26")
