"""Human task operations: claim, unclaim, delegate, resolve, reassign, complete."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import record
from notifications.services import notify_task_event
from workflows.access import grants, ledger
from workflows.engine.runner import ProcessSession
from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from workflows.models import HumanTask, ProcessInstance
from workflows.policies import in_candidate_group, require_may_act, task_override
from workflows.services.steps import advance, guarded
from workflows.services.task_data import check_task_form, clean_task_data

Actor = User | None


def _lock_instance_of(task_id: uuid.UUID | str) -> ProcessInstance:
    try:
        return (
            ProcessInstance.objects.select_for_update(of=("self",))
            .select_related("definition")
            .defer("definition__sources")
            .get(tasks__pk=task_id)
        )
    except (ProcessInstance.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFoundError("no such task") from None


def _lock_task(task_id: uuid.UUID | str) -> tuple[HumanTask, ProcessInstance]:
    """Lock the task's instance, then read the task fresh under that lock."""
    instance = _lock_instance_of(task_id)
    task = HumanTask.objects.select_related("assignee").get(pk=task_id)
    return task, instance


def _lock_task_and_open(
    task_id: uuid.UUID | str,
) -> tuple[HumanTask, ProcessInstance, list[HumanTask]]:
    """Like _lock_task, also reading the instance's other open tasks in one query."""
    instance = _lock_instance_of(task_id)
    rows = HumanTask.objects.select_related("assignee", "completed_by").filter(
        Q(pk=task_id) | Q(instance=instance, status__in=HumanTask.OPEN_STATUSES)
    )
    wanted = uuid.UUID(str(task_id))
    task = next(t for t in rows if t.pk == wanted)
    return task, instance, [t for t in rows if t.pk != wanted]


def _require_not_excluded(user: Actor, task: HumanTask) -> None:
    """Separation of duties holds whatever the grants say, overrides included."""
    if user is not None and user.get_username() in (task.excluded_usernames or []):
        raise ForbiddenError(
            f"{user.get_username()} proposed or prepared this and may not act on "
            f"task {task.name!r} (separation of duties)"
        )


def _require_open(task: HumanTask, instance: ProcessInstance) -> None:
    if task.status == HumanTask.Status.COMPLETED:
        who = task.completed_by.get_username() if task.completed_by else "the system"
        when = timezone.localtime(task.completed_at).strftime("%Y-%m-%d %H:%M")
        raise ConflictError(
            f"task {task.name!r} was already completed by {who} at {when}"
        )
    if task.status == HumanTask.Status.CANCELLED:
        raise ConflictError(f"task {task.name!r} was cancelled by the process")
    if instance.status in (
        ProcessInstance.Status.SUSPENDED,
        ProcessInstance.Status.TERMINATED,
    ):
        raise ConflictError(f"the process is {instance.get_status_display()}")


def _audit(
    action: str,
    actor: Actor,
    task: HumanTask,
    *,
    before: dict[str, Any],
    override: bool,
    detail: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    record(
        action=action,
        actor=actor,
        system="" if actor else "cli",
        target=task,
        case_number=task.case_number,
        department_code=task.department_code,
        process_instance_id=str(task.instance_id),
        before=before,
        after=dict(after) if after is not None else _snapshot(task),
        detail={"element": task.element_id, "override": override, **(detail or {})},
    )


def _snapshot(task: HumanTask) -> dict[str, Any]:
    return {
        "status": task.status,
        "assignee": task.assignee.get_username() if task.assignee else None,
        "owner": task.owner.get_username() if task.owner else None,
        "delegation": task.delegation,
    }


def _user(user_id_or_name: Any) -> User:
    model = get_user_model()
    lookup = (
        {"pk": user_id_or_name}
        if isinstance(user_id_or_name, int)
        else {model.USERNAME_FIELD: str(user_id_or_name)}
    )
    user = model._default_manager.filter(is_active=True, **lookup).first()
    if user is None:
        raise InvalidInputError(f"no active user {user_id_or_name!r}")
    return user


@transaction.atomic
def task_claim(*, actor: Actor, task_id: uuid.UUID | str) -> HumanTask:
    """Take an open task from the candidate group's queue."""
    task, instance = _lock_task(task_id)
    _require_open(task, instance)
    if task.assignee_id is not None:
        if actor is not None and task.assignee_id == actor.pk:
            return task
        holder = task.assignee.get_username() if task.assignee else "someone"
        raise ConflictError(f"task is already claimed by {holder}")
    if actor is None:
        raise InvalidInputError("a task is claimed by a person: name the user")
    require_may_act(actor, "claim tasks")
    _require_not_excluded(actor, task)
    override = task_override(
        actor, task, allowed=in_candidate_group(actor, task), what="claim"
    )
    before = _snapshot(task)
    task.assignee, task.status, task.claimed_at = (
        actor,
        HumanTask.Status.CLAIMED,
        timezone.now(),
    )
    task.save(update_fields=["assignee", "status", "claimed_at"])
    changed = grants.task_holder_set(task, actor, was_held=False)
    _audit(
        "task.claim",
        actor,
        task,
        before=before,
        override=override,
        detail={"grants": changed},
    )
    return task


@transaction.atomic
def task_unclaim(*, actor: Actor, task_id: uuid.UUID | str) -> HumanTask:
    """Put a claimed task back into its group queue."""
    task, instance = _lock_task(task_id)
    _require_open(task, instance)
    if task.candidate_group_id is None:
        raise InvalidInputError("this task has no group queue to return to")
    mine = actor is not None and task.assignee_id == actor.pk
    override = task_override(actor, task, allowed=mine, what="unclaim")
    before = _snapshot(task)
    task.assignee, task.status, task.claimed_at = None, HumanTask.Status.OPEN, None
    task.owner, task.delegation = None, HumanTask.Delegation.NONE
    task.save(update_fields=["assignee", "status", "claimed_at", "owner", "delegation"])
    changed = grants.task_holder_set(task, None)
    _audit(
        "task.unclaim",
        actor,
        task,
        before=before,
        override=override,
        detail={"grants": changed},
    )
    return task


@transaction.atomic
def task_delegate(*, actor: Actor, task_id: uuid.UUID | str, to_user: Any) -> HumanTask:
    """Hand a claimed task to a colleague who resolves it back; the owner keeps it."""
    task, instance = _lock_task(task_id)
    _require_open(task, instance)
    if task.assignee_id is None:
        raise InvalidInputError("claim the task before delegating it")
    mine = actor is not None and task.assignee_id == actor.pk
    override = task_override(actor, task, allowed=mine, what="delegate")
    require_may_act(actor, "delegate tasks")
    delegate = _user(to_user)
    require_may_act(delegate, "be given tasks")
    _require_not_excluded(delegate, task)
    if delegate.pk == task.assignee_id:
        raise InvalidInputError("the task is already with this person")
    before = _snapshot(task)
    task.owner = task.owner or task.assignee
    task.assignee, task.status = delegate, HumanTask.Status.CLAIMED
    task.delegation = HumanTask.Delegation.PENDING
    task.save(update_fields=["owner", "assignee", "status", "delegation"])
    changed = grants.task_holder_set(task, delegate)
    _audit(
        "task.delegate",
        actor,
        task,
        before=before,
        override=override,
        detail={"grants": changed},
    )
    notify_task_event(
        kind="task.delegated",
        task_name=task.name,
        case_number=task.case_number,
        recipients=[delegate],
    )
    return task


@transaction.atomic
def task_resolve(
    *, actor: Actor, task_id: uuid.UUID | str, data: Mapping[str, Any] | None = None
) -> HumanTask:
    """Give a delegated task back to its owner, with the delegate's work as a draft."""
    task, instance = _lock_task(task_id)
    _require_open(task, instance)
    if task.delegation != HumanTask.Delegation.PENDING:
        raise InvalidInputError("this task is not delegated")
    mine = actor is not None and task.assignee_id == actor.pk
    override = task_override(actor, task, allowed=mine, what="resolve")
    require_may_act(actor, "resolve tasks")
    draft = clean_task_data(data)
    check_task_form(task, instance, draft, partial=True)
    before = _snapshot(task)
    task.assignee, task.delegation = task.owner, HumanTask.Delegation.RESOLVED
    task.draft = {**(task.draft or {}), **draft}
    task.save(update_fields=["assignee", "delegation", "draft"])
    changed = grants.task_holder_set(task, task.owner)
    _audit(
        "task.resolve",
        actor,
        task,
        before=before,
        override=override,
        detail={"fields": sorted(draft), "grants": changed},
    )
    return task


@transaction.atomic
def task_reassign(*, actor: Actor, task_id: uuid.UUID | str, to_user: Any) -> HumanTask:
    """Give an open task to a named person (section chiefs)."""
    task, instance = _lock_task(task_id)
    _require_open(task, instance)
    allowed = actor is None or actor.has_perm("workflows.reassign_task")
    override = task_override(actor, task, allowed=allowed, what="reassign")
    require_may_act(actor, "reassign tasks")
    user = _user(to_user)
    require_may_act(user, "be given tasks")
    _require_not_excluded(user, task)
    before = _snapshot(task)
    task.assignee, task.status, task.claimed_at = (
        user,
        HumanTask.Status.CLAIMED,
        timezone.now(),
    )
    task.owner, task.delegation = None, HumanTask.Delegation.NONE
    task.save(update_fields=["assignee", "status", "claimed_at", "owner", "delegation"])
    changed = grants.task_holder_set(
        task, user, was_held=before["assignee"] is not None
    )
    _audit(
        "task.reassign",
        actor,
        task,
        before=before,
        override=override,
        detail={"grants": changed},
    )
    notify_task_event(
        kind="task.assigned",
        task_name=task.name,
        case_number=task.case_number,
        recipients=[user],
    )
    return task


def _may_complete(actor: Actor, task: HumanTask) -> bool:
    if actor is None:
        return True
    if task.assignee_id is not None:
        return bool(task.assignee_id == actor.pk)
    return in_candidate_group(actor, task)


def complete_locked(
    task: HumanTask,
    instance: ProcessInstance,
    data: dict[str, Any],
    *,
    actor: Actor,
    override: bool,
    open_tasks: list[HumanTask] | None = None,
) -> HumanTask:
    """Complete a task whose instance is locked and whose checks have passed.

    ``open_tasks`` are the instance's other open tasks when the caller already read
    them under the lock; the projection then need not read them again.
    """
    before = _snapshot(task)
    held_by = task.assignee_id
    task.status, task.completed_at = HumanTask.Status.COMPLETED, timezone.now()
    task.completed_by = actor if actor is not None else None
    if task.assignee_id is None and actor is not None:
        task.assignee = actor
    task.outcome = data
    task.save(
        update_fields=["status", "completed_at", "completed_by", "assignee", "outcome"]
    )
    changed = grants.task_closed(task, actor, held_by=held_by)

    def complete(session: ProcessSession) -> None:
        session.complete(task.spiff_task_id, data)

    with ledger.collect() as granted:
        advance(instance, actor=actor, apply=complete, open_tasks=open_tasks)
    _audit(
        "task.complete",
        actor,
        task,
        before=before,
        override=override,
        after={**_snapshot(task), "data": data},
        detail={"grants": changed + granted},
    )
    return task


def task_complete(
    *, actor: Actor, task_id: uuid.UUID | str, data: Mapping[str, Any] | None = None
) -> HumanTask:
    """Complete a task with form data and run the process to its next wait state."""
    cleaned = clean_task_data(data)

    def body() -> HumanTask:
        task, instance, others = _lock_task_and_open(task_id)
        _require_open(task, instance)
        if task.delegation == HumanTask.Delegation.PENDING:
            raise ForbiddenError(
                "a delegated task is resolved back to its owner, not completed"
            )
        require_may_act(actor, "complete tasks")
        _require_not_excluded(actor, task)
        override = task_override(
            actor, task, allowed=_may_complete(actor, task), what="complete"
        )
        # Before the engine step: nothing the form does not declare reaches it.
        check_task_form(task, instance, cleaned)
        return complete_locked(
            task, instance, cleaned, actor=actor, override=override, open_tasks=others
        )

    def instance_id() -> uuid.UUID | None:
        if not _is_uuid(task_id):
            return None
        tasks = HumanTask.objects.filter(pk=task_id)
        return tasks.values_list("instance_id", flat=True).first()

    operation = {
        "kind": "complete",
        "task_id": str(task_id),
        "data": cleaned,
        "actor_id": actor.pk if actor else None,
    }
    return guarded(body, instance_id=instance_id, operation=operation, actor=actor)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@transaction.atomic
def task_draft_save(
    *, actor: Actor, task_id: uuid.UUID | str, data: Mapping[str, Any] | None
) -> HumanTask:
    """Keep the unfinished form input of a claimed task, checked as a draft."""
    draft = clean_task_data(data)
    task, instance = _lock_task(task_id)
    _require_open(task, instance)
    if actor is None:
        raise InvalidInputError("a draft is saved by a person: name the user")
    require_may_act(actor, "work on tasks")
    _require_not_excluded(actor, task)
    mine = task.assignee_id == actor.pk
    override = task_override(actor, task, allowed=mine, what="save a draft of")
    check_task_form(task, instance, draft, partial=True)
    before = {**_snapshot(task), "draft_fields": sorted(task.draft or {})}
    task.draft = draft
    task.save(update_fields=["draft"])
    _audit(
        "task.draft_save",
        actor,
        task,
        before=before,
        override=override,
        after={**_snapshot(task), "draft_fields": sorted(draft)},
    )
    return task
