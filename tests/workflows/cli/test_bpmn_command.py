"""manage.py bpmn: the runtime's services for scripts and operators."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from tests.workflows.cli.models import REVIEW, line_of
from tests.workflows.cli.support import (
    CONFLICT,
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    Bpmn,
    open_task,
)
from workflows.models import ProcessInstance

pytestmark = pytest.mark.django_db


def test_deploy_refuses_a_lane_whose_group_is_missing_naming_file_line_and_element(
    bpmn: Bpmn, model_dir: Path, deployer: User
) -> None:
    run = bpmn("deploy", str(model_dir / "review.bpmn"), "--as", "deployer")

    line = line_of(REVIEW, '<bpmn:userTask id="review_request"')
    assert run.code == INVALID
    assert run.err.startswith("error: the model cannot be deployed\n")
    assert f"  - review.bpmn:{line} [review_request]: candidate group 'reviewers'" in (
        run.err
    )
    assert "--create-groups" in run.err
    assert not Group.objects.filter(name="reviewers").exists()


def test_deploy_with_create_groups_says_so_and_a_second_deploy_is_unchanged(
    bpmn: Bpmn, model_dir: Path, deployer: User
) -> None:
    first = bpmn("deploy", str(model_dir), "--create-groups", "--as", "deployer")
    second = bpmn("deploy", str(model_dir / "review.bpmn"), "--as", "deployer")

    assert first.code == 0, first.err
    assert first.out.splitlines() == ["cli_review v1 (new)", "created group reviewers"]
    assert Group.objects.filter(name="reviewers").exists()
    assert (second.code, second.out.strip()) == (0, "cli_review v1 (unchanged)")


def test_deploy_without_as_is_audited_as_the_system_via_cli(
    bpmn: Bpmn, model_dir: Path
) -> None:
    run = bpmn("deploy", str(model_dir), "--create-groups")

    event = AuditEvent.objects.get(action="definition.deploy")
    assert run.code == 0, run.err
    assert (event.actor_label, event.via) == ("system:cli", "cli")


def test_a_user_without_permission_cannot_deploy(
    bpmn: Bpmn, model_dir: Path, clerk: User
) -> None:
    run = bpmn("deploy", str(model_dir), "--create-groups", "--as", "clerk")

    assert run.code == FORBIDDEN
    assert run.err.strip() == "error: not allowed to deploy models"
    assert run.out == ""


def test_deploy_of_a_missing_path_is_a_usage_error(bpmn: Bpmn, tmp_path: Path) -> None:
    run = bpmn("deploy", str(tmp_path / "nowhere.bpmn"))

    assert run.code == INVALID
    assert "nowhere.bpmn: no such file or directory" in run.err


def test_a_review_runs_from_start_through_queue_claim_and_complete(
    bpmn: Bpmn, started: ProcessInstance, reviewer: User
) -> None:
    task = open_task(started)

    queue = bpmn("tasks", "--queue", "--as", "reviewer")
    claim = bpmn("claim", str(task.pk), "--as", "reviewer")
    mine = bpmn("--as", "reviewer", "tasks", "--mine")
    complete = bpmn(
        "complete", str(task.pk), "--data", '{"approved": true}', "--as", "reviewer"
    )
    show = bpmn("show", "CASE-1")

    assert queue.code == 0
    assert str(task.pk) in queue.out
    assert "review_request 'Review the request'" in queue.out
    assert "group reviewers" in queue.out
    assert claim.out.strip() == (
        f"claimed task {task.pk} (review_request): claimed, with reviewer"
    )
    assert str(task.pk) in mine.out
    assert complete.code == 0, complete.err
    assert f"instance {started.pk} is completed" in complete.out
    assert show.code == 0, show.err
    assert show.out.splitlines()[0].startswith(f"{started.pk}  cli_review v1  CASE-1")
    assert "completed" in show.out.splitlines()[0]
    assert "review_request (UserTask)" in show.out
    started.refresh_from_db()
    assert started.result is not None
    assert started.result["approved"] is True
    assert started.result["amount"] == 120


def test_show_lists_the_open_task_with_its_group_assignee_and_due_date(
    bpmn: Bpmn, started: ProcessInstance
) -> None:
    run = bpmn("show", str(started.pk))

    assert run.code == 0, run.err
    assert "open tasks:" in run.out
    assert "group reviewers  assignee -  due -" in run.out
    assert "open incidents:\n  none" in run.out


def test_a_second_complete_is_a_conflict_naming_who_completed_it(
    bpmn: Bpmn, started: ProcessInstance, reviewer: User
) -> None:
    task = open_task(started)
    bpmn("complete", str(task.pk), "--data", "{}", "--as", "reviewer")

    again = bpmn("complete", str(task.pk), "--data", "{}", "--as", "reviewer")

    assert again.code == CONFLICT
    assert again.err.startswith(
        "error: task 'Review the request' was already completed by reviewer at "
    )
    assert len(again.err.strip().splitlines()) == 1


def test_a_user_outside_the_group_may_not_claim(
    bpmn: Bpmn, started: ProcessInstance, clerk: User
) -> None:
    run = bpmn("claim", str(open_task(started).pk), "--as", "clerk")

    assert run.code == FORBIDDEN
    assert run.err.strip() == "error: not allowed to claim task Review the request"


def test_json_output_is_one_document_with_string_ids_and_iso_timestamps(
    bpmn: Bpmn, reviewer: User, starter: User
) -> None:
    start = bpmn(
        "--json",
        "start",
        "cli_review",
        "--key",
        "CASE-J",
        "--data",
        "{}",
        "--as",
        "starter",
    )
    tasks = bpmn("tasks", "--queue", "--as", "reviewer", "--json")
    definitions = bpmn("definitions", "--json")

    started = start.json()
    assert started["instance"]["business_key"] == "CASE-J"
    assert uuid.UUID(started["instance"]["id"])
    assert started["instance"]["initiator"] == "starter"
    assert started["open_tasks"] == []  # the starter may not see the reviewers' queue
    [task] = tasks.json()
    assert task["instance_id"] == started["instance"]["id"]
    assert uuid.UUID(task["id"])
    assert task["candidate_group"] == "reviewers"
    assert datetime.fromisoformat(task["created_at"])
    [definition] = definitions.json()
    assert isinstance(definition["id"], str)
    assert (definition["process_id"], definition["version"]) == ("cli_review", 1)


def test_bad_data_json_is_a_clear_error_naming_the_option(
    bpmn: Bpmn, reviewer: User
) -> None:
    run = bpmn("start", "cli_review", "--key", "CASE-2", "--data", "{approved: yes}")

    assert run.code == INVALID
    assert run.err.startswith("error: --data is not valid JSON: ")
    assert not ProcessInstance.objects.exists()


def test_data_that_is_not_an_object_is_refused(bpmn: Bpmn, reviewer: User) -> None:
    run = bpmn("start", "cli_review", "--key", "CASE-2", "--labels", "[1, 2]")

    assert run.code == INVALID
    assert "--labels must be a JSON object" in run.err


def test_an_unknown_as_user_is_a_clear_error(bpmn: Bpmn, db: None) -> None:
    run = bpmn("definitions", "--as", "nobody")

    assert run.code == INVALID
    assert run.err.strip() == "error: --as nobody: no active user with that name"


def test_tabs_need_an_acting_user(bpmn: Bpmn, db: None) -> None:
    run = bpmn("tasks", "--mine")

    assert run.code == INVALID
    assert "--mine needs --as USERNAME" in run.err


def test_unknown_instances_and_tasks_are_not_found(bpmn: Bpmn, db: None) -> None:
    show = bpmn("show", "NO-SUCH-CASE")
    malformed = bpmn("unclaim", "not-a-task-id")
    unknown = bpmn("complete", str(uuid.uuid4()), "--data", "{}")

    assert (show.code, show.err.strip()) == (
        NOT_FOUND,
        "error: no instance NO-SUCH-CASE",
    )
    assert (malformed.code, malformed.err.strip()) == (
        NOT_FOUND,
        "error: no such task 'not-a-task-id'",
    )
    assert (unknown.code, unknown.err.strip()) == (NOT_FOUND, "error: no such task")


def test_the_system_cannot_claim_a_task_for_itself(
    bpmn: Bpmn, started: ProcessInstance
) -> None:
    run = bpmn("claim", str(open_task(started).pk))

    assert run.code == INVALID
    assert "claim needs --as USERNAME" in run.err


def test_a_usage_error_is_a_command_error_when_called_from_code(db: None) -> None:
    with pytest.raises(CommandError, match="invalid int value: 'abc'") as raised:
        call_command("bpmn", "retry", "abc", stdout=StringIO(), stderr=StringIO())

    assert raised.value.returncode == INVALID


def test_a_usage_error_on_the_command_line_is_one_error_line_and_exit_2() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "bpmn", "tasks", "--mine", "--queue"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == INVALID
    assert result.stderr.splitlines() == [
        "error: argument --queue: not allowed with argument --mine "
        "(see 'manage.py bpmn tasks --help')"
    ]
