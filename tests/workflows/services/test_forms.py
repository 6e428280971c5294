"""Task forms: a form key must resolve at deploy, and submitted data must fit it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.services.conftest import audited, open_task
from workflows.cli.inputs import model_files
from workflows.engine.forms import form_for
from workflows.engine.parsing import SourceFile
from workflows.errors import InvalidInputError
from workflows.loading import compiled_for
from workflows.models import HumanTask, ProcessInstance
from workflows.services.deploy import DeployResult, definition_deploy
from workflows.services.instances import process_start
from workflows.services.tasks import (
    task_claim,
    task_complete,
    task_delegate,
    task_resolve,
)

pytestmark = pytest.mark.django_db

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
                  id="form_check_definitions"
                  targetNamespace="http://example.org/credit/tests">
  <bpmn:process id="form_check" name="Decide with a form" isExecutable="true">
    <bpmn:startEvent id="asked">
      <bpmn:outgoing>to_decide</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="decide" name="Decide">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="candidate_group" value="reviewers"/>
          <spiffworkflow:property name="{prop}" value="{value}"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>to_decide</bpmn:incoming>
      <bpmn:outgoing>to_decided</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="decided">
      <bpmn:incoming>to_decided</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="to_decide" sourceRef="asked" targetRef="decide"/>
    <bpmn:sequenceFlow id="to_decided" sourceRef="decide" targetRef="decided"/>
  </bpmn:process>
</bpmn:definitions>
"""
CALLER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  id="form_caller_definitions"
                  targetNamespace="http://example.org/credit/tests">
  <bpmn:process id="form_caller" name="Call the decision" isExecutable="true">
    <bpmn:startEvent id="caller_started">
      <bpmn:outgoing>to_call_decision</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:callActivity id="call_decision" calledElement="form_check">
      <bpmn:incoming>to_call_decision</bpmn:incoming>
      <bpmn:outgoing>to_caller_done</bpmn:outgoing>
    </bpmn:callActivity>
    <bpmn:endEvent id="caller_done">
      <bpmn:incoming>to_caller_done</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="to_call_decision" sourceRef="caller_started"
                       targetRef="call_decision"/>
    <bpmn:sequenceFlow id="to_caller_done" sourceRef="call_decision"
                       targetRef="caller_done"/>
  </bpmn:process>
</bpmn:definitions>
"""
DECISION_FORM: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "决定 Decision",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "approved": {"title": "结论 Approved", "type": "boolean"},
        "comment": {"title": "意见 Comment", "type": "string", "maxLength": 20},
    },
    "required": ["approved"],
    "allOf": [
        {
            "if": {
                "properties": {"approved": {"const": False}},
                "required": ["approved"],
            },
            "then": {"required": ["comment"]},
        }
    ],
}


def _model(prop: str = "form_key", value: str = "decision_form") -> SourceFile:
    text = MODEL.replace("{prop}", prop).replace("{value}", value)
    return SourceFile("form_check.bpmn", text.encode())


def _json(name: str, content: Any) -> SourceFile:
    text = content if isinstance(content, str) else json.dumps(content)
    return SourceFile(name, text.encode())


@pytest.fixture
def deploy_files(operator: Any) -> Callable[..., DeployResult]:
    def run(*files: SourceFile) -> DeployResult:
        return definition_deploy(actor=operator, files=list(files), create_groups=True)

    return run


def _refused(deploy: Callable[..., DeployResult], *files: SourceFile) -> list[str]:
    with pytest.raises(InvalidInputError, match="cannot be deployed") as refused:
        deploy(*files)
    return refused.value.problems


@pytest.fixture
def decide(
    deploy_files: Callable[..., DeployResult], operator: Any
) -> tuple[HumanTask, ProcessInstance]:
    """The open ``decide`` task of a new instance, its form deployed with it."""
    deploy_files(_model(), _json("decision_form.json", DECISION_FORM))
    instance = process_start(
        actor=operator, process_id="form_check", business_key="FORM-1", data={}
    )
    return open_task(instance, "decide"), instance


def _problems(task: HumanTask, actor: Any, data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInputError, match="表单有误 The form has errors") as exc:
        task_complete(actor=actor, task_id=task.pk, data=data)
    return exc.value.problems


def test_a_field_the_form_does_not_declare_is_refused_and_nothing_changes(
    decide: tuple[HumanTask, ProcessInstance], reviewer: Any
) -> None:
    task, instance = decide
    state = ProcessInstance.objects.get(pk=instance.pk).state
    with audited():
        problems = _problems(task, reviewer, {"approved": True, "route_to": "SWJ"})
    assert problems == ["route_to: 表单中没有此项 is not a field of this form"]
    assert ProcessInstance.objects.get(pk=instance.pk).state == state
    assert HumanTask.objects.get(pk=task.pk).is_open


def test_a_missing_required_field_is_refused_by_name_and_title(
    decide: tuple[HumanTask, ProcessInstance], reviewer: Any
) -> None:
    task, _instance = decide
    assert _problems(task, reviewer, {}) == [
        "approved: 结论 Approved — 必填 is required"
    ]


def test_a_refusal_needs_the_comment_its_condition_requires(
    decide: tuple[HumanTask, ProcessInstance], reviewer: Any
) -> None:
    task, _instance = decide
    assert _problems(task, reviewer, {"approved": False}) == [
        "comment: 意见 Comment — 必填 is required"
    ]
    assert _problems(task, reviewer, {"approved": False, "comment": "理" * 21}) == [
        "comment: 意见 Comment — 最多20个字 must be at most 20 characters"
    ]


def test_each_field_gets_one_problem_and_every_wrong_field_is_named(
    decide: tuple[HumanTask, ProcessInstance], reviewer: Any
) -> None:
    task, _instance = decide
    problems = _problems(task, reviewer, {"approved": "yes", "comment": 7, "x": 1})
    assert problems == [
        "approved: 结论 Approved — 应为 must be 是或否 true or false",
        "comment: 意见 Comment — 应为 must be 文本 text",
        "x: 表单中没有此项 is not a field of this form",
    ]


def test_a_valid_form_completes_the_task_with_its_data(
    decide: tuple[HumanTask, ProcessInstance], reviewer: Any
) -> None:
    task, instance = decide
    task_complete(
        actor=reviewer, task_id=task.pk, data={"approved": False, "comment": "不符合"}
    )
    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.COMPLETED
    assert instance.result is not None
    assert instance.result["comment"] == "不符合"


def test_a_delegates_draft_may_be_incomplete_but_not_undeclared(
    decide: tuple[HumanTask, ProcessInstance], reviewer: Any, colleague: Any
) -> None:
    task, _instance = decide
    task_claim(actor=reviewer, task_id=task.pk)
    task_delegate(actor=reviewer, task_id=task.pk, to_user=colleague.username)
    with pytest.raises(InvalidInputError) as refused:
        task_resolve(actor=colleague, task_id=task.pk, data={"route_to": "SWJ"})
    assert refused.value.problems == [
        "route_to: 表单中没有此项 is not a field of this form"
    ]
    task_resolve(actor=colleague, task_id=task.pk, data={"comment": "建议不同意"})
    assert HumanTask.objects.get(pk=task.pk).draft == {"comment": "建议不同意"}


def test_the_compiled_form_is_cached_per_version_and_file(
    decide: tuple[HumanTask, ProcessInstance],
) -> None:
    _task, instance = decide
    compiled = compiled_for(instance.definition)
    form = form_for(compiled, "decision_form")
    assert form is not None
    assert form_for(compiled, "decision_form.json") is form
    assert form_for(compiled, "no_such_form") is None


def test_deploy_refuses_a_form_key_without_its_schema_naming_file_line_element(
    deploy_files: Callable[..., DeployResult],
) -> None:
    line = MODEL.splitlines().index('    <bpmn:userTask id="decide" name="Decide">') + 1
    assert _refused(deploy_files, _model()) == [
        f"form_check.bpmn:{line} [decide]: form_key 'decision_form': its form schema "
        "decision_form.json is not among the deployed files (deploy it with the "
        "model, e.g. from bpmn/forms/)"
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param("{", "not valid JSON: ", id="not-json"),
        pytest.param("[1]", "a form schema must be a JSON object", id="not-object"),
        pytest.param(
            {"type": "objekt"},
            "not a valid JSON Schema: $.type: 'objekt' is not valid",
            id="bad-keyword",
        ),
        pytest.param(
            {"properties": {"a": {"$ref": "https://example.org/evil.json"}}},
            "$.properties.a.$ref 'https://example.org/evil.json': only references "
            "inside the file (#/...) are allowed",
            id="remote-ref",
        ),
    ],
)
def test_deploy_refuses_a_form_that_is_no_valid_json_schema_naming_the_file(
    deploy_files: Callable[..., DeployResult], content: Any, problem: str
) -> None:
    [found] = _refused(deploy_files, _model(), _json("decision_form.json", content))
    assert found.startswith(f"decision_form.json: {problem}")


def test_a_json_file_no_task_names_need_only_be_json(
    deploy_files: Callable[..., DeployResult],
) -> None:
    form = _json("decision_form.json", DECISION_FORM)
    deploy_files(_model(), form, _json("ui.json", {"ui:order": ["approved"]}))
    [found] = _refused(deploy_files, _model(), form, _json("ui.json", "{"))
    assert found.startswith("ui.json: not valid JSON")


def test_a_spiff_arena_form_file_is_optional_and_enforced_when_deployed(
    deploy_files: Callable[..., DeployResult], operator: Any, reviewer: Any
) -> None:
    arena = _model("formJsonSchemaFilename", "arena-schema.json")
    deploy_files(arena)
    loose = {"properties": {"approved": {"type": "boolean"}}}
    deploy_files(arena, _json("arena-schema.json", loose))
    instance = process_start(
        actor=operator, process_id="form_check", business_key="ARENA", data={}
    )
    task = open_task(instance, "decide")
    assert _problems(task, reviewer, {"approved": "yes"}) == [
        "approved: 应为 must be 是或否 true or false"
    ]
    task_complete(actor=reviewer, task_id=task.pk, data={"approved": True, "x": 1})
    assert HumanTask.objects.get(pk=task.pk).status == HumanTask.Status.COMPLETED
    broken = _json("arena-schema.json", {"required": "approved"})
    [found] = _refused(deploy_files, arena, broken)
    assert found.startswith("arena-schema.json: not a valid JSON Schema")


def test_a_called_process_brings_its_deployed_forms_along(
    deploy_files: Callable[..., DeployResult], operator: Any, reviewer: Any
) -> None:
    deploy_files(_model(), _json("decision_form.json", DECISION_FORM))
    caller = deploy_files(SourceFile("form_caller.bpmn", CALLER.encode()))
    [process] = [
        p for p in caller.processes if p.definition.process_id == "form_caller"
    ]
    assert set(process.definition.sources) == {
        "form_caller.bpmn",
        "form_check.bpmn",
        "decision_form.json",
    }
    instance = process_start(
        actor=operator, process_id="form_caller", business_key="CALL-1", data={}
    )
    task = open_task(instance, "decide")
    assert _problems(task, reviewer, {"approved": True, "route_to": "SWJ"}) == [
        "route_to: 表单中没有此项 is not a field of this form"
    ]


def test_a_models_folder_deploys_with_its_forms_subfolder(tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "elsewhere").mkdir()
    for name in (
        "a.bpmn",
        "b.dmn",
        "forms/a_form.json",
        "forms/notes.txt",
        "elsewhere/c.json",
    ):
        (tmp_path / name).write_text("x")
    assert [f.name for f in model_files([str(tmp_path)])] == [
        "a.bpmn",
        "b.dmn",
        "a_form.json",
    ]
