"""Task inbox queries: one SQL query per list, filtered by who is asking."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from workflows.errors import NotFoundError
from workflows.models import HumanTask
from workflows.policies import is_system_admin

TABS = ("mine", "queue", "done", "all")


def _visible(user: User) -> Q:
    """Tasks a user may see: theirs, their groups' queues, those they completed."""
    return (
        Q(assignee=user)
        | Q(owner=user)
        | Q(completed_by=user)
        | Q(candidate_group__in=user.groups.all())
    )


def task_list_for_user(
    user: User,
    *,
    tab: str = "mine",
    instance_id: uuid.UUID | str | None = None,
) -> QuerySet[HumanTask]:
    """List tasks for an inbox tab: mine, (group) queue, done, or all I may see."""
    if tab not in TABS:
        raise ValueError(f"tab must be one of {', '.join(TABS)}")
    tasks = HumanTask.objects.select_related("candidate_group", "assignee")
    if tab == "mine":
        tasks = tasks.open().filter(assignee=user)
    elif tab == "queue":
        tasks = tasks.filter(
            status=HumanTask.Status.OPEN,
            assignee__isnull=True,
            candidate_group__in=user.groups.all(),
        )
    elif tab == "done":
        tasks = tasks.filter(status=HumanTask.Status.COMPLETED, completed_by=user)
    elif not is_system_admin(user):
        tasks = tasks.filter(_visible(user))
    if instance_id is not None:
        try:
            tasks = tasks.filter(instance_id=uuid.UUID(str(instance_id)))
        except ValueError:
            raise NotFoundError("no such instance") from None
    order = "-completed_at" if tab == "done" else "due_at"
    return tasks.order_by(order, "created_at", "pk")


def task_get(user: User, task_id: uuid.UUID | str) -> HumanTask:
    """Return a task the user may see; answer 'not found' for any other."""
    try:
        return task_list_for_user(user, tab="all").get(pk=task_id)
    except (HumanTask.DoesNotExist, ValueError):
        raise NotFoundError("no such task") from None
