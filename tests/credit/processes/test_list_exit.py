"""list_exit: automatic at expiry, or started from outside; measures are lifted."""

from __future__ import annotations

from typing import Any

import pytest

from notifications.models import Notification
from tests.credit.processes.conftest import World
from tests.credit.processes.test_list_support import (  # noqa: F401 (fixture)
    all_applied,
    catalogue,
    department_task,
    entry_of,
    feedback,
    groups_of,
    instance_of,
    listed,
    local,
    refreshed,
)
from workflows.credit.models import (
    Case,
    CreditRecord,
    Document,
    ListEntry,
    MeasureApplication,
)
from workflows.credit.services.list_exit import list_exit_start
from workflows.errors import ConflictError, InvalidInputError
from workflows.models import HumanTask, ProcessInstance
from workflows.services.tasks import task_claim, task_complete
from workflows.services.timers import timers_fire_due

pytestmark = pytest.mark.usefixtures("catalogue")


def _exit_case(entry: ListEntry) -> Case:
    return Case.objects.get(case_type=Case.Type.LIST_EXIT, target_list_entry=entry)


def _lift(world: World, exit_case: Case, department: str) -> None:
    officer = world[f"{department.lower()}_officer"]
    task = department_task(exit_case, "lift_measures", f"{department}.officer")
    task_claim(actor=officer, task_id=task.pk)
    data = {"lift_confirmation": {"note": "已解除"}}
    task_complete(actor=officer, task_id=task.pk, data=data)


def test_exits_by_itself_when_the_validity_ends(world: World, frozen: Any) -> None:
    """Expiry starts list_exit; only departments that applied measures lift them."""
    case = listed(world, frozen)
    feedback(
        world,
        case,
        "SCJ",
        [
            {"measure": "SCJ-01", "applied": True},
            {"measure": "SCJ-02", "applied": False, "reason": "不适用于该行业"},
        ],
    )
    feedback(
        world, case, "RSJ", [{"measure": "RSJ-01", "applied": False, "reason": "无"}]
    )
    entry = entry_of(case)

    frozen.move_to(local(2029, 6, 9, 23))  # valid_to is the last day in force
    timers_fire_due()
    assert entry_of(case).status == ListEntry.Status.LISTED
    assert not Case.objects.of_type(Case.Type.LIST_EXIT).exists()

    frozen.move_to(local(2029, 6, 10, 1))
    timers_fire_due()
    entry = entry_of(case)
    assert entry.status == ListEntry.Status.EXITED
    assert entry.exit_reason == ListEntry.ExitReason.EXPIRY
    assert entry.exited_at == local(2029, 6, 10, 1)
    assert entry.record is not None
    assert entry.record.status == CreditRecord.Status.PUBLICATION_STOPPED
    assert refreshed(case).status == Case.Status.CLOSED
    assert instance_of(case, "list_entry").status == ProcessInstance.Status.COMPLETED

    exit_case = _exit_case(entry)
    assert exit_case.number.startswith("LC-2029-")
    assert exit_case.applicant == world["scj_reviewer"]
    assert list(exit_case.documents.values_list("kind", flat=True)) == [
        Document.Kind.EXIT_DECISION
    ]
    lifts = HumanTask.objects.open().filter(case_number=exit_case.number)
    assert groups_of(lifts) == ["SCJ.officer"]

    _lift(world, exit_case, "SCJ")
    applied = MeasureApplication.objects.get(measure__code="SCJ-01")
    assert applied.lifted_at == local(2029, 6, 10, 1)
    assert MeasureApplication.objects.filter(lifted_at__isnull=False).count() == 1
    exit_case.refresh_from_db()
    assert exit_case.status == Case.Status.CLOSED
    told = Notification.objects.filter(case_number=exit_case.number)
    assert set(
        told.filter(kind="list_exit.subject").values_list(
            "recipient__username", flat=True
        )
    ) == {"rep"}
    assert {"scj_officer", "rsj_officer", "scj_reviewer"} <= set(
        told.filter(kind="list_exit.departments").values_list(
            "recipient__username", flat=True
        )
    )


def test_starts_from_outside_for_an_approved_repair(world: World, frozen: Any) -> None:
    """The listing process is told and ends; every applying department lifts."""
    case = listed(world, frozen)
    all_applied(world, case)
    exit_case = list_exit_start(
        actor=world["scj_head"], entry=entry_of(case), reason="repair"
    )
    assert exit_case.status == Case.Status.DECIDED
    assert exit_case.applicant == world["scj_head"]
    entry = entry_of(case)
    assert (entry.status, entry.exit_reason) == ("exited", "repair")
    assert instance_of(case, "list_entry").status == ProcessInstance.Status.COMPLETED
    assert refreshed(case).status == Case.Status.CLOSED
    groups = HumanTask.objects.open().filter(case_number=exit_case.number)
    assert groups_of(groups) == ["RSJ.officer", "SCJ.officer"]
    _lift(world, exit_case, "RSJ")
    _lift(world, exit_case, "SCJ")
    assert not MeasureApplication.objects.filter(lifted_at__isnull=True).exists()
    exit_case.refresh_from_db()
    assert exit_case.status == Case.Status.CLOSED
    assert instance_of(exit_case, "list_exit").status == "completed"


def test_an_early_exit_withdraws_the_unanswered_feedback(
    world: World, frozen: Any
) -> None:
    case = listed(world, frozen)
    feedback(
        world,
        case,
        "SCJ",
        [
            {"measure": "SCJ-01", "applied": True},
            {"measure": "SCJ-02", "applied": True},
        ],
    )
    exit_case = list_exit_start(actor=None, entry=entry_of(case), reason="revocation")
    assert exit_case.applicant == world["scj_reviewer"]
    punishment = instance_of(case, "joint_punishment")
    assert punishment.status == ProcessInstance.Status.COMPLETED
    rsj_task = HumanTask.objects.get(
        case_number=case.number,
        element_id="apply_measures",
        candidate_group__name="RSJ.officer",
    )
    assert rsj_task.status == HumanTask.Status.CANCELLED
    assert MeasureApplication.objects.get(measure__code="RSJ-01").status == "pending"
    lifts = HumanTask.objects.open().filter(case_number=exit_case.number)
    assert groups_of(lifts) == ["SCJ.officer"]


def test_refuses_an_exit_that_cannot_happen(world: World, frozen: Any) -> None:
    case = listed(world, frozen)
    entry = entry_of(case)
    with pytest.raises(InvalidInputError, match="unknown exit reason"):
        list_exit_start(actor=None, entry=entry, reason="bored")
    exit_case = list_exit_start(actor=None, entry=entry, reason="objection_upheld")
    # No department applied anything, so there is nothing to lift: closed at once.
    assert exit_case.status == Case.Status.CLOSED
    assert not HumanTask.objects.open().filter(element_id="lift_measures").exists()
    with pytest.raises(ConflictError, match="Exited"):
        list_exit_start(actor=None, entry=entry, reason="repair")
