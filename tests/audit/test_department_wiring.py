"""Events about a case or a task name its department, so auditors can filter by it."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEvent
from audit.selectors import audit_event_search
from tests.credit.processes.conftest import World, open_task, work
from workflows.credit.filing import case_file
from workflows.services.tasks import task_claim

pytestmark = pytest.mark.django_db


def _objection(world: World) -> str:
    assert world.rep is not None
    assert world.record is not None
    data = {"record": world.record.pk, "grounds": "record_wrong", "reason": "金额错误"}
    return case_file(actor=world.rep, kind="objection", data=data).number


def test_filing_starting_and_working_on_a_case_name_the_source_department(
    world: World, frozen: Any
) -> None:
    number = _objection(world)
    task = open_task(number, "formal_check")
    task_claim(actor=world["xyb_clerk"], task_id=task.pk)
    work(world["xyb_clerk"], number, "formal_check", {"formal_check_result": "accept"})

    events = AuditEvent.objects.for_case(number)
    by_action = {e.action: e.department_code for e in events}
    # The record objected to is SCJ's: its department decides the case.
    assert by_action["case.file"] == "SCJ"
    assert by_action["process.start"] == "SCJ"
    assert by_action["task.claim"] == "SCJ"
    assert by_action["task.complete"] == "SCJ"
    assert by_action["case.status"] == "SCJ"
    searched = audit_event_search(case_number=number, department="SCJ")
    assert searched.count() == events.exclude(department_code__isnull=True).count()


def test_membership_changes_name_their_department(world: World) -> None:
    grant = AuditEvent.objects.filter(action="membership.grant").order_by("seq")

    assert {event.department_code for event in grant} == set(world.departments)
