"""Timers: due times come from the model, and the beat job fires only due ones."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from audit.models import AuditEvent
from tests.workflows.services.conftest import CLOCK_START, open_task
from workflows.models import ElementLog, EventSubscription, HumanTask, ProcessInstance
from workflows.services.instances import instance_resume, instance_suspend
from workflows.services.timers import timers_fire_due

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


def _reached(instance: ProcessInstance) -> set[str]:
    return set(
        ElementLog.objects.filter(instance=instance).values_list(
            "element_id", flat=True
        )
    )


def _timer_subscriptions(instance: ProcessInstance) -> list[tuple[str, Any]]:
    return list(
        EventSubscription.objects.filter(
            instance=instance, kind=EventSubscription.Kind.TIMER
        ).values_list("element_id", "due_at")
    )


def test_boundary_timer_sets_next_timer_at_from_the_models_duration(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], clock: Any
) -> None:
    deploy("answer_deadline")

    instance = start("answer_deadline", "CASE-40")

    due = CLOCK_START + timedelta(hours=2)
    assert instance.next_timer_at == due
    assert _timer_subscriptions(instance) == [("answer_deadline_passed", due)]


def test_fire_due_fires_only_instances_whose_timer_is_due(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], clock: Any
) -> None:
    deploy("answer_deadline")
    early = start("answer_deadline", "CASE-41")
    clock.shift(timedelta(hours=1))
    late = start("answer_deadline", "CASE-42")

    clock.shift(timedelta(minutes=59))
    assert timers_fire_due().fired == []

    clock.shift(timedelta(minutes=1) + SECOND)
    report = timers_fire_due()

    assert (report.fired, report.failed) == ([early.pk], [])
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == ProcessInstance.Status.COMPLETED
    assert early.next_timer_at is None
    assert "request_expired" in _reached(early)
    assert late.status == ProcessInstance.Status.RUNNING
    assert late.next_timer_at == CLOCK_START + timedelta(hours=3)
    assert open_task(late, "answer_request").status == HumanTask.Status.OPEN
    events = AuditEvent.objects.filter(action="timer.fire")
    assert [e.process_instance_id for e in events] == [str(early.pk)]
    assert timers_fire_due().fired == []


def test_interrupting_boundary_timer_cancels_the_open_task(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    clock: Any,
    reviewer: Any,
) -> None:
    deploy("answer_deadline")
    instance = start("answer_deadline", "CASE-43")
    task = open_task(instance, "answer_request")
    clock.shift(timedelta(hours=2) + SECOND)

    timers_fire_due()

    task.refresh_from_db()
    assert task.status == HumanTask.Status.CANCELLED
    assert task.completed_at is not None
    assert task.completed_by is None
    assert "answer_request" not in _reached(instance)
    # The cancelled task's rights to act were revoked in the firing, and said so.
    fired = AuditEvent.objects.get(action="timer.fire", process_instance_id=instance.pk)
    revoked = [g for g in fired.detail["grants"] if g["on"] == f"task:{task.pk}"]
    assert revoked
    assert {g["action"] for g in revoked} == {"revoke"}


def test_timer_behind_an_event_based_gateway_sets_next_timer_at(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], clock: Any
) -> None:
    deploy("await_reply")

    instance = start("await_reply", "CASE-44")

    due = CLOCK_START + timedelta(hours=3)
    assert instance.next_timer_at == due
    kinds = EventSubscription.objects.filter(instance=instance).values_list(
        "kind", "name"
    )
    assert sorted(kinds) == [("message", "reply"), ("timer", "Three hours passed")]

    clock.shift(timedelta(hours=3) + SECOND)
    assert timers_fire_due().fired == [instance.pk]
    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.COMPLETED
    assert "reply_timed_out" in _reached(instance)
    assert "replied" not in _reached(instance)


def test_due_date_computed_by_the_app_as_iso_text_drives_a_time_date_timer(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], clock: Any
) -> None:
    deploy("wait_until_due")
    # What the working-day calendar would hand over: an aware ISO timestamp.
    due = CLOCK_START + timedelta(days=5, hours=7)

    instance = start("wait_until_due", "CASE-45", {"due_at": due.isoformat()})

    assert instance.next_timer_at == due
    clock.move_to(due - SECOND)
    assert timers_fire_due().fired == []
    clock.move_to(due + SECOND)
    assert timers_fire_due().fired == [instance.pk]
    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.COMPLETED
    assert "due_date_reached" in _reached(instance)


def test_due_date_in_local_time_with_offset_is_read_as_that_instant(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], clock: Any
) -> None:
    deploy("wait_until_due")

    instance = start(
        "wait_until_due", "CASE-46", {"due_at": "2026-01-09T17:30:00+08:00"}
    )

    assert instance.next_timer_at == CLOCK_START + timedelta(
        days=4, hours=8, minutes=30
    )


def test_timers_of_a_suspended_instance_wait_until_it_is_resumed(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    clock: Any,
    operator: Any,
) -> None:
    deploy("answer_deadline")
    instance = start("answer_deadline", "CASE-47")
    instance_suspend(actor=operator, instance_id=instance.pk, reason="inquiry")
    clock.shift(timedelta(hours=2) + SECOND)

    assert timers_fire_due().fired == []

    instance_resume(actor=operator, instance_id=instance.pk, reason="resolved")
    assert timers_fire_due().fired == [instance.pk]
