"""Helpers of the list tests: a measures catalogue, a proposal, a listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.credit.processes.conftest import World, work
from workflows.credit.filing import case_file
from workflows.credit.models import Case, ListEntry, Measure
from workflows.models import HumanTask, ProcessInstance
from workflows.services.tasks import task_claim, task_complete
from workflows.services.timers import timers_fire_due

SERIOUS = ListEntry.ListType.SERIOUS_DISHONESTY
# (code, implementing department, list types)
CATALOGUE = (
    ("SCJ-01", "SCJ", [SERIOUS]),
    ("SCJ-02", "SCJ", [SERIOUS, ListEntry.ListType.KEY_ATTENTION]),
    ("RSJ-01", "RSJ", [SERIOUS]),
    ("SWJ-01", "SWJ", [ListEntry.ListType.KEY_ATTENTION]),
)


@pytest.fixture
def catalogue(world: World) -> dict[str, Measure]:
    """SCJ has two measures for the serious list, RSJ one, SWJ none (only key)."""
    measures = {}
    for code, department, list_types in CATALOGUE:
        measures[code] = Measure.objects.create(
            code=code,
            name=f"惩戒措施 {code}",
            kind=Measure.Kind.MANDATORY,
            implementing_department=world.departments[department],
            list_types=Measure.encode_list_types(list_types),
            legal_basis="国办发〔2020〕49号",
        )
    return measures


def propose(world: World, **extra: Any) -> Case:
    """Propose listing the world's subject on the serious list, as SCJ's reviewer."""
    assert world.subject is not None
    assert world.record is not None
    data = {
        "subject": world.subject.pk,
        "list_type": SERIOUS,
        "basis": "拒不履行法定义务，严重影响行政机关公信力",
        "evidence": ["示市监罚〔2026〕1号 处罚决定书", "催告书送达回证"],
        "record": world.record.pk,
        **extra,
    }
    return case_file(actor=world["scj_reviewer"], kind="list_entry", data=data)


def lapse_window(frozen: Any) -> None:
    """Let the five-working-day statement window pass and fire the timer."""
    frozen.shift(dt.timedelta(days=8))
    timers_fire_due()


def approve(world: World, case: Case, user: str, approved: bool = True) -> None:
    vote = {"approval": {"approved": approved, "comment": f"{user}: {approved}"}}
    work(world[user], case.number, "approve_at_level", vote)


def sign(world: World, case: Case) -> None:
    decision = {
        "reasons": "经查证属实，符合严重失信主体名单认定标准",
        "removal_conditions": "履行法定义务并完成信用修复",
    }
    work(
        world["scj_head"],
        case.number,
        "sign_listing_decision",
        {"listing_decision": decision},
    )


def listed(world: World, frozen: Any) -> Case:
    """Propose, let the window lapse, approve in the chain and sign: a listed case."""
    case = propose(world)
    lapse_window(frozen)
    approve(world, case, "scj_section_chief")
    approve(world, case, "scj_head")
    sign(world, case)
    return refreshed(case)


def refreshed(case: Case) -> Case:
    return Case.objects.select_related("target_list_entry").get(pk=case.pk)


def entry_of(case: Case) -> ListEntry:
    entry = refreshed(case).target_list_entry
    assert entry is not None
    return entry


def instance_of(case: Case, process_id: str) -> ProcessInstance:
    return ProcessInstance.objects.get(business_key=case.number, process_id=process_id)


def department_task(case: Case, element: str, group: str) -> HumanTask:
    return HumanTask.objects.open().get(
        case_number=case.number, element_id=element, candidate_group__name=group
    )


def feedback(world: World, case: Case, department: str, answers: list[Any]) -> None:
    """Answer a department's joint punishment task as its officer."""
    officer = world[f"{department.lower()}_officer"]
    task = department_task(case, "apply_measures", f"{department}.officer")
    if task.assignee_id is None:
        task_claim(actor=officer, task_id=task.pk)
    task_complete(actor=officer, task_id=task.pk, data={"measures_feedback": answers})


def all_applied(world: World, case: Case) -> None:
    """SCJ applies both of its measures and RSJ its one."""
    feedback(
        world,
        case,
        "SCJ",
        [
            {"measure": "SCJ-01", "applied": True},
            {"measure": "SCJ-02", "applied": True},
        ],
    )
    feedback(world, case, "RSJ", [{"measure": "RSJ-01", "applied": True}])


def local(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_default_timezone())


def group_of(task: HumanTask) -> str:
    """The name of a task's candidate group."""
    assert task.candidate_group is not None
    return task.candidate_group.name


def groups_of(tasks: Iterable[HumanTask]) -> list[str]:
    return sorted(group_of(task) for task in tasks)


def decision_of(case: Case) -> dict[str, Any]:
    decision = refreshed(case).decision
    assert isinstance(decision, dict)
    return decision


def rep(world: World) -> User:
    """The subject's representative."""
    assert world.rep is not None
    return world.rep
