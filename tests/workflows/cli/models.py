"""Small BPMN models the command tests deploy from a temporary directory."""

from __future__ import annotations

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="{process}_definitions" targetNamespace="http://bpmn.io/schema/bpmn">
"""

REVIEW = (
    _HEAD.format(process="cli_review")
    + """  <bpmn:collaboration id="cli_review_collaboration">
    <bpmn:participant id="cli_review_participant" processRef="cli_review" />
  </bpmn:collaboration>
  <bpmn:process id="cli_review" name="Review a request" isExecutable="true">
    <bpmn:laneSet id="cli_review_lanes">
      <bpmn:lane id="reviewers_lane" name="reviewers">
        <bpmn:flowNodeRef>request_received</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>review_request</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>request_reviewed</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="request_received">
      <bpmn:outgoing>to_review</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="to_review" sourceRef="request_received"
        targetRef="review_request" />
    <bpmn:userTask id="review_request" name="Review the request">
      <bpmn:incoming>to_review</bpmn:incoming>
      <bpmn:outgoing>to_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to_end" sourceRef="review_request"
        targetRef="request_reviewed" />
    <bpmn:endEvent id="request_reviewed">
      <bpmn:incoming>to_end</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""
)

# The review is followed by a script that always fails: completing it is an incident.
BROKEN = (
    _HEAD.format(process="cli_broken")
    + """  <bpmn:process id="cli_broken" name="Fail after review" isExecutable="true">
    <bpmn:startEvent id="broken_started">
      <bpmn:outgoing>to_prepare</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="to_prepare" sourceRef="broken_started"
        targetRef="prepare_figures" />
    <bpmn:userTask id="prepare_figures" name="Prepare the figures">
      <bpmn:incoming>to_prepare</bpmn:incoming>
      <bpmn:outgoing>to_divide</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="to_divide" sourceRef="prepare_figures"
        targetRef="divide_by_zero" />
    <bpmn:scriptTask id="divide_by_zero" name="Divide by zero">
      <bpmn:incoming>to_divide</bpmn:incoming>
      <bpmn:outgoing>to_broken_end</bpmn:outgoing>
      <bpmn:script>ratio = 1 / 0</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="to_broken_end" sourceRef="divide_by_zero"
        targetRef="broken_ended" />
    <bpmn:endEvent id="broken_ended">
      <bpmn:incoming>to_broken_end</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""
)

WAIT_AN_HOUR = (
    _HEAD.format(process="cli_wait")
    + """  <bpmn:process id="cli_wait" name="Wait an hour" isExecutable="true">
    <bpmn:startEvent id="wait_started">
      <bpmn:outgoing>to_wait</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="to_wait" sourceRef="wait_started"
        targetRef="one_hour_passed" />
    <bpmn:intermediateCatchEvent id="one_hour_passed">
      <bpmn:incoming>to_wait</bpmn:incoming>
      <bpmn:outgoing>to_wait_end</bpmn:outgoing>
      <bpmn:timerEventDefinition id="one_hour">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT1H"</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="to_wait_end" sourceRef="one_hour_passed"
        targetRef="wait_ended" />
    <bpmn:endEvent id="wait_ended">
      <bpmn:incoming>to_wait_end</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""
)


def line_of(text: str, fragment: str) -> int:
    """Return the 1-based line of the first line containing ``fragment``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise ValueError(fragment)
