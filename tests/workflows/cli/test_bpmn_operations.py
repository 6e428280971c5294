"""manage.py bpmn: instance control, delegation, messages, timers and incidents."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.workflows.cli.support import (
    CONFLICT,
    FORBIDDEN,
    INCIDENT,
    Bpmn,
    open_task,
)
from workflows.models import Incident, ProcessInstance

pytestmark = pytest.mark.django_db


def test_suspended_instances_refuse_completion_until_resumed(
    bpmn: Bpmn, started: ProcessInstance, operator: User
) -> None:
    task = open_task(started)

    suspend = bpmn("suspend", "CASE-1", "--reason", "audit check", "--as", "operator")
    refused = bpmn("complete", str(task.pk), "--data", "{}", "--as", "operator")
    resume = bpmn("resume", str(started.pk), "--reason", "checked")

    assert suspend.out.strip() == f"instance {started.pk} (CASE-1) is suspended"
    assert refused.code == CONFLICT
    assert resume.out.strip() == f"instance {started.pk} (CASE-1) is running"


def test_delegation_goes_to_the_colleague_and_resolves_back_to_the_owner(
    bpmn: Bpmn, started: ProcessInstance, reviewer: User, clerk: User
) -> None:
    task = open_task(started)
    bpmn("claim", str(task.pk), "--as", "reviewer")

    delegate = bpmn("delegate", str(task.pk), "--to", "clerk", "--as", "reviewer")
    resolve = bpmn("resolve", str(task.pk), "--data", '{"note": "ok"}', "--as", "clerk")

    assert delegate.out.strip().endswith("claimed, with clerk")
    assert resolve.out.strip().endswith("claimed, with reviewer")
    task.refresh_from_db()
    assert task.draft == {"note": "ok"}


def test_only_section_chiefs_may_reassign(
    bpmn: Bpmn, started: ProcessInstance, clerk: User, reviewer: User
) -> None:
    task = open_task(started)

    refused = bpmn("reassign", str(task.pk), "--to", "reviewer", "--as", "clerk")
    done = bpmn("reassign", str(task.pk), "--to", "reviewer")

    assert refused.code == FORBIDDEN
    assert done.out.strip().endswith("claimed, with reviewer")


def test_a_message_nobody_waits_for_is_kept_and_listed_as_unrouted(
    bpmn: Bpmn, db: None
) -> None:
    sent = bpmn("message", "payment_received", "--key", "CASE-9", "--data", '{"x": 1}')
    listed = bpmn("unrouted")
    as_json = bpmn("unrouted", "--json")

    [kept] = as_json.json()
    assert sent.code == 0, sent.err
    assert sent.out.strip().endswith(f"kept as unrouted message #{kept['id']}")
    assert listed.out.startswith(f"#{kept['id']}  payment_received  key CASE-9")
    assert kept["payload"] == {"x": 1}


def test_fire_timers_prints_what_fired_and_failed(
    bpmn: Bpmn, wait_file: Path, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    bpmn("deploy", str(wait_file))
    bpmn("start", "cli_wait", "--key", "WAIT-1")

    early = bpmn("fire-timers")
    time_machine.shift(timedelta(hours=2))
    due = bpmn("fire-timers")

    assert early.out.strip() == "fired 0, failed 0"
    assert due.out.strip() == "fired 1, failed 0"
    assert ProcessInstance.objects.get(business_key="WAIT-1").status == "completed"


def test_a_failing_script_becomes_an_incident_that_a_retry_reports_still_failing(
    bpmn: Bpmn, broken_file: Path, operator: User
) -> None:
    bpmn("deploy", str(broken_file))
    start = bpmn("--json", "start", "cli_broken", "--key", "BROKEN-1")
    task_id = start.json()["open_tasks"][0]["id"]

    failed = bpmn("complete", task_id, "--data", "{}", "--as", "operator")
    incident = Incident.objects.get()
    listed = bpmn("incidents")
    retried = bpmn("retry", str(incident.pk), "--as", "operator")

    assert failed.code == INCIDENT
    assert f"(incident {incident.pk})" in failed.err
    assert listed.out.startswith(f"#{incident.pk}  open  instance ")
    assert "(BROKEN-1) at divide_by_zero" in listed.out
    assert retried.code == INCIDENT
    assert retried.err.startswith(f"error: incident #{incident.pk} still fails ")
    assert "attempt 2" in retried.err
    incident.refresh_from_db()
    assert (incident.status, incident.attempts) == ("open", 2)
    shown = bpmn("show", "BROKEN-1")
    assert "open incidents:\n  #" in shown.out
    assert "error" in shown.out.splitlines()[0]


def test_a_user_without_permission_cannot_retry_incidents(
    bpmn: Bpmn, clerk: User, db: None
) -> None:
    run = bpmn("retry", "1", "--as", "clerk")

    assert (run.code, run.err.strip()) == (
        FORBIDDEN,
        "error: not allowed to retry incidents",
    )
