"""Task grants follow the work: queue, claim, delegate, resolve, reassign, complete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from audit.models import AuditEvent
from tests.workflows.services.conftest import open_task
from workflows.access import task_actions, task_blocked_reason
from workflows.errors import ForbiddenError, NotFoundError
from workflows.models import (
    HumanTask,
    HumanTaskGroupObjectPermission,
    HumanTaskUserObjectPermission,
    ProcessInstance,
)
from workflows.selectors.tasks import task_get, task_list_for_user
from workflows.services.instances import instance_terminate
from workflows.services.tasks import (
    task_claim,
    task_complete,
    task_delegate,
    task_reassign,
    task_resolve,
    task_unclaim,
)

pytestmark = pytest.mark.django_db
Start = Callable[..., ProcessInstance]


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def _tab(user: User, tab: str) -> set[str]:
    return {str(t.pk) for t in task_list_for_user(_fresh(user), tab=tab)}


def _holders(task: HumanTask, codename: str) -> set[str]:
    users = HumanTaskUserObjectPermission.objects.filter(
        content_object=task, permission__codename=codename
    ).values_list("user__username", flat=True)
    groups = HumanTaskGroupObjectPermission.objects.filter(
        content_object=task, permission__codename=codename
    ).values_list("group__name", flat=True)
    return set(users) | {f"group:{g}" for g in groups}


@pytest.fixture
def task(deploy: Callable[..., Any], start: Start) -> HumanTask:
    deploy("review_request")
    instance = start("review_request", "CASE-90", {"amount": 3})
    return open_task(instance, "review_application")


def test_a_new_task_is_viewed_and_claimed_by_its_candidate_group_only(
    task: HumanTask, reviewer: User, colleague: User, outsider: User
) -> None:
    assert _holders(task, "view_humantask") == {"group:reviewers"}
    assert _holders(task, "claim_humantask") == {"group:reviewers"}
    assert _holders(task, "complete_humantask") == set()
    assert str(task.pk) in _tab(reviewer, "queue") & _tab(colleague, "all")
    assert _tab(outsider, "all") == set()
    with pytest.raises(NotFoundError):
        task_get(_fresh(outsider), task.pk)


def test_claiming_moves_the_claim_to_the_holder_and_unclaiming_moves_it_back(
    task: HumanTask, reviewer: User, colleague: User
) -> None:
    task_claim(actor=reviewer, task_id=task.pk)

    assert _holders(task, "claim_humantask") == set()
    assert _holders(task, "complete_humantask") == {reviewer.username}
    assert str(task.pk) in _tab(reviewer, "mine")
    assert str(task.pk) not in _tab(colleague, "queue")
    assert str(task.pk) in _tab(colleague, "all")  # the group still sees it
    event = AuditEvent.objects.get(action="task.claim")
    assert {g["action"] for g in event.detail["grants"]} == {"grant", "revoke"}

    task_unclaim(actor=reviewer, task_id=task.pk)
    assert _holders(task, "claim_humantask") == {"group:reviewers"}
    assert _holders(task, "complete_humantask") == set()
    assert str(task.pk) in _tab(colleague, "queue")


def test_delegation_and_reassignment_move_the_right_to_complete(
    task: HumanTask, reviewer: User, colleague: User, chief: User, outsider: User
) -> None:
    task_claim(actor=reviewer, task_id=task.pk)
    task_delegate(actor=reviewer, task_id=task.pk, to_user=colleague.username)
    assert _holders(task, "complete_humantask") == {colleague.username}
    assert str(task.pk) in _tab(reviewer, "all")  # the owner keeps the view

    task_resolve(actor=colleague, task_id=task.pk, data={"note": "fine"})
    assert _holders(task, "complete_humantask") == {reviewer.username}

    task_reassign(actor=chief, task_id=task.pk, to_user=outsider.username)
    assert _holders(task, "complete_humantask") == {outsider.username}
    assert str(task.pk) in _tab(outsider, "mine")
    assert task_actions(_fresh(outsider), HumanTask.objects.get(pk=task.pk)) >= {
        "complete"
    }


def test_a_completed_task_can_be_claimed_and_completed_by_nobody(
    task: HumanTask, reviewer: User, colleague: User
) -> None:
    task_claim(actor=reviewer, task_id=task.pk)
    task_complete(actor=reviewer, task_id=task.pk, data={"score": 7})

    assert _holders(task, "claim_humantask") == set()
    assert _holders(task, "complete_humantask") == set()
    assert reviewer.username in _holders(task, "view_humantask")
    assert str(task.pk) in _tab(reviewer, "done")
    assert str(task.pk) in _tab(colleague, "all")  # history stays readable
    event = AuditEvent.objects.get(action="task.complete")
    assert any(g["on"] == f"task:{task.pk}" for g in event.detail["grants"])
    # The next task (the chief's decision) was granted in the same step.
    decision = HumanTask.objects.open().get(element_id="approve_decision")
    assert any(g["on"] == f"task:{decision.pk}" for g in event.detail["grants"])


def test_termination_revokes_every_right_to_act_on_open_tasks(
    task: HumanTask, operator: User, reviewer: User
) -> None:
    task_claim(actor=reviewer, task_id=task.pk)
    instance_terminate(actor=operator, instance_id=task.instance_id, reason="dup")

    assert _holders(task, "complete_humantask") == set()
    assert _holders(task, "claim_humantask") == set()
    assert str(task.pk) in _tab(reviewer, "all")
    event = AuditEvent.objects.get(action="instance.terminate")
    assert event.detail["grants"]


@pytest.mark.parametrize("role_user", ["auditor", "process_admin"])
def test_auditors_and_process_admins_never_act_even_when_in_the_group(
    task: HumanTask, reviewer: User, role_user: str, request: pytest.FixtureRequest
) -> None:
    user = _fresh(request.getfixturevalue(role_user))

    assert task_actions(user, task) == set()
    assert task_blocked_reason(user, task)
    with pytest.raises(ForbiddenError):
        task_claim(actor=user, task_id=task.pk)
    with pytest.raises(ForbiddenError):
        task_complete(actor=user, task_id=task.pk, data={"score": 1})
    task_claim(actor=reviewer, task_id=task.pk)
    with pytest.raises(ForbiddenError):
        task_delegate(actor=reviewer, task_id=task.pk, to_user=user.username)
    assert HumanTask.objects.get(pk=task.pk).assignee == reviewer


def test_auditors_see_every_task_read_only(
    task: HumanTask, auditor: User, outsider: User
) -> None:
    outsider.groups.add(*auditor.groups.filter(name="auditor"))
    assert str(task.pk) in _tab(outsider, "all")
    assert task_actions(_fresh(outsider), task) == set()


def test_task_actions_follow_the_state(
    task: HumanTask, reviewer: User, colleague: User, chief: User
) -> None:
    assert task_actions(_fresh(reviewer), task) == {"claim"}
    assert task_actions(_fresh(chief), task) == {"reassign"}
    task_claim(actor=reviewer, task_id=task.pk)
    held = HumanTask.objects.get(pk=task.pk)
    assert task_actions(_fresh(reviewer), held) == {
        "complete",
        "delegate",
        "save_draft",
        "unclaim",
    }
    assert task_actions(_fresh(colleague), held) == set()
    assert task_blocked_reason(_fresh(reviewer), held) is None


@pytest.mark.parametrize("tab", ["mine", "queue", "done", "all"])
def test_every_tab_is_one_query(
    task: HumanTask,
    reviewer: User,
    tab: str,
    django_assert_num_queries: Any,
) -> None:
    user = _fresh(reviewer)
    with django_assert_num_queries(1):
        rows = list(task_list_for_user(user, tab=tab))
        assert all(r.candidate_group is None or r.candidate_group.name for r in rows)
