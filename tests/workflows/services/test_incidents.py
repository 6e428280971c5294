"""A failing step rolls back, becomes an incident, and can be retried."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from audit.models import AuditEvent
from tests.workflows.services.conftest import Registry, grant, open_task
from workflows.engine.script_engine import script_engine
from workflows.errors import ConflictError, ForbiddenError, StepFailedError
from workflows.models import ElementLog, HumanTask, Incident, ProcessInstance
from workflows.selectors.instances import incident_list
from workflows.services.incidents import incident_retry
from workflows.services.tasks import task_complete

pytestmark = pytest.mark.django_db


def _fail_on_completion(
    instance: ProcessInstance, element_id: str, actor: Any
) -> tuple[HumanTask, str, StepFailedError]:
    """Complete a task whose step fails; return it, the prior state and the error."""
    task = open_task(instance, element_id)
    instance.refresh_from_db()
    state_before = instance.state
    with pytest.raises(StepFailedError) as failed:
        task_complete(actor=actor, task_id=task.pk, data={"figures": [1, 2]})
    return task, state_before, failed.value


def _assert_rolled_back(task: HumanTask, state_before: str) -> None:
    task.refresh_from_db()
    assert task.status == HumanTask.Status.CLAIMED
    assert task.completed_by is None
    instance = ProcessInstance.objects.get(pk=task.instance_id)
    assert instance.state == state_before
    assert instance.status == ProcessInstance.Status.ERROR


def test_script_error_rolls_the_step_back_and_opens_an_incident(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    operator: Any,
) -> None:
    deploy("failing_script")
    instance = start("failing_script", "CASE-30", actor=reviewer)

    task, state_before, error = _fail_on_completion(
        instance, "submit_figures", reviewer
    )

    _assert_rolled_back(task, state_before)
    incident = Incident.objects.get(instance=instance)
    assert error.incident_id == incident.pk
    assert incident.element_id == "divide_by_zero"
    assert "division by zero" in incident.message
    assert re.fullmatch(r"[0-9a-f]{16}", incident.traceback_id)
    assert incident.actor == reviewer
    assert incident.status == Incident.Status.OPEN
    assert incident.operation["kind"] == "complete"
    assert list(incident_list(actor=operator)) == [incident]
    reached = ElementLog.objects.filter(instance=instance).values_list(
        "element_id", flat=True
    )
    assert list(reached) == ["figures_requested"]


def test_retry_after_the_cause_is_fixed_resolves_the_incident_and_runs_on(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    operator: Any,
    registry: Registry,
) -> None:
    deploy("registry_check")
    instance = start("registry_check", "CASE-31", {"subject_code": "9131X"}, reviewer)
    task, state_before, error = _fail_on_completion(
        instance, "prepare_lookup", reviewer
    )
    _assert_rolled_back(task, state_before)
    incident = Incident.objects.get(pk=error.incident_id)
    assert incident.element_id == "query_credit_registry"
    assert "unreachable" in incident.message

    registry.online = True
    incident_retry(actor=operator, incident_id=incident.pk)

    incident.refresh_from_db()
    assert incident.status == Incident.Status.RESOLVED
    assert incident.resolved_by == operator
    assert incident.resolved_at is not None
    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.RUNNING
    task.refresh_from_db()
    # The replayed completion is the original actor's, with the original data.
    assert (task.status, task.completed_by) == (HumanTask.Status.COMPLETED, reviewer)
    assert task.outcome == {"figures": [1, 2]}
    answer = open_task(instance, "review_registry_answer")
    assert registry.calls == ["9131X", "9131X"]
    # The grants of the replayed step are listed: by the replayed completion's own
    # event, and (none left over here) by the retry's.
    replayed = AuditEvent.objects.filter(action="task.complete").latest("seq")
    assert any(g["on"] == f"task:{answer.pk}" for g in replayed.detail["grants"])
    retried = AuditEvent.objects.get(action="incident.retry")
    assert retried.detail["grants"] == []
    with pytest.raises(ConflictError, match="already resolved"):
        incident_retry(actor=operator, incident_id=incident.pk)


def test_a_retry_that_fails_again_keeps_the_incident_open_and_counts_it(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    operator: Any,
    registry: Registry,
) -> None:
    deploy("registry_check")
    instance = start("registry_check", "CASE-32", {"subject_code": "X"}, reviewer)
    task, state_before, error = _fail_on_completion(
        instance, "prepare_lookup", reviewer
    )

    with pytest.raises(StepFailedError):
        incident_retry(actor=operator, incident_id=error.incident_id)

    incident = Incident.objects.get()
    assert (incident.status, incident.attempts) == (Incident.Status.OPEN, 2)
    _assert_rolled_back(task, state_before)


def test_retrying_needs_the_retry_permission(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    registry: Registry,
) -> None:
    deploy("registry_check")
    instance = start("registry_check", "CASE-33", {"subject_code": "X"}, reviewer)
    _task, _state, error = _fail_on_completion(instance, "prepare_lookup", reviewer)
    registry.online = True

    with pytest.raises(ForbiddenError):
        incident_retry(actor=reviewer, incident_id=error.incident_id)

    allowed = grant(reviewer, "workflows.retry_incident")
    incident_retry(actor=allowed, incident_id=error.incident_id)
    assert Incident.objects.get().status == Incident.Status.RESOLVED


def test_uncaught_bpmn_error_end_event_is_an_incident_not_a_completion(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], reviewer: Any
) -> None:
    deploy("uncaught_error")
    instance = start("uncaught_error", "CASE-34", actor=reviewer)

    task, state_before, _error = _fail_on_completion(
        instance, "decide_rejection", reviewer
    )

    _assert_rolled_back(task, state_before)
    instance.refresh_from_db()
    assert instance.ended_at is None
    incident = Incident.objects.get(instance=instance)
    assert "uncaught BPMN error" in incident.message
    assert "rejected" in incident.message
    assert incident.element_id == "reject_with_error"


@pytest.fixture
def short_time_limit(settings: Any) -> Iterator[float]:
    """Run expressions under a 0.3 s limit; the engine is built once, so rebuild it."""
    settings.EXPRESSION_TIME_LIMIT_SECONDS = 0.3
    script_engine.cache_clear()
    try:
        yield settings.EXPRESSION_TIME_LIMIT_SECONDS
    finally:
        script_engine.cache_clear()


def test_endless_loop_is_stopped_by_the_time_limit_and_becomes_an_incident(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    reviewer: Any,
    short_time_limit: float,
) -> None:
    deploy("endless_loop")
    instance = start("endless_loop", "CASE-35", actor=reviewer)
    began = time.monotonic()

    task, state_before, _error = _fail_on_completion(instance, "begin_loop", reviewer)

    # Well under the 2 s default: the overridden limit is the one that stopped it.
    assert time.monotonic() - began < short_time_limit + 1.2
    _assert_rolled_back(task, state_before)
    incident = Incident.objects.get(instance=instance)
    assert incident.element_id == "spin_forever"
    assert "time limit" in incident.message
