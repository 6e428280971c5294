"""Deploy validates models, versions them by content, and is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from tests.workflows.services.conftest import (
    UserFactory,
    audited,
    grant,
    line_of,
    model_file,
    open_task,
)
from workflows.engine.parsing import SourceFile
from workflows.errors import ForbiddenError, InvalidInputError
from workflows.models import ElementLog, ProcessDefinition, ProcessInstance
from workflows.services.deploy import definition_deploy
from workflows.services.tasks import task_complete

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("file_name", "line_marker", "element_id", "message"),
    [
        pytest.param(
            "malformed_xml.bpmn",
            "</bpmn:process>",
            "unclosed_task",
            "malformed XML",
            id="malformed-xml",
        ),
        pytest.param(
            "xsd_violation.bpmn",
            "notABpmnElement",
            "misplaced_task",
            "This element is not expected",
            id="xsd-error",
        ),
        pytest.param(
            "unknown_operation.bpmn",
            'id="call_unknown_operation"',
            "call_unknown_operation",
            "unknown service operation 'launch_rockets'",
            id="unknown-operation",
        ),
        pytest.param(
            "service_task_without_operator.bpmn",
            'id="call_without_operator"',
            "call_without_operator",
            "A Service Task must have an operator",
            id="service-task-without-operator",
        ),
        pytest.param(
            "unsafe_expressions.bpmn",
            'id="route_by_shell"',
            "route_by_shell",
            '"__import__" is an invalid variable name',
            id="gateway-condition-with-__import__",
        ),
        pytest.param(
            "unsafe_expressions.bpmn",
            'id="import_os"',
            "import_os",
            "Import statements are not allowed",
            id="script-with-import-os",
        ),
        pytest.param(
            "calls_missing_process.bpmn",
            'id="call_missing_subprocess"',
            "call_missing_subprocess",
            "calls process 'process_nobody_deployed', which is not deployed",
            id="missing-called-process",
        ),
        pytest.param(
            "unknown_lane_group.bpmn",
            'id="review_in_typo_lane"',
            "review_in_typo_lane",
            "candidate group 'reveiwers' does not exist",
            id="lane-names-no-group",
        ),
    ],
)
def test_invalid_model_is_refused_naming_file_line_and_element(
    operator: Any, file_name: str, line_marker: str, element_id: str, message: str
) -> None:
    path = f"invalid/{file_name}"
    expected_start = f"{file_name}:{line_of(path, line_marker)} [{element_id}]: "

    with audited(), pytest.raises(InvalidInputError) as refused:
        definition_deploy(actor=operator, files=[model_file(path)])

    assert any(
        p.startswith(expected_start) and message in p for p in refused.value.problems
    ), refused.value.problems
    assert not ProcessDefinition.objects.exists()


def test_lane_naming_no_group_is_accepted_with_create_groups_which_creates_it(
    operator: Any,
) -> None:
    with audited("definition.deploy"):
        result = definition_deploy(
            actor=operator,
            files=[model_file("invalid/unknown_lane_group.bpmn")],
            create_groups=True,
        )

    assert result.created_groups == ["reveiwers"]
    assert Group.objects.filter(name="reveiwers").exists()
    event = AuditEvent.objects.get(action="definition.deploy")
    assert event.detail["created_groups"] == ["reveiwers"]
    assert event.actor_id == operator.pk


def test_first_deploy_creates_version_one_and_writes_one_audit_event(
    operator: Any,
) -> None:
    with audited("definition.deploy"):
        result = definition_deploy(
            actor=operator,
            files=[model_file("review_request.bpmn")],
            create_groups=True,
        )

    (deployed,) = result.processes
    assert deployed.created
    assert (deployed.definition.process_id, deployed.definition.version) == (
        "review_request",
        1,
    )
    assert deployed.definition.deployed_by == operator
    event = AuditEvent.objects.get(action="definition.deploy")
    assert event.detail["processes"] == [
        {"id": "review_request", "version": 1, "created": True}
    ]


def test_redeploying_identical_content_is_a_no_op_keeping_the_version(
    deploy: Callable[..., Any],
) -> None:
    first = deploy("review_request").processes[0].definition

    with audited("definition.deploy"):
        again = deploy("review_request").processes[0]

    assert not again.created
    assert again.definition.pk == first.pk
    assert ProcessDefinition.objects.filter(process_id="review_request").count() == 1
    event = AuditEvent.objects.filter(action="definition.deploy").latest("seq")
    assert event.detail["processes"][0]["created"] is False


def test_changed_content_is_version_two_and_a_running_instance_finishes_on_version_one(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    operator: Any,
) -> None:
    deploy("confirm_details")
    running = start("confirm_details", "CASE-V1")
    original = model_file("confirm_details.bpmn")
    renamed = original.content.replace(b"confirm_own_details", b"confirm_again")

    result = definition_deploy(
        actor=operator, files=[SourceFile(original.name, renamed)]
    )

    assert result.processes[0].created
    assert result.processes[0].definition.version == 2
    task = open_task(running, "confirm_own_details")
    task_complete(actor=operator, task_id=task.pk, data={})
    running.refresh_from_db()
    assert running.status == ProcessInstance.Status.COMPLETED
    assert running.definition.version == 1
    assert ElementLog.objects.filter(
        instance=running, element_id="confirm_own_details"
    ).exists()
    newer = start("confirm_details", "CASE-V2")
    assert newer.definition.version == 2
    assert open_task(newer, "confirm_again")


def test_user_without_deploy_permission_is_refused(outsider: Any) -> None:
    with audited(), pytest.raises(ForbiddenError):
        definition_deploy(actor=outsider, files=[model_file("confirm_details.bpmn")])

    assert not ProcessDefinition.objects.exists()


def test_user_with_deploy_permission_may_deploy_without_being_superuser() -> None:
    modeller = grant(
        UserFactory.create(username="modeller"), "workflows.deploy_definition"
    )

    result = definition_deploy(
        actor=modeller, files=[model_file("confirm_details.bpmn")]
    )

    assert result.processes[0].definition.deployed_by == modeller
