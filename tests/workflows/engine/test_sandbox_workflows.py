"""Whole processes run through the sandbox; refusals surface as task errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from workflows.engine.sandbox import build_script_engine

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="sandbox_definitions" targetNamespace="http://example.org/sandbox">
  <bpmn:process id="route_request" isExecutable="true">
    <bpmn:startEvent id="start">
      <bpmn:outgoing>to_score</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="to_score" sourceRef="start" targetRef="score_request" />
    <bpmn:scriptTask id="score_request" scriptFormat="python">
      <bpmn:incoming>to_score</bpmn:incoming>
      <bpmn:outgoing>to_route</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="to_route" sourceRef="score_request" targetRef="route" />
    <bpmn:exclusiveGateway id="route" default="to_standard">
      <bpmn:incoming>to_route</bpmn:incoming>
      <bpmn:outgoing>to_large</bpmn:outgoing>
      <bpmn:outgoing>to_standard</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="to_large" sourceRef="route" targetRef="mark_large">
      <bpmn:conditionExpression>total &gt;= 10000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="to_standard" sourceRef="route" targetRef="mark_standard" />
    <bpmn:scriptTask id="mark_large" scriptFormat="python">
      <bpmn:incoming>to_large</bpmn:incoming>
      <bpmn:outgoing>to_end_large</bpmn:outgoing>
      <bpmn:script>route_taken = "large"</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:scriptTask id="mark_standard" scriptFormat="python">
      <bpmn:incoming>to_standard</bpmn:incoming>
      <bpmn:outgoing>to_end_standard</bpmn:outgoing>
      <bpmn:script>route_taken = "standard"</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="to_end_large" sourceRef="mark_large" targetRef="end_large" />
    <bpmn:sequenceFlow id="to_end_standard" sourceRef="mark_standard"
        targetRef="end_standard" />
    <bpmn:endEvent id="end_large">
      <bpmn:incoming>to_end_large</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:endEvent id="end_standard">
      <bpmn:incoming>to_end_standard</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""

SCORE = """\
total = 0
for label, amount in [("principal", 9000), ("interest", 1500)]:
    total += amount
due = (datetime(2026, 1, 5) + timedelta(days=30)).isoformat()
def unused():
    return 0
"""

PEER = Path("/work/shared/peer-bpmn/sample-process-models")


def _workflow(script: str, **engine: Any) -> Any:
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_str(BPMN.format(script=escape(script)).encode(), "route.bpmn")
    spec = parser.get_spec("route_request")
    subprocesses = parser.get_subprocess_specs("route_request")
    return BpmnWorkflow(spec, subprocesses, script_engine=build_script_engine(**engine))


def test_runs_a_script_task_and_gateway_condition_in_the_sandbox():
    workflow = _workflow(SCORE)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    assert workflow.data == {
        "total": 10500,
        "label": "interest",
        "amount": 1500,
        "due": "2026-02-04T00:00:00",
        "route_taken": "large",
    }


def test_takes_the_default_flow_when_the_condition_is_false():
    workflow = _workflow("total = 10")
    workflow.do_engine_steps()
    assert workflow.data == {"total": 10, "route_taken": "standard"}


def test_an_import_in_a_script_task_becomes_a_task_error():
    workflow = _workflow("import os\ntotal = 1")
    with pytest.raises(WorkflowTaskException) as raised:
        workflow.do_engine_steps()
    assert raised.value.error_type == "SyntaxError"
    assert raised.value.task_spec.bpmn_id == "score_request"
    assert "Import statements are not allowed" in str(raised.value)
    assert not workflow.is_completed()


def test_an_endless_script_becomes_a_task_error_naming_the_line():
    workflow = _workflow("total = 0\nwhile True:\n    total += 1", time_limit=0.2)
    with pytest.raises(WorkflowTaskException) as raised:
        workflow.do_engine_steps()
    assert raised.value.error_type == "ExpressionTimeout"
    assert raised.value.line_number in (2, 3)
    [failed] = workflow.get_tasks(state=TaskState.ERROR)
    assert failed.task_spec.bpmn_id == "score_request"


def test_a_refused_condition_becomes_a_task_error():
    workflow = _workflow("total = ().__class__")
    with pytest.raises(WorkflowTaskException, match="__class__"):
        workflow.do_engine_steps()


@pytest.mark.skipif(not PEER.exists(), reason="peer BPMN corpus is not mounted")
def test_runs_the_peer_user_guide_process_with_its_dmn_table():
    """Case spm-user-guide-dmn: slicing, if/else, del() and Python DMN cells."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_files([str(PEER / "user-guide-basics.bpmn")])
    parser.add_dmn_files([str(PEER / "analyze-telephone-number.dmn")])
    workflow = BpmnWorkflow(
        parser.get_spec("Proccess_rlm9uj3"),
        parser.get_subprocess_specs("Proccess_rlm9uj3"),
        script_engine=build_script_engine(),
    )
    workflow.do_engine_steps()
    for element_id, data in (
        (
            "Activity_0v7nz5r",
            {"firstName": "Chuck", "lastName": "Norris", "telephone": "7138686003"},
        ),
        ("Activity_0s0ak1j", {}),
    ):
        [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
        assert task.task_spec.bpmn_id == element_id
        task.data.update(data)
        task.run()
        workflow.do_engine_steps()
    assert workflow.is_completed()
    assert workflow.data["isRealChuckNorris"] is True
    assert workflow.data["whichNumber"] == "Chuck's Personal Number"
    assert workflow.data["telephone_all"] == "1 (713) 868-6003"
    assert "tel_len" not in workflow.data
