"""Messages start instances, reach the correlated waiter, or are kept as unrouted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from audit.models import AuditEvent
from tests.workflows.services.conftest import open_task
from workflows.errors import ForbiddenError
from workflows.models import (
    ElementLog,
    EventSubscription,
    ProcessInstance,
    UnroutedMessage,
)
from workflows.selectors.instances import unrouted_message_list
from workflows.services.messages import message_deliver
from workflows.services.tasks import task_complete

pytestmark = pytest.mark.django_db


def _waits_for(instance: ProcessInstance, name: str) -> bool:
    return EventSubscription.objects.filter(
        instance=instance, kind=EventSubscription.Kind.MESSAGE, name=name
    ).exists()


def test_message_thrown_by_one_instance_starts_another_at_its_message_start(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
) -> None:
    deploy("case_opener", "case_intake")

    opener = start("case_opener", "CASE-50", {"case_ref": "C-50"}, reviewer)

    opener.refresh_from_db()
    assert opener.status == ProcessInstance.Status.COMPLETED
    intake = ProcessInstance.objects.get(process_id="case_intake")
    assert intake.started_by == opener
    assert intake.business_key == "CASE-50"
    assert intake.initiator == reviewer
    triage = open_task(intake, "triage_case")
    task_complete(actor=reviewer, task_id=triage.pk, data={})
    intake.refresh_from_db()
    assert intake.result is not None
    assert intake.result["opened_case"] == {"case_ref": "C-50"}
    assert not UnroutedMessage.objects.exists()


def test_message_from_outside_starts_a_process_that_starts_only_by_message(
    deploy: Callable[..., Any], operator: Any
) -> None:
    deploy("case_intake")

    delivery = message_deliver(
        actor=operator, name="case_opened", business_key="CASE-51", payload={"a": 1}
    )

    assert delivery.started
    assert delivery.instance is not None
    assert delivery.instance.business_key == "CASE-51"
    triage = open_task(delivery.instance, "triage_case")
    # The started process's first task was granted to its group in this delivery.
    event = AuditEvent.objects.get(action="message.deliver")
    assert any(
        g["on"] == f"task:{triage.pk}" and g["action"] == "grant"
        for g in event.detail["grants"]
    )


def test_thrown_message_reaches_only_the_waiter_whose_correlation_matches(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance]
) -> None:
    deploy("supplement_waiter", "supplement_sender")
    first = start("supplement_waiter", "CASE-52", {"case_ref": "C-52"})
    second = start("supplement_waiter", "CASE-53", {"case_ref": "C-53"})

    start("supplement_sender", "UPLOAD-1", {"case_ref": "C-53", "pages": 3})

    second.refresh_from_db()
    assert second.status == ProcessInstance.Status.COMPLETED
    assert second.result is not None
    assert second.result["supplement"] == {"case_ref": "C-53", "pages": 3}
    first.refresh_from_db()
    assert first.status == ProcessInstance.Status.RUNNING
    assert _waits_for(first, "supplement_received")
    assert not UnroutedMessage.objects.exists()


def test_message_from_outside_is_correlated_by_payload_not_by_arrival_order(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], operator: Any
) -> None:
    deploy("supplement_waiter")
    first = start("supplement_waiter", "CASE-54", {"case_ref": "C-54"})
    second = start("supplement_waiter", "CASE-55", {"case_ref": "C-55"})

    delivery = message_deliver(
        actor=operator,
        name="supplement_received",
        payload={"case_ref": "C-55", "pages": 1},
    )

    assert delivery.instance == second
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ProcessInstance.Status.RUNNING
    assert second.status == ProcessInstance.Status.COMPLETED
    assert "supplement_filed" in ElementLog.objects.filter(instance=second).values_list(
        "element_id", flat=True
    )


def test_message_nobody_waits_for_is_kept_and_reported(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], operator: Any
) -> None:
    deploy("await_reply")
    waiting = start("await_reply", "CASE-56")

    delivery = message_deliver(
        actor=operator,
        name="supplement_received",
        business_key="CASE-56",
        payload={"pages": 2},
    )

    assert delivery.instance is None
    assert not delivery.started
    assert delivery.unrouted is not None
    kept = UnroutedMessage.objects.get()
    assert kept == delivery.unrouted
    assert (kept.name, kept.business_key, kept.payload) == (
        "supplement_received",
        "CASE-56",
        {"pages": 2},
    )
    assert kept.status == UnroutedMessage.Status.PENDING
    assert list(unrouted_message_list(actor=operator)) == [kept]
    event = AuditEvent.objects.get(action="message.deliver")
    assert event.detail["unrouted"] is True
    assert event.target_id == str(kept.pk)
    waiting.refresh_from_db()
    assert waiting.status == ProcessInstance.Status.RUNNING


def test_message_thrown_with_no_receiver_is_kept_with_its_source(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance]
) -> None:
    deploy("supplement_sender")

    sender = start("supplement_sender", "UPLOAD-2", {"case_ref": "C-99", "pages": 1})

    kept = UnroutedMessage.objects.get()
    assert kept.source_instance == sender
    assert kept.name == "supplement_received"
    assert kept.payload == {"case_ref": "C-99", "pages": 1}
    assert kept.business_key == "UPLOAD-2"


def test_message_with_a_business_key_reaches_only_that_instance(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], operator: Any
) -> None:
    deploy("await_reply")
    other = start("await_reply", "CASE-57")
    target = start("await_reply", "CASE-58")

    delivery = message_deliver(actor=operator, name="reply", business_key="CASE-58")

    assert delivery.instance == target
    target.refresh_from_db()
    other.refresh_from_db()
    assert target.status == ProcessInstance.Status.COMPLETED
    assert target.next_timer_at is None
    assert other.status == ProcessInstance.Status.RUNNING
    assert _waits_for(other, "reply")
    assert other.next_timer_at is not None


def test_delivering_messages_needs_the_deliver_permission(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], reviewer: Any
) -> None:
    deploy("await_reply")
    start("await_reply", "CASE-59")

    with pytest.raises(ForbiddenError):
        message_deliver(actor=reviewer, name="reply", business_key="CASE-59")

    assert not UnroutedMessage.objects.exists()
