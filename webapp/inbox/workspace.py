"""Everything the task page shows about one task for one user, read once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.contrib.auth.models import User
from django.http import QueryDict

from webapp.inbox.schema_form import TaskDataForm
from webapp.inbox.summary import CaseSummary, case_summary
from workflows.access import task_blocked_reason
from workflows.credit.models import MeasureApplication
from workflows.models import HumanTask, ProcessInstance
from workflows.policies import in_candidate_group, is_system_admin
from workflows.selectors.inbox import REASSIGN_PERMISSION, DueClock, due_clock
from workflows.services.task_data import task_form

# Forms whose rows the inbox fills in from the case, so nobody types codes.
MEASURE_FEEDBACK_FORM = "joint_punishment_feedback"


def _schema_of(task: HumanTask) -> Mapping[str, Any] | None:
    if not task.form_key:
        return None
    instance = (
        ProcessInstance.objects.select_related("definition")
        .defer("state", "definition__sources")
        .get(pk=task.instance_id)
    )
    form = task_form(task, instance)
    return form.schema if form is not None else None


def _measure_rows(task: HumanTask) -> dict[str, Any]:
    """The department's pending measures on the case's list entry, one row each."""
    group = task.candidate_group.name if task.candidate_group else ""
    department = group.split(".", 1)[0]
    codes = (
        MeasureApplication.objects.pending()
        .filter(
            list_entry__cases__number=task.case_number,
            implementing_department__code=department,
        )
        .order_by("measure__code")
        .values_list("measure__code", flat=True)
        .distinct()
    )
    rows = [{"measure": code} for code in codes]
    return {"measures_feedback": rows} if rows else {}


@dataclass
class TaskWorkspace:
    """A task, its form schema, its case, and what this user may do with it."""

    user: User
    task: HumanTask
    schema: Mapping[str, Any] | None
    summary: CaseSummary
    blocked: str | None
    clock: DueClock

    @classmethod
    def load(cls, user: User, task: HumanTask) -> TaskWorkspace:
        return cls(
            user=user,
            task=task,
            schema=_schema_of(task),
            summary=case_summary(user, task),
            blocked=task_blocked_reason(user, task) if task.is_open else None,
            clock=due_clock(),
        )

    def form(self, data: QueryDict | None = None, files: Any = None) -> TaskDataForm:
        """The task's form: bound to what was posted, else filled from the draft."""
        return TaskDataForm(self.schema, data, initial_data=self.initial(), files=files)

    def initial(self) -> dict[str, Any]:
        if not self.task.is_open:
            outcome = self.task.outcome
            return dict(outcome) if isinstance(outcome, Mapping) else {}
        if self.task.draft:
            return dict(self.task.draft)
        if self.task.form_key == MEASURE_FEEDBACK_FORM:
            return _measure_rows(self.task)
        return {}

    @property
    def due_state(self) -> str:
        return self.clock.state(self.task.due_at)

    @property
    def mine(self) -> bool:
        return self.task.assignee_id == self.user.pk

    @property
    def delegated(self) -> bool:
        return self.task.delegation == HumanTask.Delegation.PENDING

    @cached_property
    def admin(self) -> bool:
        return is_system_admin(self.user)

    @property
    def may_claim(self) -> bool:
        task = self.task
        return (
            task.status == HumanTask.Status.OPEN
            and task.assignee_id is None
            and (in_candidate_group(self.user, task) or self.admin)
            and not self.blocked
        )

    @property
    def may_complete(self) -> bool:
        if not self.task.is_open or self.delegated or self.blocked:
            return False
        return self.mine or self.may_claim

    @property
    def may_save_draft(self) -> bool:
        return self.task.is_open and self.mine and not self.blocked

    @property
    def may_unclaim(self) -> bool:
        task = self.task
        return task.is_open and self.mine and task.candidate_group_id is not None

    @property
    def may_delegate(self) -> bool:
        return self.task.is_open and self.mine and not self.delegated

    @property
    def may_resolve(self) -> bool:
        return self.task.is_open and self.mine and self.delegated

    @cached_property
    def may_reassign(self) -> bool:
        return self.task.is_open and (
            self.admin or self.user.has_perm(REASSIGN_PERMISSION)
        )

    @cached_property
    def colleagues(self) -> list[User]:
        """Active members of the task's group who may act on it, the user aside."""
        if self.task.candidate_group_id is None:
            return []
        excluded = set(self.task.excluded_usernames or [])
        people = User.objects.filter(
            groups=self.task.candidate_group_id, is_active=True
        ).order_by("username")
        return [
            u
            for u in people
            if u.get_username() not in excluded and u.pk != self.task.assignee_id
        ]
