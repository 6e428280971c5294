"""Task inbox queries: one SQL query per list, filtered by who is asking.

Visibility comes from the object grants the runtime keeps on each task
(``workflows.access.grants``): the candidate group may view and claim an open task,
its department's section chief and head may view it, the assignee may view and
complete it, and whoever completed it keeps the view. Auditors and system
administrators see every task.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.db.models import QuerySet

from workflows.access.visibility import task_claimable, task_visible
from workflows.errors import NotFoundError
from workflows.models import HumanTask

TABS = ("mine", "queue", "done", "all")


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
            task_claimable(user), status=HumanTask.Status.OPEN, assignee__isnull=True
        )
    elif tab == "done":
        tasks = tasks.filter(status=HumanTask.Status.COMPLETED, completed_by=user)
    else:
        tasks = tasks.filter(task_visible(user))
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
