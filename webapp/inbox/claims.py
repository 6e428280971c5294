"""Claim several tasks one by one, and say in plain words what became of each."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from workflows.models import HumanTask
from workflows.selectors.tasks import task_list_for_user
from workflows.services.tasks import task_claim


@dataclass(frozen=True)
class ClaimOutcome:
    """What happened to one ticked task: claimed, or why not."""

    task_id: str
    label: str
    result: str  # "claimed" | "taken" | "closed" | "refused" | "missing"
    message: str

    @property
    def ok(self) -> bool:
        return self.result == "claimed"


def task_label(task: HumanTask) -> str:
    return f"{task.case_number} · {task.name}"


def conflict_message(task_id: uuid.UUID | str, user: User, fallback: str) -> str:
    """Explain, from the task as it is now, why someone else's change came first."""
    task = (
        HumanTask.objects.select_related("assignee", "completed_by")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        return fallback
    if task.status == HumanTask.Status.COMPLETED:
        who = task.completed_by.get_username() if task.completed_by else _("the system")
        when = timezone.localtime(task.completed_at) if task.completed_at else None
        return _("Already completed by %(user)s at %(time)s.") % {
            "user": who,
            "time": when.strftime("%Y-%m-%d %H:%M") if when else "—",
        }
    if task.status == HumanTask.Status.CANCELLED:
        return _("The process cancelled this task; nothing is left to do here.")
    if task.assignee is not None and task.assignee_id != user.pk:
        return _("Already taken by %(user)s.") % {"user": task.assignee.get_username()}
    return fallback


def refusal_message(error: Exception) -> str:
    return _("Not allowed: %(reason)s") % {"reason": str(error).splitlines()[0]}


def _claim_one(user: User, task: HumanTask) -> ClaimOutcome:
    label = task_label(task)
    try:
        task_claim(actor=user, task_id=task.pk)
    except ConflictError as exc:
        message = conflict_message(task.pk, user, str(exc))
        return ClaimOutcome(str(task.pk), label, "taken", message)
    except (ForbiddenError, InvalidInputError) as exc:
        return ClaimOutcome(str(task.pk), label, "refused", refusal_message(exc))
    except NotFoundError:
        return ClaimOutcome(str(task.pk), label, "missing", _("Not found."))
    return ClaimOutcome(str(task.pk), label, "claimed", _("Claimed."))


def _uuids(ids: Iterable[str]) -> list[uuid.UUID]:
    found = []
    for value in ids:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def claim_each(user: User, ids: Iterable[str]) -> list[ClaimOutcome]:
    """Claim each task in its own transaction; one failure never undoes another."""
    wanted = list(dict.fromkeys(str(i) for i in ids))
    visible = {
        str(task.pk): task
        for task in task_list_for_user(user, tab="all").filter(pk__in=_uuids(wanted))
    }
    outcomes = []
    for task_id in wanted:
        task = visible.get(task_id)
        if task is None:
            outcomes.append(ClaimOutcome(task_id, task_id, "missing", _("Not found.")))
        else:
            outcomes.append(_claim_one(user, task))
    return outcomes
