"""How long before a deadline a task's holder is reminded: model, setting, default.

Precedence: a process model that gives its operation ``reminder_working_days``
wins; otherwise the setting ``TASK_REMINDER_WORKING_DAYS_BEFORE``; otherwise one
working day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from notifications.models import Notification
from tests.credit.processes.conftest import World, open_task, work
from workflows.credit.deadlines import (
    deadline_set,
    reminder_before,
    reminder_working_days,
)
from workflows.credit.filing import case_file
from workflows.credit.models import Case
from workflows.errors import InvalidInputError
from workflows.services.timers import timers_fire_due

pytestmark = pytest.mark.usefixtures("frozen")


def _accepted(world: World) -> Case:
    assert world.rep is not None
    assert world.record is not None
    data = {"record": world.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    case = case_file(actor=world.rep, kind="objection", data=data)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    return case


def _local(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(
        year, month, day, hour, minute, tzinfo=timezone.get_default_timezone()
    )


def _reminded(world: World) -> bool:
    return Notification.objects.filter(
        recipient=world["scj_reviewer"], kind="task.reminder"
    ).exists()


@override_settings(TASK_REMINDER_WORKING_DAYS_BEFORE=3)
def test_the_setting_moves_the_objection_reviewers_reminder(
    world: World, frozen: Any
) -> None:
    case = _accepted(world)
    # Accepted Monday 2026-06-01, due Wednesday 06-10: three working days before
    # is Friday 06-05, 09:00 (not Tuesday 06-09, the one-day default).
    due = open_task(case.number, "verify_by_source_department").due_at
    assert due is not None
    assert timezone.localtime(due).date() == dt.date(2026, 6, 10)

    frozen.move_to(
        dt.datetime(2026, 6, 5, 8, 59, tzinfo=timezone.get_default_timezone())
    )
    timers_fire_due()
    assert not _reminded(world)
    frozen.shift(dt.timedelta(minutes=2))
    timers_fire_due()
    assert _reminded(world)


def test_by_default_the_reminder_comes_one_working_day_before(
    world: World, frozen: Any
) -> None:
    _accepted(world)

    frozen.move_to(_local(2026, 6, 8, 10, 0))
    timers_fire_due()
    assert not _reminded(world)
    frozen.move_to(
        dt.datetime(2026, 6, 9, 9, 1, tzinfo=timezone.get_default_timezone())
    )
    timers_fire_due()
    assert _reminded(world)


@override_settings(TASK_REMINDER_WORKING_DAYS_BEFORE=3)
def test_a_models_own_value_wins_over_the_setting(world: World) -> None:
    case = _accepted(world)
    deadline = deadline_set(case, "verify_test", 7)

    by_model = dt.datetime.fromisoformat(reminder_before(deadline, 0))
    by_setting = dt.datetime.fromisoformat(reminder_before(deadline))

    assert timezone.localtime(by_model).date() == dt.date(2026, 6, 10)
    assert timezone.localtime(by_setting).date() == dt.date(2026, 6, 5)
    assert reminder_working_days(2) == 2
    assert reminder_working_days() == 3


@pytest.mark.parametrize("value", [-1, 1.5, "2", True])
def test_a_reminder_is_a_whole_number_of_working_days(value: Any) -> None:
    with pytest.raises(InvalidInputError):
        reminder_working_days(value)
