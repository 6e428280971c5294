"""Service scenarios of the case filers and actions (workflows/credit/cases)."""

from __future__ import annotations

from tests.audit.scenario_support import (
    CASE,
    CR,
    Call,
    Ctx,
    Scenario,
    _decided_objection,
    _supplement_requested,
    call,
)
from tests.credit.processes.test_list_support import SERIOUS, propose
from tests.credit.processes.test_redlist_support import clean_subject, nominate, review
from tests.credit.processes.test_repair import COMMITMENT, file_repair, make_repairable
from workflows.credit.models import Case


def _objection_file(c: Ctx) -> Call:
    data = {"record": c.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return call(f"{CR}.cases.objection.objection_file", actor=c.rep, data=data)


def _objection_appeal(c: Ctx) -> Call:
    case = _decided_objection(c)
    return call(
        f"{CR}.cases.objection.objection_appeal",
        actor=c.rep,
        case=case,
        data={"reason": "记录仍有误"},
    )


def _case_supplement(c: Ctx) -> Call:
    case = _supplement_requested(c)
    return call(
        f"{CR}.cases.common.case_supplement",
        actor=c.rep,
        case=case,
        data={"note": "已补充"},
    )


def _repair_file(c: Ctx) -> Call:
    make_repairable(c.world)
    data = {"record": c.record.pk, "reason": "罚款已缴清", "commitment": COMMITMENT}
    return call(f"{CR}.cases.repair.repair_file", actor=c.rep, data=data)


def _repair_revoke(c: Ctx) -> Call:
    from tests.credit.processes.test_repair_paths import grant

    make_repairable(c.world)
    case = file_repair(c.world)
    grant(c.world, case)
    case = Case.objects.get(pk=case.pk)
    return call(
        f"{CR}.cases.repair.repair_revoke",
        actor=c["scj_head"],
        case=case,
        data={"reason": "承诺未履行"},
    )


def _list_entry_file(c: Ctx) -> Call:
    assert c.world.subject is not None
    data = {
        "subject": c.world.subject.pk,
        "list_type": SERIOUS,
        "basis": "拒不履行法定义务",
        "evidence": ["处罚决定书"],
        "record": c.record.pk,
    }
    return call(f"{CR}.cases.lists.list_entry_file", actor=c["scj_reviewer"], data=data)


def _list_entry_statement(c: Ctx) -> Call:
    case = propose(c.world)
    return call(
        f"{CR}.cases.lists.list_entry_statement",
        actor=c.rep,
        case=case,
        data={"statement": "处罚决定已被撤销"},
    )


def _redlist_file(c: Ctx) -> Call:
    subject = clean_subject(c.world)
    data = {
        "subject": subject.code,
        "department": "SCJ",
        "grounds": "连续三年无不良记录",
    }
    return call(f"{CR}.cases.redlist.redlist_file", actor=c["scj_head"], data=data)


def _redlist_object(c: Ctx) -> Call:
    case = nominate(c.world, clean_subject(c.world))
    review(c.world, case)
    return call(
        f"{CR}.cases.redlist.redlist_object",
        actor=c.rep,
        case=case,
        data={"reason": "曾有欠税", "evidence": "税务文书"},
    )


CASES: dict[str, Scenario] = {
    f"{CR}.cases.objection.objection_file": Scenario(
        "case.file", _objection_file, CASE
    ),
    f"{CR}.cases.objection.objection_appeal": Scenario(
        "case.appeal", _objection_appeal, CASE | {"message.deliver", "case.file"}
    ),
    f"{CR}.cases.common.case_supplement": Scenario(
        "case.supplement", _case_supplement, CASE | {"message.deliver"}
    ),
    f"{CR}.cases.repair.repair_file": Scenario("case.file", _repair_file, CASE),
    f"{CR}.cases.repair.repair_revoke": Scenario("repair.revoke", _repair_revoke, CASE),
    f"{CR}.cases.lists.list_entry_file": Scenario("case.file", _list_entry_file, CASE),
    f"{CR}.cases.lists.list_entry_statement": Scenario(
        "case.statement", _list_entry_statement, CASE | {"message.deliver"}
    ),
    f"{CR}.cases.redlist.redlist_file": Scenario("case.file", _redlist_file, CASE),
    f"{CR}.cases.redlist.redlist_object": Scenario(
        "redlist.objection", _redlist_object, CASE | {"message.deliver"}
    ),
}
