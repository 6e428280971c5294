"""The diagram's element states follow a case through its process."""

from __future__ import annotations

import uuid
from typing import Any

from tests.credit.processes.conftest import World, work
from tests.credit.processes.test_repair import accept, file_repair, review
from workflows.credit.filing import case_file
from workflows.credit.models import Case
from workflows.models import Incident, ProcessInstance
from workflows.selectors.diagram import (
    definition_diagram_xml,
    diagram_instance,
    element_states,
    process_outline,
)


def _objection(world: World) -> Case:
    assert world.rep is not None
    assert world.record is not None
    data = {"record": world.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=world.rep, kind="objection", data=data)


def _instance_id(case: Case) -> uuid.UUID:
    case.refresh_from_db()
    assert case.process_instance_id is not None
    return case.process_instance_id


def _states(case: Case) -> dict[str, str]:
    return element_states(diagram_instance(_instance_id(case)))


def test_a_new_objection_waits_at_the_formal_check(world: World, frozen: Any) -> None:
    states = _states(_objection(world))
    assert states["objection_submitted"] == "completed"
    assert states["formal_check"] == "current"
    assert "verify_by_source_department" not in states


def test_an_accepted_objection_shows_the_check_done_and_verification_current(
    world: World, frozen: Any
) -> None:
    case = _objection(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    states = _states(case)
    assert states["formal_check"] == "completed"
    assert states["accept_objection"] == "completed"
    assert states["verify_by_source_department"] == "current"
    # Only elements of the drawn process, each with a known state.
    outline = process_outline(diagram_instance(_instance_id(case)).definition)
    assert set(states) <= outline.element_ids
    assert set(states.values()) <= {"completed", "current"}


def test_work_in_the_approval_chain_lights_up_the_call_activity(
    world: World, frozen: Any
) -> None:
    from tests.credit.processes.test_repair import make_repairable

    make_repairable(world)
    case = file_repair(world)
    accept(world, case)
    review(world, case)
    states = _states(case)
    # approve_at_level belongs to approval_chain, which repair calls here.
    assert states["approve_repair"] == "current"
    assert "approve_at_level" not in states
    assert states["review_repair"] == "completed"


def test_an_open_incident_marks_its_element(world: World, frozen: Any) -> None:
    case = _objection(world)
    instance = ProcessInstance.objects.get(pk=_instance_id(case))
    Incident.objects.create(
        instance=instance,
        operation={"kind": "timers"},
        element_id="formal_check",
        message="boom",
        traceback_id="abc",
    )
    assert _states(case)["formal_check"] == "incident"


def test_the_diagram_xml_is_the_process_file_without_layout(
    world: World, frozen: Any
) -> None:
    case = _objection(world)
    xml = definition_diagram_xml(diagram_instance(_instance_id(case)).definition)
    assert '<bpmn:process id="objection"' in xml
    assert "BPMNDiagram" not in xml
