"""task_draft_save: a holder keeps unfinished form input, checked as a draft."""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflows.services import test_forms as form_tests
from tests.workflows.services.conftest import audited
from workflows.errors import ConflictError, ForbiddenError, InvalidInputError
from workflows.models import HumanTask, ProcessInstance
from workflows.services.tasks import task_claim, task_complete, task_draft_save

pytestmark = pytest.mark.django_db
# The form tests' fixtures: a deployed task with a form.
decide = form_tests.decide
deploy_files = form_tests.deploy_files
Decide = tuple[HumanTask, ProcessInstance]


def _draft(task: HumanTask) -> Any:
    return HumanTask.objects.get(pk=task.pk).draft


def test_the_holder_saves_an_incomplete_draft_in_one_audited_step(
    decide: Decide, reviewer: Any
) -> None:
    task, instance = decide
    task_claim(actor=reviewer, task_id=task.pk)
    state = ProcessInstance.objects.get(pk=instance.pk).state
    with audited("task.draft_save"):
        task_draft_save(actor=reviewer, task_id=task.pk, data={"comment": "再看看"})
    assert _draft(task) == {"comment": "再看看"}
    # The draft replaces the last one; the process itself did not move.
    task_draft_save(actor=reviewer, task_id=task.pk, data={"approved": True})
    assert _draft(task) == {"approved": True}
    assert ProcessInstance.objects.get(pk=instance.pk).state == state
    assert HumanTask.objects.get(pk=task.pk).is_open


def test_a_draft_may_not_hold_wrong_or_undeclared_fields(
    decide: Decide, reviewer: Any
) -> None:
    task, _instance = decide
    task_claim(actor=reviewer, task_id=task.pk)
    with pytest.raises(InvalidInputError) as refused:
        task_draft_save(
            actor=reviewer, task_id=task.pk, data={"comment": 7, "route_to": "SWJ"}
        )
    assert refused.value.problems == [
        "comment: 意见 Comment — 应为 must be 文本 text",
        "route_to: 表单中没有此项 is not a field of this form",
    ]
    assert _draft(task) is None


def test_only_the_holder_saves_a_draft(
    decide: Decide, reviewer: Any, colleague: Any
) -> None:
    task, _instance = decide
    with pytest.raises(ForbiddenError):
        task_draft_save(actor=reviewer, task_id=task.pk, data={"comment": "x"})
    task_claim(actor=reviewer, task_id=task.pk)
    with pytest.raises(ForbiddenError):
        task_draft_save(actor=colleague, task_id=task.pk, data={"comment": "x"})
    with pytest.raises(InvalidInputError):
        task_draft_save(actor=None, task_id=task.pk, data={"comment": "x"})
    assert _draft(task) is None


def test_a_completed_task_takes_no_draft(decide: Decide, reviewer: Any) -> None:
    task, _instance = decide
    task_claim(actor=reviewer, task_id=task.pk)
    task_complete(actor=reviewer, task_id=task.pk, data={"approved": True})
    with pytest.raises(ConflictError, match="already completed by reviewer-li"):
        task_draft_save(actor=reviewer, task_id=task.pk, data={"comment": "x"})
