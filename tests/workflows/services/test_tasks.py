"""Human tasks: who gets them, and claim, delegate, reassign, complete, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from audit.models import AuditEvent
from tests.workflows.services.conftest import UserFactory, grant, open_task
from workflows.errors import ConflictError, ForbiddenError
from workflows.models import EventSubscription, HumanTask, ProcessInstance
from workflows.selectors.tasks import task_list_for_user
from workflows.services.instances import (
    instance_resume,
    instance_suspend,
    instance_terminate,
)
from workflows.services.tasks import (
    task_claim,
    task_complete,
    task_delegate,
    task_reassign,
    task_resolve,
    task_unclaim,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance]
) -> HumanTask:
    """The open review_application task of a new review_request instance."""
    deploy("review_request")
    return open_task(
        start("review_request", "CASE-7", {"amount": 5}), "review_application"
    )


def _refreshed(task: HumanTask) -> HumanTask:
    return HumanTask.objects.select_related("assignee", "owner").get(pk=task.pk)


def test_lane_gives_the_candidate_group_when_no_property_names_one(
    review: HumanTask,
) -> None:
    assert review.lane == "reviewers"
    assert review.candidate_group is not None
    assert review.candidate_group.name == "reviewers"
    assert review.assignee is None
    assert review.status == HumanTask.Status.OPEN


def test_candidate_group_property_beats_the_lane(
    review: HumanTask, reviewer: Any
) -> None:
    task_complete(actor=reviewer, task_id=review.pk, data={})

    decision = open_task(review.instance, "approve_decision")
    assert decision.lane == "reviewers"
    assert decision.candidate_group is not None
    assert decision.candidate_group.name == "section_chiefs"


def test_task_without_lane_or_group_is_assigned_to_the_initiator(
    deploy: Callable[..., Any], start: Callable[..., ProcessInstance], reviewer: Any
) -> None:
    deploy("confirm_details")

    instance = start("confirm_details", "CASE-8", actor=reviewer)

    task = open_task(instance, "confirm_own_details")
    assert task.candidate_group is None
    assert task.assignee == reviewer
    assert task.status == HumanTask.Status.CLAIMED


def test_group_member_claims_an_open_task(review: HumanTask, reviewer: Any) -> None:
    task_claim(actor=reviewer, task_id=review.pk)

    claimed = _refreshed(review)
    assert claimed.status == HumanTask.Status.CLAIMED
    assert claimed.assignee == reviewer
    assert claimed.claimed_at is not None
    assert claimed in task_list_for_user(reviewer, tab="mine")


def test_non_member_cannot_claim(review: HumanTask, outsider: Any) -> None:
    with pytest.raises(ForbiddenError):
        task_claim(actor=outsider, task_id=review.pk)

    assert _refreshed(review).assignee is None


def test_claiming_a_claimed_task_is_a_conflict_naming_the_holder(
    review: HumanTask, reviewer: Any, colleague: Any
) -> None:
    task_claim(actor=reviewer, task_id=review.pk)

    with pytest.raises(ConflictError, match="already claimed by reviewer-li"):
        task_claim(actor=colleague, task_id=review.pk)

    assert _refreshed(review).assignee == reviewer


def test_unclaim_returns_the_task_to_the_group_queue(
    review: HumanTask, reviewer: Any, colleague: Any
) -> None:
    task_claim(actor=reviewer, task_id=review.pk)

    task_unclaim(actor=reviewer, task_id=review.pk)

    back = _refreshed(review)
    assert (back.status, back.assignee) == (HumanTask.Status.OPEN, None)
    assert back in task_list_for_user(colleague, tab="queue")


def test_delegate_keeps_the_owner_and_the_delegate_resolves_it_back_with_a_draft(
    review: HumanTask, reviewer: Any, colleague: Any
) -> None:
    task_claim(actor=reviewer, task_id=review.pk)

    task_delegate(actor=reviewer, task_id=review.pk, to_user=colleague.username)
    delegated = _refreshed(review)
    assert (delegated.owner, delegated.assignee) == (reviewer, colleague)
    assert delegated.delegation == HumanTask.Delegation.PENDING

    with pytest.raises(ForbiddenError, match="resolved back to its owner"):
        task_complete(actor=colleague, task_id=review.pk, data={"verdict": "ok"})

    task_resolve(actor=colleague, task_id=review.pk, data={"verdict": "ok"})
    resolved = _refreshed(review)
    assert (resolved.owner, resolved.assignee) == (reviewer, reviewer)
    assert resolved.delegation == HumanTask.Delegation.RESOLVED
    assert resolved.draft == {"verdict": "ok"}
    assert resolved.status == HumanTask.Status.CLAIMED

    task_complete(actor=reviewer, task_id=review.pk, data={"verdict": "ok"})
    assert _refreshed(review).completed_by == reviewer


def test_reassign_needs_the_reassign_permission(
    review: HumanTask, reviewer: Any, colleague: Any, chief: Any
) -> None:
    with pytest.raises(ForbiddenError):
        task_reassign(actor=reviewer, task_id=review.pk, to_user=colleague.username)
    assert _refreshed(review).assignee is None

    task_reassign(actor=chief, task_id=review.pk, to_user=colleague.username)

    moved = _refreshed(review)
    assert (moved.assignee, moved.status) == (colleague, HumanTask.Status.CLAIMED)
    event = AuditEvent.objects.get(action="task.reassign")
    assert event.detail["override"] is False


@pytest.mark.parametrize("admin_kind", ["superuser", "system_admin_group"])
def test_system_administrator_may_act_on_any_task_audited_as_override(
    review: HumanTask, reviewer: Any, admin_kind: str
) -> None:
    if admin_kind == "superuser":
        admin = UserFactory.create(username="root-admin", is_superuser=True)
    else:
        admin = UserFactory.create(username="sys-admin", groups=["system_admin"])
    task_claim(actor=reviewer, task_id=review.pk)

    task_complete(actor=admin, task_id=review.pk, data={"verdict": "by admin"})

    done = _refreshed(review)
    assert (done.status, done.completed_by) == (HumanTask.Status.COMPLETED, admin)
    event = AuditEvent.objects.get(action="task.complete")
    assert event.actor_id == admin.pk
    assert event.detail["override"] is True


def test_a_group_members_own_action_is_not_an_override(
    review: HumanTask, reviewer: Any
) -> None:
    task_claim(actor=reviewer, task_id=review.pk)

    assert AuditEvent.objects.get(action="task.claim").detail["override"] is False


def test_completing_a_completed_task_is_a_conflict_saying_who_completed_it(
    review: HumanTask, reviewer: Any, colleague: Any
) -> None:
    task_complete(actor=reviewer, task_id=review.pk, data={})

    with pytest.raises(ConflictError, match="already completed by reviewer-li"):
        task_complete(actor=colleague, task_id=review.pk, data={})

    assert AuditEvent.objects.filter(action="task.complete").count() == 1


def test_completing_a_task_of_a_suspended_instance_is_a_conflict(
    review: HumanTask, reviewer: Any, operator: Any
) -> None:
    instance_suspend(actor=operator, instance_id=review.instance_id, reason="audit")

    with pytest.raises(ConflictError, match="Suspended"):
        task_complete(actor=reviewer, task_id=review.pk, data={})

    assert _refreshed(review).status == HumanTask.Status.OPEN
    instance_resume(actor=operator, instance_id=review.instance_id, reason="done")
    task_complete(actor=reviewer, task_id=review.pk, data={})
    assert _refreshed(review).status == HumanTask.Status.COMPLETED


def test_managing_instances_needs_the_manage_permission(
    review: HumanTask, reviewer: Any
) -> None:
    with pytest.raises(ForbiddenError):
        instance_suspend(actor=reviewer, instance_id=review.instance_id, reason="no")

    manager = grant(reviewer, "workflows.manage_instance")
    instance_suspend(actor=manager, instance_id=review.instance_id, reason="yes")


def test_terminate_cancels_open_tasks_and_waits(
    deploy: Callable[..., Any],
    start: Callable[..., ProcessInstance],
    clock: Any,
    operator: Any,
) -> None:
    deploy("answer_deadline")
    instance = start("answer_deadline", "CASE-9")
    task = open_task(instance, "answer_request")

    instance_terminate(actor=operator, instance_id=instance.pk, reason="withdrawn")

    instance.refresh_from_db()
    assert instance.status == ProcessInstance.Status.TERMINATED
    assert instance.ended_at is not None
    assert instance.next_timer_at is None
    assert not EventSubscription.objects.filter(instance=instance).exists()
    cancelled = _refreshed(task)
    assert cancelled.status == HumanTask.Status.CANCELLED
    with pytest.raises(ConflictError, match="cancelled"):
        task_complete(actor=operator, task_id=task.pk, data={})
