"""joint_punishment: one task per implementing department, feedback, reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from tests.credit.processes.conftest import World
from tests.credit.processes.test_list_support import (  # noqa: F401 (fixture)
    catalogue,
    department_task,
    feedback,
    instance_of,
    listed,
    refreshed,
)
from workflows.credit.models import Case, MeasureApplication
from workflows.credit.services.measures import measure_applications_pending_for
from workflows.models import HumanTask, ProcessInstance
from workflows.services.timers import timers_fire_due

pytestmark = pytest.mark.usefixtures("catalogue")


def _told(kind: str) -> set[str]:
    return set(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def test_an_incomplete_answer_comes_back_with_what_is_missing(
    world: World, frozen: Any
) -> None:
    case = listed(world, frozen)
    feedback(
        world, case, "SCJ", [{"measure": "SCJ-01", "applied": False, "reason": "　"}]
    )
    task = department_task(case, "apply_measures", "SCJ.officer")
    assert task.status == HumanTask.Status.OPEN  # the same task, back in the queue
    assert not MeasureApplication.objects.exclude(status="pending").exists()
    told = Notification.objects.get(kind="joint_punishment.feedback_incomplete")
    assert told.recipient == world["scj_officer"]
    assert told.body.splitlines() == [
        "measures_feedback[0]: give the reason SCJ-01 is not applied",
        "SCJ-02: not answered",
    ]
    feedback(
        world,
        case,
        "SCJ",
        [
            {"measure": "SCJ-01", "applied": True},
            {"measure": "SCJ-02", "applied": False, "reason": "本局未受理该主体申请"},
        ],
    )
    assert not HumanTask.objects.open().filter(candidate_group__name="SCJ.officer")
    statuses = dict(MeasureApplication.objects.values_list("measure__code", "status"))
    assert statuses == {
        "SCJ-01": "applied",
        "SCJ-02": "not_applied",
        "RSJ-01": "pending",
    }


def test_reminds_before_the_deadline_and_escalates_when_overdue(
    world: World, frozen: Any
) -> None:
    case = listed(world, frozen)
    deadline = refreshed(case).deadlines.get(kind="measures_feedback")
    due = timezone.localtime(deadline.due_at)
    assert due.date() == dt.date(2026, 6, 24)  # 10 working days, Dragon Boat off
    task = department_task(case, "apply_measures", "RSJ.officer")
    assert task.due_at == deadline.due_at

    frozen.move_to(due.replace(hour=10) - dt.timedelta(days=1))
    timers_fire_due()
    assert _told("task.reminder") == {"scj_officer", "rsj_officer"}
    assert not _told("task.overdue")

    answers = [
        {"measure": "SCJ-01", "applied": True},
        {"measure": "SCJ-02", "applied": True},
    ]
    feedback(world, case, "SCJ", answers)
    frozen.move_to(due + dt.timedelta(hours=9))
    timers_fire_due()
    assert _told("task.overdue") == {"rsj_section_chief"}
    assert department_task(case, "apply_measures", "RSJ.officer").status == "open"
    punishment = instance_of(case, "joint_punishment")
    assert punishment.status == ProcessInstance.Status.RUNNING


def test_lists_pending_measures_per_department_while_listed(
    world: World, frozen: Any
) -> None:
    case = listed(world, frozen)
    pending = measure_applications_pending_for(world.departments["SCJ"])
    assert [a.measure.code for a in pending] == ["SCJ-01", "SCJ-02"]
    assert not measure_applications_pending_for(world.departments["SWJ"]).exists()
    row = pending[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureApplication.objects.filter(pk=row.pk).update(
            status="not_applied", reason=" \u3000", decided_at=timezone.now()
        )
    assert refreshed(case).status == Case.Status.DECIDED
