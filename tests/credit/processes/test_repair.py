"""The credit repair process, every path, through the domain and runtime services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.credit.processes.conftest import World, open_task, work
from workflows.credit.filing import case_file
from workflows.credit.models import (
    Case,
    CreditCommitment,
    CreditRecord,
    Document,
    RecordCorrection,
)
from workflows.credit.services.departments import membership_grant
from workflows.errors import ForbiddenError, InvalidInputError
from workflows.models import HumanTask, Incident, ProcessInstance
from workflows.services.tasks import task_claim, task_complete
from workflows.services.timers import timers_fire_due

COMMITMENT = "本单位承诺已纠正失信行为，今后守法诚信经营。We commit to lawful conduct."


def make_repairable(world: World) -> World:
    """Date the world's record 2026-01-05, so it is repairable from 2026-04-05 on."""
    assert world.record is not None
    CreditRecord.objects.filter(pk=world.record.pk).update(
        decision_date=dt.date(2026, 1, 5),
        published_at=dt.datetime(2026, 1, 6, 9, tzinfo=timezone.get_default_timezone()),
    )
    world.record.refresh_from_db()
    return world


@pytest.fixture
def repairable(frozen: Any, world: World) -> World:
    return make_repairable(world)


def file_repair(world: World, **extra: Any) -> Case:
    """File a repair of the world's record as its subject's representative."""
    assert world.rep is not None
    assert world.record is not None
    data = {
        "record": world.record.pk,
        "reason": "罚款已缴清，年报已补报 Fine paid, annual report filed",
        "commitment": COMMITMENT,
        **extra,
    }
    return case_file(actor=world.rep, kind="repair", data=data)


def accept(world: World, case: Case) -> None:
    work(
        world["scj_reviewer"],
        case.number,
        "accept_by_source_department",
        {"acceptance_result": "accept"},
    )
    assert instance_status(case) == ProcessInstance.Status.RUNNING


def review(world: World, case: Case, opinion: str = "grant", **extra: Any) -> None:
    data = {"review_opinion": opinion, "review_findings": "整改到位", **extra}
    work(world["scj_reviewer"], case.number, "review_repair", data)
    assert instance_status(case) == ProcessInstance.Status.RUNNING


def approve(
    world: World, user: str, case: Case, approved: bool, note: str = ""
) -> None:
    data = {"approval": {"approved": approved, "comment": note}}
    work(world[user], case.number, "approve_at_level", data)
    # The chain goes on, or the case is decided and closed in the same step.
    open_tasks = HumanTask.objects.open().filter(case_number=case.number)
    expected = "running" if open_tasks.exists() else "completed"
    assert instance_status(case) == expected


def fresh(case: Case) -> Case:
    return Case.objects.select_related("process_instance").get(pk=case.pk)


def instance_status(case: Case) -> str:
    instance = fresh(case).process_instance
    assert instance is not None
    return instance.status


def the_record(world: World) -> CreditRecord:
    assert world.record is not None
    return CreditRecord.objects.get(pk=world.record.pk)


def group_of(task: HumanTask) -> str:
    assert task.candidate_group is not None
    return task.candidate_group.name


def test_an_eligible_repair_approved_by_the_chain_stops_publication(
    repairable: World,
) -> None:
    world = repairable
    case = file_repair(world)
    assert case.number.startswith("XF-2026-")
    assert case.status == Case.Status.SUBMITTED
    assert instance_status(case) == ProcessInstance.Status.RUNNING
    assert CreditCommitment.objects.get(case=case).text == COMMITMENT
    acceptance = open_task(case.number, "accept_by_source_department")
    assert group_of(acceptance) == "SCJ.reviewer"
    assert acceptance.due_at is not None
    # Filed Monday 2026-06-01: 3 working days to accept, 10 more to answer.
    assert timezone.localdate(acceptance.due_at).isoformat() == "2026-06-04"
    accept(world, case)
    assert fresh(case).status == Case.Status.ACCEPTED
    reviewing = open_task(case.number, "review_repair")
    assert reviewing.due_at is not None
    assert timezone.localdate(reviewing.due_at).isoformat() == "2026-06-15"
    review(world, case)
    assert fresh(case).status == Case.Status.UNDER_REVIEW
    chief_task = open_task(case.number, "approve_at_level")
    assert group_of(chief_task) == "SCJ.section_chief"
    assert chief_task.excluded_usernames == ["scj_reviewer"]
    approve(world, "scj_section_chief", case, True)
    assert group_of(open_task(case.number, "approve_at_level")) == "SCJ.head"
    assert instance_status(case) == ProcessInstance.Status.RUNNING
    approve(world, "scj_head", case, True)

    record = the_record(world)
    assert record.status == CreditRecord.Status.PUBLICATION_STOPPED
    assert record.repair_count == 1
    correction = RecordCorrection.objects.get(record=record, case=case)
    assert correction.before["status"] == "published"
    assert correction.after["status"] == "publication_stopped"
    done = fresh(case)
    assert done.status == Case.Status.CLOSED
    assert instance_status(case) == ProcessInstance.Status.COMPLETED
    assert done.decision is not None
    assert done.decision["outcome"] == "approved"
    assert [a["by"] for a in done.decision["approvals"]] == [
        "scj_section_chief",
        "scj_head",
    ]
    platforms = [s["platform"] for s in done.decision["sync"]]
    assert platforms == ["department_site", "credit_platform", "sharing_partners"]
    assert all(s["synced_at"] for s in done.decision["sync"])
    document = Document.objects.get(case=case, kind=Document.Kind.REPAIR_DECISION)
    assert document.number == "SCJ信修决〔2026〕1号"
    assert done.decision["document"] == document.number
    assert set(Document.objects.filter(case=case).values_list("kind", flat=True)) == {
        "acceptance",
        "repair_decision",
    }
    assert Notification.objects.filter(recipient=world.rep, kind="case.decided")
    assert not done.deadlines.filter(met_at__isnull=True).exists()
    assert sorted(done.deadlines.values_list("kind", flat=True)) == [
        "acceptance",
        "answer",
    ]
    assert "repair_rules@1" in done.policy_refs


def test_a_repair_refused_by_the_section_chief_leaves_the_record_published(
    repairable: World,
) -> None:
    world = repairable
    case = file_repair(world)
    accept(world, case)
    review(world, case)
    approve(
        world, "scj_section_chief", case, False, "罚款缴纳凭证不实 Receipt not genuine"
    )
    assert not HumanTask.objects.open().filter(case_number=case.number).exists()
    record = the_record(world)
    assert record.status == CreditRecord.Status.PUBLISHED
    assert record.repair_count == 0
    assert not RecordCorrection.objects.filter(record=record).exists()
    done = fresh(case)
    assert done.status == Case.Status.CLOSED
    assert instance_status(case) == ProcessInstance.Status.COMPLETED
    assert done.decision is not None
    assert done.decision["outcome"] == "rejected"
    assert done.decision["reasons"] == [
        "SCJ.section_chief: 罚款缴纳凭证不实 Receipt not genuine"
    ]
    assert any("60" in remedy for remedy in done.decision["remedies"])
    assert "sync" not in done.decision
    assert Document.objects.filter(case=case, kind="repair_decision").exists()
    decided = Notification.objects.get(recipient=world.rep, kind="case.decided")
    assert "Receipt not genuine" in decided.body


def test_a_rejection_the_chief_confirms_carries_the_reviewers_reasons(
    repairable: World,
) -> None:
    world = repairable
    case = file_repair(world)
    accept(world, case)
    review(world, case, opinion="reject", rejection_reasons=["整改未完成"])
    approve(world, "scj_section_chief", case, False, "未提交整改报告")
    done = fresh(case)
    assert done.decision is not None
    assert done.decision["outcome"] == "rejected"
    assert done.decision["reasons"] == [
        "整改未完成",
        "SCJ.section_chief: 未提交整改报告",
    ]
    assert done.decision["review"] == {
        "opinion": "reject",
        "findings": "整改到位",
        "by": "scj_reviewer",
    }


def test_a_rejecting_review_without_reasons_is_refused_and_changes_nothing(
    repairable: World,
) -> None:
    world = repairable
    case = file_repair(world)
    accept(world, case)
    with pytest.raises(InvalidInputError, match="reasons"):
        work(
            world["scj_reviewer"],
            case.number,
            "review_repair",
            {"review_opinion": "reject", "review_findings": "未整改"},
        )
    assert open_task(case.number, "review_repair").assignee == world["scj_reviewer"]
    assert fresh(case).status == Case.Status.ACCEPTED
    # The reviewer's own mistake: told why, no incident, the case keeps running.
    assert not Incident.objects.exists()


def test_the_reviewer_may_not_approve_the_repair_they_reviewed(
    repairable: World,
) -> None:
    world = repairable
    reviewer = world["scj_reviewer"]
    membership_grant(
        actor=None,
        user=reviewer,
        department=world.departments["SCJ"],
        role="section_chief",
    )
    case = file_repair(world)
    accept(world, case)
    review(world, case)
    task = open_task(case.number, "approve_at_level")
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_claim(actor=reviewer, task_id=task.pk)
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_complete(
            actor=reviewer,
            task_id=task.pk,
            data={"approval": {"approved": True, "comment": ""}},
        )
    assert HumanTask.objects.get(pk=task.pk).is_open
    assert the_record(world).status == CreditRecord.Status.PUBLISHED


def test_a_request_not_accepted_ends_with_a_notice_and_the_reason(
    repairable: World,
) -> None:
    world = repairable
    case = file_repair(world)
    work(
        world["scj_reviewer"],
        case.number,
        "accept_by_source_department",
        {"acceptance_result": "not_accept", "acceptance_reason": "非本单位认定"},
    )
    done = fresh(case)
    assert done.status == Case.Status.NOT_ACCEPTED
    assert done.decision == {"outcome": "not_accepted", "reason": "非本单位认定"}
    assert instance_status(case) == ProcessInstance.Status.COMPLETED
    assert Document.objects.get(case=case).kind == "non_acceptance"
    assert the_record(world).status == CreditRecord.Status.PUBLISHED


def test_the_section_chief_is_told_when_acceptance_is_overdue(
    repairable: World, frozen: Any
) -> None:
    world = repairable
    case = file_repair(world)
    frozen.shift(dt.timedelta(days=3))
    timers_fire_due()
    chief = world["scj_section_chief"]
    assert not Notification.objects.filter(recipient=chief, kind="task.overdue")
    frozen.shift(dt.timedelta(days=1))
    timers_fire_due()
    assert Notification.objects.filter(recipient=chief, kind="task.overdue").exists()
    assert open_task(case.number, "accept_by_source_department")
    assert instance_status(case) == ProcessInstance.Status.RUNNING
