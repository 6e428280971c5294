"""The objection process, every path, through the domain and runtime services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from notifications.models import Notification
from tests.credit.processes.conftest import World, open_task, work
from workflows.credit.filing import case_act, case_file
from workflows.credit.models import Case, CreditRecord, Document, ListEntry
from workflows.credit.services.attachments import attachment_stage
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from workflows.models import HumanTask, Incident
from workflows.services.timers import timers_fire_due


def _file(world: World, **extra: Any) -> Case:
    assert world.rep is not None
    assert world.record is not None
    data = {
        "record": world.record.pk,
        "grounds": "record_wrong",
        "reason": "罚款金额登记错误 The amount is wrong",
        **extra,
    }
    return case_file(actor=world.rep, kind="objection", data=data)


def _accept(world: World, case: Case) -> None:
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )


def _verify(world: World, case: Case, outcome: str = "correct", **extra: Any) -> None:
    data = {
        "proposed_outcome": outcome,
        "findings": "核实后更正 corrected after checking",
        "corrected_content": {"amount": 500},
        "request_extension": False,
        **extra,
    }
    work(world["scj_reviewer"], case.number, "verify_by_source_department", data)


def _chief(world: World, case: Case, approved: bool = True) -> None:
    work(
        world["scj_section_chief"],
        case.number,
        "review_by_section_chief",
        {"chief_approved": approved, "chief_comment": "" if approved else "请补充核实"},
    )


def _group(task: HumanTask) -> str:
    assert task.candidate_group is not None
    return task.candidate_group.name


def _case(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _record(world: World) -> CreditRecord:
    assert world.record is not None
    return CreditRecord.objects.get(pk=world.record.pk)


def test_an_accepted_objection_corrects_the_record_and_closes_after_the_appeal_window(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    assert case.number.startswith("YY-2026-")
    assert _group(open_task(case.number, "formal_check")) == "XYB.clerk"
    _accept(world, case)
    assert _record(world).status == CreditRecord.Status.UNDER_OBJECTION
    assert open_task(case.number, "verify_by_source_department").due_at is not None
    _verify(world, case)
    _chief(world, case)
    decided = _case(case)
    assert decided.status == Case.Status.DECIDED
    record = _record(world)
    assert record.status == CreditRecord.Status.CORRECTED
    assert record.content["amount"] == 500
    assert record.corrections.count() == 2  # marked, then corrected
    kinds = set(Document.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {"acceptance", "objection_decision"}
    assert Notification.objects.filter(
        recipient=world.rep, kind="case.decided"
    ).exists()
    frozen.shift(dt.timedelta(days=40))
    timers_fire_due()
    assert _case(case).status == Case.Status.CLOSED


def test_an_objection_that_fails_keeps_the_record_and_lifts_the_mark(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    _accept(world, case)
    _verify(world, case, outcome="keep", corrected_content={})
    _chief(world, case)
    assert _record(world).status == CreditRecord.Status.PUBLISHED
    assert _record(world).content["amount"] == 5000


def test_a_refused_objection_is_closed_with_a_non_acceptance_notice(
    world: World,
) -> None:
    case = _file(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "not_accept", "formal_check_reason": "超出受理范围"},
    )
    refused = _case(case)
    assert refused.status == Case.Status.NOT_ACCEPTED
    assert refused.process_instance is not None
    assert refused.process_instance.status == "completed"
    assert Document.objects.get(case=case).kind == "non_acceptance"
    assert _record(world).status == CreditRecord.Status.PUBLISHED


def test_supplied_materials_bring_the_objection_back_to_the_formal_check(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "supplement", "missing_materials": ["缴款凭证"]},
    )
    assert _case(case).status == Case.Status.SUPPLEMENT_REQUESTED
    assert world.rep is not None
    receipt = attachment_stage(
        actor=world.rep,
        kind="evidence",
        name="缴款凭证.pdf",
        content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf",
    )
    case_act(
        actor=world.rep,
        name="supplement",
        number=case.number,
        data={"note": "已补充缴款凭证", "attachments": [receipt.pk]},
    )
    assert _case(case).status == Case.Status.SUBMITTED
    assert open_task(case.number, "formal_check")
    receipt.refresh_from_db()
    assert receipt.case_id == case.pk


def test_an_unsupplied_objection_lapses_when_its_deadline_passes(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "supplement", "missing_materials": ["身份证明"]},
    )
    frozen.shift(dt.timedelta(days=3))
    timers_fire_due()
    assert _case(case).status == Case.Status.SUPPLEMENT_REQUESTED
    frozen.shift(dt.timedelta(days=30))
    timers_fire_due()
    lapsed = _case(case)
    assert lapsed.status == Case.Status.CLOSED
    assert lapsed.decision == {"outcome": "lapsed"}


def test_a_head_approved_extension_moves_the_verification_deadline(
    world: World, frozen: Any, settings: Any
) -> None:
    case = _file(world)
    _accept(world, case)
    first_due = open_task(case.number, "verify_by_source_department").due_at
    _verify(world, case, request_extension=True)
    work(
        world["scj_head"],
        case.number,
        "approve_extension",
        {"extension_approved": True},
    )
    second = open_task(case.number, "verify_by_source_department")
    # The national default grants no extension: the date stays, and says so.
    assert second.due_at == first_due


def test_a_reviewer_is_reminded_before_due_and_the_chief_told_when_overdue(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    _accept(world, case)
    # Accepted Monday 2026-06-01: forward 2 + verify 5 working days, due 06-10;
    # the reminder comes at 09:00 one working day before.
    due = open_task(case.number, "verify_by_source_department").due_at
    assert due is not None
    assert due.date().isoformat() == "2026-06-10"
    frozen.shift(dt.timedelta(days=8, hours=1))
    timers_fire_due()
    reviewer = world["scj_reviewer"]
    assert Notification.objects.filter(
        recipient=reviewer, kind="task.reminder"
    ).exists()
    frozen.shift(dt.timedelta(days=2))
    timers_fire_due()
    chief = world["scj_section_chief"]
    assert Notification.objects.filter(recipient=chief, kind="task.overdue").exists()
    assert open_task(case.number, "verify_by_source_department")


def test_a_chief_who_disagrees_returns_the_case_to_verification(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    _accept(world, case)
    _verify(world, case)
    _chief(world, case, approved=False)
    assert open_task(case.number, "verify_by_source_department")
    assert _record(world).status == CreditRecord.Status.UNDER_OBJECTION


def test_an_appeal_within_the_window_is_reviewed_once_by_the_credit_office_head(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    _accept(world, case)
    _verify(world, case, outcome="keep", corrected_content={})
    _chief(world, case)
    assert world.rep is not None
    appeal = case_act(
        actor=world.rep,
        name="appeal",
        number=case.number,
        data={"reason": "记录仍有误 The record is still wrong"},
    )
    assert appeal.number.startswith("FH-2026-")
    with pytest.raises((ConflictError, ForbiddenError)):
        case_act(
            actor=world.rep, name="appeal", number=case.number, data={"reason": "again"}
        )
    work(
        world["xyb_head"],
        case.number,
        "review_appeal",
        {
            "appeal_upheld": True,
            "appeal_outcome": "stop_publication",
            "appeal_findings": "复核认定应停止公示",
        },
    )
    assert _case(case).status == Case.Status.CLOSED
    assert _case(appeal).status == Case.Status.CLOSED
    assert _record(world).status == CreditRecord.Status.PUBLICATION_STOPPED


def test_only_the_subjects_people_may_object_and_one_objection_at_a_time(
    world: World,
) -> None:
    assert world.record is not None
    with pytest.raises(NotFoundError):
        case_file(
            actor=world["rsj_officer"],
            kind="objection",
            data={"record": world.record.pk, "grounds": "record_wrong", "reason": "x"},
        )
    _file(world)
    with pytest.raises(ConflictError):
        _file(world)


def test_the_source_department_reviewer_only_sees_their_department_queue(
    world: World,
) -> None:
    case = _file(world)
    _accept(world, case)
    task = open_task(case.number, "verify_by_source_department")
    assert _group(task) == "SCJ.reviewer"
    with pytest.raises(ForbiddenError):
        work(world["swj_reviewer"], case.number, "verify_by_source_department", {})
    assert HumanTask.objects.get(pk=task.pk).assignee is None


def test_the_case_command_files_an_objection_as_a_subject(
    world: World, capsys: Any
) -> None:
    assert world.record is not None
    call_command(
        "case",
        "file",
        "objection",
        "--as",
        "rep",
        "--json",
        "--data",
        f'{{"record": {world.record.pk}, "grounds": "record_wrong", '
        '"reason": "金额错误"}',
    )
    out = capsys.readouterr().out
    assert '"case_type": "objection"' in out
    assert '"formal_check"' in out


def test_in_shenzhen_the_head_may_extend_verification_by_three_working_days(
    world: World, frozen: Any
) -> None:
    assert world.record is not None
    CreditRecord.objects.filter(pk=world.record.pk).update(jurisdiction="shenzhen")
    case = _file(world)
    _accept(world, case)
    first = open_task(case.number, "verify_by_source_department").due_at
    assert first is not None
    _verify(world, case, request_extension=True)
    work(
        world["scj_head"],
        case.number,
        "approve_extension",
        {"extension_approved": True},
    )
    second = open_task(case.number, "verify_by_source_department").due_at
    assert second is not None
    # Shenzhen 2023 Arts. 48-52: verify 2 days, +3 with the head's approval.
    assert first.date().isoformat() == "2026-06-03"
    assert second.date().isoformat() == "2026-06-08"
    assert "objection_time_limits@1" in _case(case).policy_refs


def test_an_unknown_outcome_is_refused_as_invalid_input_and_changes_nothing(
    world: World, frozen: Any
) -> None:
    case = _file(world)
    _accept(world, case)
    _verify(world, case)
    # The chief approves or returns; the outcome is the reviewer's to propose.
    with pytest.raises(InvalidInputError, match="proposed_outcome"):
        work(
            world["scj_section_chief"],
            case.number,
            "review_by_section_chief",
            {"chief_approved": True, "proposed_outcome": "abolish"},
        )
    assert open_task(case.number, "review_by_section_chief")
    assert not Incident.objects.exists()
    assert _case(case).process_instance.status == "running"  # type: ignore[union-attr]


def test_an_upheld_objection_to_a_listing_removes_the_subject_from_the_list(
    world: World, frozen: Any
) -> None:
    assert world.record is not None
    listing_record = world.record
    CreditRecord.objects.filter(pk=listing_record.pk).update(
        category=CreditRecord.Category.LIST_ENTRY, grade=CreditRecord.Grade.SERIOUS
    )
    entry = ListEntry.objects.create(
        list_type=ListEntry.ListType.SERIOUS_DISHONESTY,
        subject=listing_record.subject,
        deciding_department=world.departments["SCJ"],
        decision_number="示市监列〔2026〕1号",
        basis="拒不履行法定义务",
        valid_from=dt.date(2026, 1, 5),
        valid_to=dt.date(2029, 1, 4),
        status=ListEntry.Status.LISTED,
        record=listing_record,
    )
    case = _file(world, grounds="listed_without_criteria")
    _accept(world, case)
    _verify(world, case, outcome="remove_from_list", corrected_content={})
    _chief(world, case)
    entry.refresh_from_db()
    assert entry.status == ListEntry.Status.EXITED
    assert entry.exit_reason == "objection_upheld"
    assert _record(world).status != CreditRecord.Status.UNDER_OBJECTION
