"""list_entry: prior notice, statement window, approval, listing, joint punishment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from notifications.models import Notification
from tests.credit.processes.conftest import World, open_task, work
from tests.credit.processes.test_list_support import (  # noqa: F401 (fixture)
    approve,
    catalogue,
    decision_of,
    department_task,
    entry_of,
    feedback,
    group_of,
    groups_of,
    instance_of,
    lapse_window,
    local,
    propose,
    refreshed,
    rep,
    sign,
)
from workflows.credit.filing import case_act
from workflows.credit.models import (
    Case,
    CreditRecord,
    Document,
    ListEntry,
    MeasureApplication,
)
from workflows.credit.services.departments import membership_grant
from workflows.errors import ConflictError, ForbiddenError
from workflows.models import HumanTask, ProcessInstance
from workflows.services.tasks import task_claim, task_complete

pytestmark = pytest.mark.usefixtures("frozen")


def _documents(case: Case) -> list[str]:
    return sorted(case.documents.values_list("kind", flat=True))


def _kinds(user: Any) -> set[str]:
    return set(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


@pytest.mark.usefixtures("catalogue")
def test_lists_a_subject_and_triggers_joint_punishment(
    world: World, frozen: Any
) -> None:
    """Notice, lapsed window, chain, signed decision, listing, feedback to initiator."""
    case = propose(world)
    entry = entry_of(case)
    assert (refreshed(case).status, entry.status) == ("under_review", "noticed")
    assert _documents(case) == [Document.Kind.PRIOR_NOTICE]
    assert "list_entry.prior_notice" in _kinds(rep(world))
    window = case.deadlines.get(kind="statement_defence")
    assert window.due_at == local(2026, 6, 8, 23) + dt.timedelta(minutes=59, seconds=59)
    assert not HumanTask.objects.open().exists()  # nobody acts inside the window

    lapse_window(frozen)
    assert group_of(open_task(case.number, "approve_at_level")) == "SCJ.section_chief"
    approve(world, case, "scj_section_chief")
    approve(world, case, "scj_head")
    sign(world, case)

    case, entry = refreshed(case), entry_of(case)
    assert case.status == Case.Status.DECIDED
    assert entry.status == ListEntry.Status.LISTED
    assert (entry.valid_from, entry.valid_to) == (
        dt.date(2026, 6, 9),
        dt.date(2029, 6, 9),
    )
    assert entry.decision_number.startswith("SCJ信列决〔2026〕")
    assert _documents(case) == sorted(
        [
            Document.Kind.PRIOR_NOTICE,
            Document.Kind.LISTING_DECISION,
            Document.Kind.REPAIR_NOTICE,
            Document.Kind.MEASURES_NOTICE,
        ]
    )
    decision = case.documents.get(kind=Document.Kind.LISTING_DECISION)
    assert decision.payload["signed_by"] == "scj_head"
    assert [a["approved"] for a in decision_of(case)["approvals"]] == [True, True]
    assert entry.record is not None
    assert entry.record.category == CreditRecord.Category.LIST_ENTRY
    assert world.record is not None
    assert entry.record.content["basis_record"] == world.record.pk
    assert "list_entry.listed" in _kinds(rep(world))
    listing = instance_of(case, "list_entry")
    assert listing.status == ProcessInstance.Status.RUNNING
    assert listing.next_timer_at == local(2029, 6, 10)  # the day after valid_to

    punishment = instance_of(case, "joint_punishment")
    assert punishment.initiator == world["scj_reviewer"]
    tasks = HumanTask.objects.open().filter(case_number=case.number)
    assert groups_of(tasks) == ["RSJ.officer", "SCJ.officer"]
    assert MeasureApplication.objects.pending().count() == 3

    feedback(
        world,
        case,
        "SCJ",
        [
            {"measure": "SCJ-01", "applied": True},
            {"measure": "SCJ-02", "applied": True},
        ],
    )
    feedback(
        world,
        case,
        "RSJ",
        [{"measure": "RSJ-01", "applied": False, "reason": "该主体无在办社保业务"}],
    )
    punishment.refresh_from_db()
    assert punishment.status == ProcessInstance.Status.COMPLETED
    declined = MeasureApplication.objects.get(measure__code="RSJ-01")
    assert (declined.status, declined.decided_by) == (
        "not_applied",
        world["rsj_officer"],
    )
    summary = decision_of(case)["joint_punishment"]["departments"]
    assert summary["SCJ"]["applied"] == ["SCJ-01", "SCJ-02"]
    assert summary["RSJ"]["not_applied"] == [
        {"measure": "RSJ-01", "reason": "该主体无在办社保业务"}
    ]
    assert "joint_punishment.feedback" in _kinds(world["scj_reviewer"])


def test_a_statement_in_the_window_is_verified_before_approval(world: World) -> None:
    case = propose(world)
    with pytest.raises(ForbiddenError):
        case_act(
            actor=world["swj_reviewer"],
            name="list_statement",
            number=case.number,
            data={"statement": "x"},
        )
    case_act(
        actor=rep(world),
        name="list_statement",
        number=case.number,
        data={
            "statement": "处罚决定已被行政复议撤销 The penalty was revoked on review"
        },
    )
    with pytest.raises(ConflictError, match="window is closed"):
        case_act(
            actor=rep(world),
            name="list_statement",
            number=case.number,
            data={"statement": "again"},
        )
    assert not HumanTask.objects.open().filter(element_id="approve_at_level").exists()
    work(
        world["scj_reviewer"],
        case.number,
        "verify_statement",
        {"proposal_maintained": True, "statement_findings": "复议维持原处罚"},
    )
    assert open_task(case.number, "approve_at_level")


def test_an_upheld_statement_ends_the_proposal_unlisted(world: World) -> None:
    case = propose(world)
    case_act(
        actor=rep(world),
        name="list_statement",
        number=case.number,
        data={"statement": "已全额履行 Fully performed"},
    )
    work(
        world["scj_reviewer"],
        case.number,
        "verify_statement",
        {"proposal_maintained": False, "statement_findings": "已履行，不予列入"},
    )
    case = refreshed(case)
    assert case.status == Case.Status.REJECTED
    assert decision_of(case)["reason"] == "statement_upheld"
    assert entry_of(case).status == ListEntry.Status.REVOKED
    assert instance_of(case, "list_entry").status == ProcessInstance.Status.COMPLETED


def test_the_proposer_may_not_approve_or_sign_their_own_proposal(
    world: World, frozen: Any
) -> None:
    proposer = world["scj_reviewer"]
    department = world.departments["SCJ"]
    for role in ("section_chief", "head"):
        membership_grant(actor=None, user=proposer, department=department, role=role)
    case = propose(world)
    lapse_window(frozen)
    task = open_task(case.number, "approve_at_level")
    assert task.excluded_usernames == ["scj_reviewer"]
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_claim(actor=proposer, task_id=task.pk)
    approve(world, case, "scj_section_chief")
    approve(world, case, "scj_head")
    task = open_task(case.number, "sign_listing_decision")
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_claim(actor=proposer, task_id=task.pk)
    sign(world, case)
    assert entry_of(case).status == ListEntry.Status.LISTED


@pytest.mark.usefixtures("catalogue")
def test_a_refused_chain_leaves_nothing_listed(world: World, frozen: Any) -> None:
    case = propose(world)
    lapse_window(frozen)
    approve(world, case, "scj_section_chief")
    approve(world, case, "scj_head", approved=False)
    case = refreshed(case)
    assert case.status == Case.Status.REJECTED
    assert decision_of(case)["reason"] == "approval_refused"
    assert len(decision_of(case)["approvals"]) == 2
    assert entry_of(case).status == ListEntry.Status.REVOKED
    assert not ListEntry.objects.listed().exists()
    assert Document.Kind.LISTING_DECISION not in _documents(case)
    assert not MeasureApplication.objects.exists()
    assert not ProcessInstance.objects.filter(process_id="joint_punishment").exists()
    assert not CreditRecord.objects.filter(category="list_entry").exists()
    assert "list_entry.not_listed" in _kinds(rep(world))


COLLECTIVE = {"collective": True, "countersign": {"departments": ["SCJ", "SWJ", "XYB"]}}


@pytest.mark.parametrize(
    ("votes", "outcome"),
    [
        ({"SWJ": False, "XYB": True, "SCJ": True}, ListEntry.Status.LISTED),
        ({"SWJ": False, "XYB": False}, ListEntry.Status.REVOKED),
    ],
)
def test_a_collective_decision_needs_two_of_three_heads(
    world: World, frozen: Any, votes: dict[str, bool], outcome: str
) -> None:
    case = propose(world, **COLLECTIVE)
    lapse_window(frozen)
    groups = HumanTask.objects.open().values_list("candidate_group__name", flat=True)
    assert sorted(groups) == ["SCJ.head", "SWJ.head", "XYB.head"]
    for code, approved in votes.items():
        task = department_task(case, "countersign_vote", f"{code}.head")
        assert task.excluded_usernames == ["scj_reviewer"]
        head = world[f"{code.lower()}_head"]
        task_claim(actor=head, task_id=task.pk)
        vote = {"approved": approved, "comment": "" if approved else "证据不足"}
        task_complete(actor=head, task_id=task.pk, data={"vote": vote})
    if outcome == ListEntry.Status.LISTED:
        sign(world, case)
    assert entry_of(case).status == outcome
    assert not HumanTask.objects.open().filter(element_id="countersign_vote").exists()
