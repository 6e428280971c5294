"""Every peer-BPMN case deploys and runs to its expected end through our services.

The corpus lives in ../shared/peer-bpmn/ (files from other projects, not committed
here). Each case is driven only through the runtime's own operations: deploy,
start, the task inbox, task completion, message delivery and the timer job.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Min
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from workflows.engine.parsing import SourceFile
from workflows.errors import InvalidInputError
from workflows.models import ElementLog, EventSubscription, HumanTask, ProcessInstance
from workflows.services.deploy import definition_deploy
from workflows.services.instances import process_start
from workflows.services.messages import message_deliver
from workflows.services.tasks import task_complete
from workflows.services.timers import timers_fire_due

PEER_DIR = Path(settings.BASE_DIR).parent / "shared" / "peer-bpmn"
MANIFEST = PEER_DIR / "manifest.json"
CASES: list[dict[str, Any]] = (
    json.loads(MANIFEST.read_text())["cases"] if MANIFEST.exists() else []
)
CLOCK_START = datetime.fromisoformat("2026-01-05T09:00:00+00:00")

pytestmark = [
    pytest.mark.skipif(
        not MANIFEST.exists(), reason=f"peer corpus not found at {PEER_DIR}"
    ),
    pytest.mark.django_db,
]


def _duration(value: str) -> timedelta:
    parsed = TimerEventDefinition.parse_iso_duration(value)
    delta: timedelta = TimerEventDefinition.get_timedelta_from_start(
        parsed, CLOCK_START
    )
    return delta


def _users(case: dict[str, Any]) -> User:
    for step in case["steps"]:
        if step.get("expect_assignee"):
            User.objects.get_or_create(username=step["expect_assignee"])
    if case["id"] == "camunda-review-invoice-expression-assignee":
        User.objects.get_or_create(username="mary")
    return User.objects.create_superuser("operator", password=None)


def _instance(main: ProcessInstance, step: dict[str, Any]) -> ProcessInstance:
    if "instance" not in step:
        return main
    # The clock is frozen, so start order is read from the (serial) history ids.
    others = (
        ProcessInstance.objects.filter(process_id=step["instance"])
        .annotate(first_event=Min("history__id"))
        .order_by("first_event")
    )
    found: ProcessInstance = list(others)[step.get("instance_index", 0)]
    return found


def _check_before(instance: ProcessInstance, expected: dict[str, Any]) -> None:
    ready = sorted(
        HumanTask.objects.open()
        .filter(instance=instance)
        .values_list("element_id", flat=True)
    )
    assert ready == sorted(expected.get("ready", [])), "READY tasks differ"
    waiting = sorted(
        (s.kind, s.name) for s in EventSubscription.objects.filter(instance=instance)
    )
    wanted = sorted((w["type"], w["name"]) for w in expected.get("waiting", []))
    assert waiting == wanted, "waiting events differ"


def _complete(instance: ProcessInstance, step: dict[str, Any], operator: User) -> None:
    tasks = HumanTask.objects.open().filter(
        instance=instance, element_id=step["complete"]
    )
    if "mi_index" in step:
        tasks = tasks.filter(loop_index=step["mi_index"])
    task = tasks.order_by("loop_index", "created_at").first()
    assert task is not None, f"no open task {step['complete']}"
    if "lane" in step:
        assert task.lane == step["lane"]
    if "expect_assignee" in step:
        assert task.assignee is not None
        assert task.assignee.get_username() == step["expect_assignee"]
    actor = task.assignee
    if actor is None:
        actor, _ = User.objects.get_or_create(username="worker")
        assert task.candidate_group is not None
        actor.groups.add(task.candidate_group)
    task_complete(actor=actor, task_id=task.pk, data=step.get("data", {}))


def _start(case: dict[str, Any], operator: User) -> ProcessInstance:
    start = case.get("start", {})
    if "message" in start:
        delivery = message_deliver(
            actor=operator,
            name=start["message"],
            business_key=case["id"],
            payload=start.get("payload", {}),
        )
        assert delivery.started
        assert delivery.instance is not None
        return delivery.instance
    return process_start(
        actor=operator,
        process_id=case["process_id"],
        business_key=case["id"],
        data=start.get("data", {}),
    )


def _check_end(main: ProcessInstance, case: dict[str, Any]) -> None:
    expect = case["expect"]
    main.refresh_from_db()
    assert (main.status == ProcessInstance.Status.COMPLETED) == expect["completed"]
    reached = set(
        ElementLog.objects.filter(instance=main).values_list("element_id", flat=True)
    )
    assert set(expect.get("end_events", [])) <= reached
    result = main.result or {}
    for key, value in {
        **expect.get("data", {}),
        **expect.get("data_objects", {}),
    }.items():
        assert result.get(key) == value, f"data {key!r}"
    for other in expect.get("other_instances", []):
        instances = ProcessInstance.objects.filter(process_id=other["process_id"])
        assert instances.exists()
        for instance in instances:
            assert (instance.status == "completed") == other["completed"]
            ends = set(
                ElementLog.objects.filter(instance=instance).values_list(
                    "element_id", flat=True
                )
            )
            assert set(other.get("end_events", [])) <= ends


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_peer_case_runs_to_its_expected_end(case: dict[str, Any], time_machine) -> None:
    # The server runs in its configured zone: naive dates scripts write are local.
    time_machine.move_to(
        CLOCK_START.astimezone(ZoneInfo(settings.TIME_ZONE)), tick=False
    )
    operator = _users(case)
    files = [
        SourceFile(Path(f).name, (PEER_DIR / f).read_bytes()) for f in case["files"]
    ]
    strict = case["verified"].get("xsd_validation", True)
    if not strict:
        # A file that breaks the XSD is refused, naming the problem, unless the
        # administrator imports it knowingly.
        with pytest.raises(InvalidInputError, match=case["verified"]["xsd_error"][:40]):
            definition_deploy(actor=operator, files=files, create_groups=True)
    definition_deploy(
        actor=operator, files=files, create_groups=True, schema_check=strict
    )
    main = _start(case, operator)
    for step in case["steps"]:
        instance = _instance(main, step)
        if "expect_before" in step:
            _check_before(instance, step["expect_before"])
        if "complete" in step:
            _complete(instance, step, operator)
        elif "advance_time" in step:
            time_machine.shift(_duration(step["advance_time"]))
            timers_fire_due()
        elif "message" in step:
            message_deliver(
                actor=operator,
                name=step["message"],
                business_key=main.business_key,
                payload=step.get("payload", {}),
            )
    _check_end(main, case)
