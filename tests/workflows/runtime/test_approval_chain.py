"""approval_chain: levels in order, stop at a refusal, no self-approval."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from workflows.engine.parsing import SourceFile
from workflows.errors import ForbiddenError
from workflows.models import HumanTask, ProcessInstance
from workflows.services.deploy import definition_deploy
from workflows.services.instances import process_start
from workflows.services.tasks import task_claim, task_complete

pytestmark = pytest.mark.django_db
BPMN = Path(settings.BPMN_DIR) / "approval_chain.bpmn"
FORM = Path(settings.BPMN_DIR) / "forms" / "approval_level.json"
LEVELS = ["APP.section_chief", "APP.head"]


@pytest.fixture
def people() -> dict[str, User]:
    users = {}
    for name, group in (
        ("proposer", LEVELS[0]),
        ("chief", LEVELS[0]),
        ("head", LEVELS[1]),
    ):
        users[name] = User.objects.create_user(name)
        users[name].groups.add(Group.objects.get_or_create(name=group)[0])
    admin = User.objects.create_superuser("admin")
    files = [SourceFile(path.name, path.read_bytes()) for path in (BPMN, FORM)]
    definition_deploy(actor=admin, files=files)
    users["admin"] = admin
    return users


def _start(admin: User) -> ProcessInstance:
    return process_start(
        actor=admin,
        process_id="approval_chain",
        business_key="CHAIN-1",
        data={"approval_levels": LEVELS, "proposer": "proposer"},
    )


def _group_of_open_task() -> str:
    group = HumanTask.objects.open().get().candidate_group
    assert group is not None
    return group.name


def _result(instance: ProcessInstance) -> dict[str, Any]:
    instance.refresh_from_db()
    assert instance.result is not None
    return dict(instance.result)


def _approve(user: User, approved: bool) -> None:
    task = HumanTask.objects.open().get()
    task_claim(actor=user, task_id=task.pk)
    task_complete(
        actor=user,
        task_id=task.pk,
        data={
            "approval": {"approved": approved, "comment": "" if approved else "不同意"}
        },
    )


def test_every_level_approves_in_order_and_the_chain_is_approved(people) -> None:
    instance = _start(people["admin"])
    assert _group_of_open_task() == LEVELS[0]
    _approve(people["chief"], True)
    assert _group_of_open_task() == LEVELS[1]
    _approve(people["head"], True)
    result = _result(instance)
    assert instance.status == "completed"
    assert result["chain_approved"] is True
    assert len(result["approvals"]) == 2


def test_a_refusal_stops_the_chain_at_that_level(people) -> None:
    instance = _start(people["admin"])
    _approve(people["chief"], False)
    result = _result(instance)
    assert instance.status == "completed"
    assert result["chain_approved"] is False
    assert not HumanTask.objects.open().exists()


def test_the_proposer_may_not_approve_even_in_the_right_group(people) -> None:
    _start(people["admin"])
    task = HumanTask.objects.open().get()
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_claim(actor=people["proposer"], task_id=task.pk)
    with pytest.raises(ForbiddenError, match="separation of duties"):
        task_complete(actor=people["proposer"], task_id=task.pk, data={})
