"""Drive the credit processes to a real open task of each form in bpmn/forms/.

Each function takes the world and the frozen clock and returns the open task; the
person to act is a member of its candidate group (``actor_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from tests.credit.processes.conftest import World, open_task, work
from tests.credit.processes.test_list_support import (
    CATALOGUE,
    all_applied,
    department_task,
    entry_of,
    lapse_window,
    listed,
    propose,
)
from tests.credit.processes.test_redlist_support import (
    clean_subject,
    nominate,
    pass_notice,
    review,
)
from tests.credit.processes.test_repair import file_repair, make_repairable
from tests.webapp.inbox.conftest import file_objection, new_record
from workflows.credit.filing import case_act
from workflows.credit.models import Case, Measure
from workflows.credit.services.list_exit import list_exit_start
from workflows.models import HumanTask
from workflows.services.instances import process_start

Reach = Callable[[World, Any], HumanTask]


def actor_for(world: World, task: HumanTask) -> User:
    """The world's member of the task's candidate group ("SCJ.head" -> scj_head)."""
    assert task.candidate_group is not None
    return world[task.candidate_group.name.replace(".", "_").lower()]


def make_catalogue(world: World) -> None:
    for code, department, list_types in CATALOGUE:
        Measure.objects.create(
            code=code,
            name=f"惩戒措施 {code}",
            kind=Measure.Kind.MANDATORY,
            implementing_department=world.departments[department],
            list_types=Measure.encode_list_types(list_types),
            legal_basis="国办发〔2020〕49号",
        )


def _accepted(world: World) -> Case:
    case = file_objection(world, new_record(world))
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    return case


def _verified(world: World) -> Case:
    case = _accepted(world)
    data = {"request_extension": False, "proposed_outcome": "keep", "findings": "无误"}
    work(world["scj_reviewer"], case.number, "verify_by_source_department", data)
    return case


def formal_check(world: World, frozen: Any) -> HumanTask:
    return open_task(file_objection(world, new_record(world)).number, "formal_check")


def verify(world: World, frozen: Any) -> HumanTask:
    return open_task(_accepted(world).number, "verify_by_source_department")


def extension(world: World, frozen: Any) -> HumanTask:
    case = _accepted(world)
    data = {"request_extension": True}
    work(world["scj_reviewer"], case.number, "verify_by_source_department", data)
    return open_task(case.number, "approve_extension")


def chief_review(world: World, frozen: Any) -> HumanTask:
    return open_task(_verified(world).number, "review_by_section_chief")


def appeal_review(world: World, frozen: Any) -> HumanTask:
    case = _verified(world)
    work(
        world["scj_section_chief"],
        case.number,
        "review_by_section_chief",
        {"chief_approved": True},
    )
    assert world.rep is not None
    case_act(
        actor=world.rep,
        name="appeal",
        number=case.number,
        data={"reason": "记录仍有误 The record is still wrong"},
    )
    return open_task(case.number, "review_appeal")


def repair_acceptance(world: World, frozen: Any) -> HumanTask:
    make_repairable(world)
    return open_task(file_repair(world).number, "accept_by_source_department")


def _repair_accepted(world: World) -> Case:
    make_repairable(world)
    case = file_repair(world)
    work(
        world["scj_reviewer"],
        case.number,
        "accept_by_source_department",
        {"acceptance_result": "accept"},
    )
    return case


def repair_review(world: World, frozen: Any) -> HumanTask:
    return open_task(_repair_accepted(world).number, "review_repair")


def approval_level(world: World, frozen: Any) -> HumanTask:
    case = _repair_accepted(world)
    data = {"review_opinion": "grant", "review_findings": "整改到位"}
    work(world["scj_reviewer"], case.number, "review_repair", data)
    return open_task(case.number, "approve_at_level")


def verify_statement(world: World, frozen: Any) -> HumanTask:
    case = propose(world)
    assert world.rep is not None
    case_act(
        actor=world.rep,
        name="list_statement",
        number=case.number,
        data={"statement": "处罚决定已被撤销 The penalty was revoked"},
    )
    return open_task(case.number, "verify_statement")


def sign_decision(world: World, frozen: Any) -> HumanTask:
    case = propose(world)
    lapse_window(frozen)
    for user in ("scj_section_chief", "scj_head"):
        vote = {"approval": {"approved": True, "comment": "同意"}}
        work(world[user], case.number, "approve_at_level", vote)
    return open_task(case.number, "sign_listing_decision")


def measures_feedback(world: World, frozen: Any) -> HumanTask:
    make_catalogue(world)
    case = listed(world, frozen)
    return department_task(case, "apply_measures", "SCJ.officer")


def lift_measures(world: World, frozen: Any) -> HumanTask:
    make_catalogue(world)
    case = listed(world, frozen)
    all_applied(world, case)
    exit_case = list_exit_start(
        actor=world["scj_head"], entry=entry_of(case), reason="repair"
    )
    return department_task(exit_case, "lift_measures", "SCJ.officer")


def redlist_review(world: World, frozen: Any) -> HumanTask:
    case = nominate(world, clean_subject(world))
    return open_task(case.number, "review_nomination")


def redlist_objections(world: World, frozen: Any) -> HumanTask:
    case = nominate(world, clean_subject(world))
    review(world, case)
    assert world.rep is not None
    case_act(
        actor=world.rep,
        name="redlist_objection",
        number=case.number,
        data={"reason": "曾有欠税", "evidence": "税务文书"},
    )
    pass_notice(frozen)
    return open_task(case.number, "verify_objections")


def countersign(world: World, frozen: Any) -> HumanTask:
    process_start(
        actor=world.admin,
        process_id="countersign",
        business_key="CS-2026-1",
        data={
            "countersign_groups": ["SCJ.head", "SWJ.head"],
            "countersign_required": 2,
            "proposer": "xyb_head",
        },
    )
    return HumanTask.objects.open().get(
        case_number="CS-2026-1", candidate_group__name="SCJ.head"
    )


REACH: dict[str, Reach] = {
    "objection_formal_check": formal_check,
    "objection_verify": verify,
    "objection_extension": extension,
    "objection_chief_review": chief_review,
    "objection_appeal_review": appeal_review,
    "repair_acceptance": repair_acceptance,
    "repair_review": repair_review,
    "approval_level": approval_level,
    "list_entry_verify_statement": verify_statement,
    "list_entry_sign_decision": sign_decision,
    "joint_punishment_feedback": measures_feedback,
    "list_exit_lift_measures": lift_measures,
    "redlist_review": redlist_review,
    "redlist_verify_objections": redlist_objections,
    "countersign_vote": countersign,
}

# A valid submission of each form, as the browser posts it (field names join the
# schema path with "__").
VALID: dict[str, dict[str, str]] = {
    "objection_formal_check": {
        "formal_check_result": "supplement",
        "missing_materials": "身份证明 Proof of identity\n\n营业执照 Business licence",
    },
    "objection_verify": {
        "request_extension": "false",
        "proposed_outcome": "correct",
        "findings": "核实后更正 corrected after checking",
        "corrected_content": "amount: 500",
    },
    "objection_extension": {"extension_approved": "true"},
    "objection_chief_review": {"chief_approved": "true"},
    "objection_appeal_review": {
        "appeal_upheld": "true",
        "appeal_outcome": "stop_publication",
        "appeal_findings": "复核认定应停止公示",
    },
    "repair_acceptance": {"acceptance_result": "accept"},
    "repair_review": {
        "review_opinion": "reject",
        "review_findings": "未整改到位 not remedied",
        "rejection_reasons": "罚款未缴清 fine unpaid",
    },
    "approval_level": {"approval__approved": "true", "approval__comment": "同意"},
    "list_entry_verify_statement": {
        "proposal_maintained": "true",
        "statement_findings": "复议维持原处罚",
    },
    "list_entry_sign_decision": {
        "listing_decision__reasons": "经查证属实",
        "listing_decision__removal_conditions": "履行法定义务并完成信用修复",
    },
    "joint_punishment_feedback": {
        "measures_feedback__0__measure": "SCJ-01",
        "measures_feedback__0__applied": "true",
        "measures_feedback__1__measure": "SCJ-02",
        "measures_feedback__1__applied": "false",
        "measures_feedback__1__reason": "不适用 not applicable",
        "measures_feedback__2__measure": "",
        "measures_feedback__2__applied": "",
        "measures_feedback__2__reason": "",
    },
    "list_exit_lift_measures": {"lift_confirmation__note": "已解除 lifted"},
    "redlist_review": {"review_approved": "true", "review_comment": "材料齐全"},
    "redlist_verify_objections": {
        "objection_upheld": "false",
        "verification_findings": "异议不成立",
    },
    "countersign_vote": {"vote__approved": "false", "vote__comment": "理由不足"},
}
