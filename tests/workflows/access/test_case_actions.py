"""Roles, case buttons and separation of duties as the task form shows it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from tests.credit.processes.conftest import World, frozen, open_task, work, world
from tests.credit.processes.test_list_support import lapse_window, propose
from tests.credit.selectors.conftest import Others, file_objection, fresh, others
from workflows import roles
from workflows.access import (
    case_actions,
    departments_of,
    is_auditor,
    is_process_admin,
    roles_of,
    task_actions,
    task_blocked_reason,
)
from workflows.credit.filing import case_file
from workflows.errors import ForbiddenError

__all__ = ["frozen", "others", "world"]
pytestmark = pytest.mark.usefixtures("frozen")


def test_roles_and_departments_of_people(world: World, others: Others) -> None:
    chief = fresh(world["scj_section_chief"])
    assert roles_of(chief) == {roles.SECTION_CHIEF}
    assert [d.code for d in departments_of(chief)] == ["SCJ"]
    assert roles_of(fresh(world.admin)) == {roles.SYSTEM_ADMIN}
    assert is_auditor(fresh(others.auditor))
    assert not is_auditor(chief)
    assert is_process_admin(fresh(others.process_admin))
    assert departments_of(fresh(others.rep_b)) == []


def test_the_parties_and_the_working_department_get_their_buttons(
    world: World, others: Others
) -> None:
    case = file_objection(world)
    assert world.rep is not None

    assert case_actions(fresh(world.rep), case) == {"upload"}
    assert "work" in case_actions(fresh(world["xyb_clerk"]), case)
    assert case_actions(fresh(world["scj_reviewer"]), case) == set()
    assert case_actions(fresh(others.auditor), case) == set()
    assert case_actions(fresh(others.process_admin), case) == set()

    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "supplement", "missing_materials": ["缴款凭证"]},
    )
    case.refresh_from_db()
    assert case_actions(fresh(world.rep), case) == {"upload", "supplement"}


def test_auditors_may_not_file_cases(world: World, others: Others) -> None:
    assert world.record is not None
    others.auditor.user_permissions.add(
        *User.objects.get(username="xyb_clerk")
        .groups.get(name=roles.CREDIT_OFFICE_CLERK)
        .permissions.all()
    )
    with pytest.raises(ForbiddenError):
        case_file(
            actor=fresh(others.auditor),
            kind="objection",
            data={"record": world.record.pk, "grounds": "record_wrong", "reason": "x"},
        )


def test_the_proposer_is_told_why_they_may_not_approve(
    world: World, frozen: object
) -> None:
    case = propose(world)
    lapse_window(frozen)
    task = open_task(case.number, "approve_at_level")
    proposer = fresh(world["scj_reviewer"])
    assert task.candidate_group is not None
    proposer.groups.add(task.candidate_group)  # even if they were in the group
    proposer = fresh(proposer)

    with translation.override("en"):
        reason = task_blocked_reason(proposer, task)
    assert reason is not None
    assert "separation of duties" in reason
    assert task_actions(proposer, task) == set()
    assert task_blocked_reason(fresh(world["scj_section_chief"]), task) is None
