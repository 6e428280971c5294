"""The credit processes' task forms (bpmn/forms/): complete, strict and enforced."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from jsonschema import Draft202012Validator
from lxml import etree

from tests.credit.processes.conftest import World, open_task, work
from workflows.credit.filing import case_file
from workflows.credit.models import Case
from workflows.engine.parsing import SPIFF_NS, SourceFile
from workflows.errors import InvalidInputError
from workflows.models import HumanTask, ProcessInstance
from workflows.services.deploy import definition_deploy

BPMN = Path(settings.BPMN_DIR)
FORMS = BPMN / "forms"
FORM_KEYS = {
    "approval_level",
    "countersign_vote",
    "joint_punishment_feedback",
    "list_entry_sign_decision",
    "list_entry_verify_statement",
    "list_exit_lift_measures",
    "objection_appeal_review",
    "objection_chief_review",
    "objection_extension",
    "objection_formal_check",
    "objection_verify",
    "redlist_review",
    "redlist_verify_objections",
    "repair_acceptance",
    "repair_review",
}
BILINGUAL = re.compile(r"^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]* [A-Z]")


def _form_keys() -> set[str]:
    keys = set()
    for path in BPMN.glob("*.bpmn"):
        root = etree.fromstring(path.read_bytes())
        for node in root.iter(f"{{{SPIFF_NS}}}property"):
            if node.get("name") == "form_key":
                keys.add(str(node.get("value")))
    return keys


def _schema(key: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FORMS / f"{key}.json").read_text("utf-8"))
    return loaded


def _subschemas(schema: Any, where: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(schema, dict):
        yield where, schema
        for key, value in schema.items():
            yield from _subschemas(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _subschemas(value, f"{where}[{index}]")


def test_every_form_key_of_the_models_has_exactly_one_schema() -> None:
    assert _form_keys() == FORM_KEYS
    assert {path.stem for path in FORMS.glob("*.json")} == FORM_KEYS


@pytest.mark.parametrize("key", sorted(FORM_KEYS))
def test_each_form_is_a_strict_bilingual_json_schema(key: str) -> None:
    schema = _schema(key)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert BILINGUAL.match(schema["title"]), schema["title"]
    assert schema["required"]
    for where, node in _subschemas(schema):
        if "properties" in node and "if" not in where and "then" not in where:
            assert node.get("additionalProperties") is False, where
            for name, field in node["properties"].items():
                assert BILINGUAL.match(field.get("title", "")), f"{where}.{name}"
        if node.get("type") == "string" and "enum" not in node:
            assert node.get("maxLength"), where
        if "enum" in node and "title" in node:
            assert set(node["x-labels"]) == set(node["enum"]), where


def _file(world: World) -> Case:
    assert world.rep is not None
    assert world.record is not None
    data = {"record": world.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=world.rep, kind="objection", data=data)


def _refused(user: Any, case: Case, element: str, data: dict[str, Any]) -> list[str]:
    with pytest.raises(InvalidInputError, match="表单有误 The form has errors") as exc:
        work(user, case.number, element, data)
    return exc.value.problems


def _state(case: Case) -> str:
    return ProcessInstance.objects.get(business_key=case.number).state


def test_a_reviewer_cannot_redirect_the_case_to_another_department(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    before = _state(case)
    verified = {
        "request_extension": False,
        "proposed_outcome": "keep",
        "findings": "记录无误 The record is right",
    }
    problems = _refused(
        world["scj_reviewer"],
        case,
        "verify_by_source_department",
        {**verified, "source_department": "SWJ"},
    )
    assert problems == ["source_department: 表单中没有此项 is not a field of this form"]
    assert _state(case) == before
    assert open_task(case.number, "verify_by_source_department").is_open
    work(world["scj_reviewer"], case.number, "verify_by_source_department", verified)
    chief = open_task(case.number, "review_by_section_chief")
    assert chief.candidate_group is not None
    assert chief.candidate_group.name == "SCJ.section_chief"


def test_the_formal_check_names_what_its_result_requires(world: World) -> None:
    case = _file(world)
    clerk = world["xyb_clerk"]
    assert _refused(clerk, case, "formal_check", {}) == [
        "formal_check_result: 审查结论 Result — 必填 is required"
    ]
    assert _refused(clerk, case, "formal_check", {"formal_check_result": "maybe"}) == [
        "formal_check_result: 审查结论 Result — 请从以下选择 choose one of: "
        "受理 Accept, 不予受理 Do not accept, 补正材料 Ask for missing materials"
    ]
    assert _refused(
        clerk, case, "formal_check", {"formal_check_result": "not_accept"}
    ) == [
        "formal_check_reason: 不予受理理由 Reason for not accepting — 必填 is required"
    ]
    assert _refused(
        clerk,
        case,
        "formal_check",
        {"formal_check_result": "supplement", "missing_materials": []},
    ) == [
        "missing_materials: 需补正的材料 Missing materials — "
        "至少填写1项 give at least 1"
    ]
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUBMITTED


def test_the_verification_says_whether_it_asks_for_more_time(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    reviewer = world["scj_reviewer"]
    element = "verify_by_source_department"
    assert _refused(reviewer, case, element, {"proposed_outcome": "keep"}) == [
        "request_extension: 申请延期 Ask for more time — 必填 is required"
    ]
    no_findings = {"request_extension": False, "proposed_outcome": "keep"}
    assert _refused(reviewer, case, element, no_findings) == [
        "findings: 核实情况 Findings — 必填 is required"
    ]
    correct = {
        "request_extension": False,
        "proposed_outcome": "correct",
        "findings": "x",
    }
    assert _refused(reviewer, case, element, correct) == [
        "corrected_content: 更正后的内容 Corrected content — 必填 is required"
    ]
    work(reviewer, case.number, element, {"request_extension": True})
    assert open_task(case.number, "approve_extension")


def test_a_section_chief_who_returns_the_case_must_say_why(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    verified = {"request_extension": False, "proposed_outcome": "keep", "findings": "x"}
    work(world["scj_reviewer"], case.number, "verify_by_source_department", verified)
    chief = world["scj_section_chief"]
    returned = {"chief_approved": False, "chief_comment": "  "}
    assert _refused(chief, case, "review_by_section_chief", returned) == [
        "chief_comment: 审核意见 Comment — 不能为空 must not be blank"
    ]
    work(chief, case.number, "review_by_section_chief", {"chief_approved": True})
    assert Case.objects.get(pk=case.pk).status == Case.Status.DECIDED
    assert not HumanTask.objects.open().filter(case_number=case.number).exists()


def test_deploying_a_model_without_its_forms_is_refused_naming_each_task(
    world: World,
) -> None:
    model = BPMN / "objection.bpmn"
    lines = model.read_text("utf-8").splitlines()
    line = next(n for n, t in enumerate(lines, 1) if 'userTask id="formal_check"' in t)
    with pytest.raises(InvalidInputError) as refused:
        definition_deploy(
            actor=world.admin, files=[SourceFile(model.name, model.read_bytes())]
        )
    assert len(refused.value.problems) == 5
    assert refused.value.problems[0].startswith(
        f"objection.bpmn:{line} [formal_check]: form_key 'objection_formal_check': "
        "its form schema objection_formal_check.json is not among the deployed files"
    )
