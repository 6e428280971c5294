"""The back-fill gives existing tasks and cases the grants the runtime would."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from tests.credit.processes.conftest import World, frozen, work, world
from tests.credit.selectors.conftest import file_objection
from workflows.access.backfill import grants_backfill
from workflows.credit.models import (
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    CreditRecordGroupObjectPermission,
    ListEntryGroupObjectPermission,
)
from workflows.credit.selectors.cases import case_list_for_user
from workflows.credit.selectors.records import credit_record_list_for_user
from workflows.models import (
    HumanTaskGroupObjectPermission,
    HumanTaskUserObjectPermission,
)
from workflows.selectors.tasks import task_list_for_user

__all__ = ["frozen", "world"]
pytestmark = pytest.mark.usefixtures("frozen")
TABLES = (
    HumanTaskGroupObjectPermission,
    HumanTaskUserObjectPermission,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    CreditRecordGroupObjectPermission,
    ListEntryGroupObjectPermission,
)
PEOPLE = ("rep", "xyb_clerk", "xyb_head", "scj_reviewer", "scj_head", "swj_reviewer")


def _rows() -> set[tuple[Any, ...]]:
    found: set[tuple[Any, ...]] = set()
    for table in TABLES:
        holder = "user_id" if hasattr(table, "user_id") else "group_id"
        for row in table.objects.values_list(
            holder, "permission_id", "content_object_id"
        ):
            found.add((table.__name__, *row))
    return found


def _seen() -> dict[str, tuple[set[Any], ...]]:
    seen: dict[str, tuple[set[Any], ...]] = {}
    for username in PEOPLE:
        user = User.objects.get(username=username)
        seen[username] = (
            set(case_list_for_user(user).values_list("pk", flat=True)),
            set(credit_record_list_for_user(user).values_list("pk", flat=True)),
            {str(t.pk) for t in task_list_for_user(user, tab="all")},
            {str(t.pk) for t in task_list_for_user(user, tab="queue")},
            {str(t.pk) for t in task_list_for_user(user, tab="mine")},
        )
    return seen


def test_backfilled_grants_give_everyone_the_same_view_and_are_idempotent(
    world: World,
) -> None:
    case = file_objection(world)
    work(
        world["xyb_clerk"],
        case.number,
        "formal_check",
        {"formal_check_result": "accept"},
    )
    granted, seen = _rows(), _seen()
    for table in TABLES:
        table.objects.all().delete()
    assert _seen() != seen  # without grants, departments lose their view

    added = grants_backfill(apps.get_model)

    assert added > 0
    assert _rows() <= granted
    assert _seen() == seen
    assert grants_backfill(apps.get_model) == 0
