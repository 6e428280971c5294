"""The three refusals of the permissions issue, as a person meets them in a browser.

A subject typing another subject's case number, a reviewer opening another
department's task and an auditor trying to act on a task each get a calm page in
Chinese with the right status, never a stack trace or the other party's data.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, sign_in
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord
from workflows.models import HumanTask


@pytest.fixture
def objection(demo: None) -> Case:
    """Company B objects to a market-regulation penalty; the clerk's check waits."""
    record = CreditRecord.objects.get(decision_number="张市监罚〔2026〕101号")
    return case_file(
        actor=User.objects.get(username="subject_b"),
        kind="objection",
        data={"record": record.pk, "grounds": "record_wrong", "reason": "金额有误"},
    )


def _formal_check(case: Case) -> HumanTask:
    return HumanTask.objects.open().get(
        case_number=case.number, element_id="formal_check"
    )


def test_a_subject_typing_another_subjects_case_number_is_told_it_does_not_exist(
    page: Page, live_server: Any, objection: Case
) -> None:
    sign_in(page, live_server, "subject_a", DEMO_PASSWORD)
    response = page.goto(f"{live_server.url}/portal/cases/{objection.number}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("未找到")
    # Nothing of company B's case shows: not its reason, not its record.
    expect(page.locator("main")).not_to_contain_text("金额有误")
    expect(page.locator("main")).not_to_contain_text("张市监罚")


def test_a_reviewer_opening_another_departments_task_is_told_it_does_not_exist(
    page: Page, live_server: Any, objection: Case
) -> None:
    task = _formal_check(objection)  # the credit office's, not market regulation's
    sign_in(page, live_server, "scj_reviewer", DEMO_PASSWORD)
    response = page.goto(f"{live_server.url}/tasks/{task.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("未找到")
    expect(page.locator("main")).not_to_contain_text(objection.number)


def test_an_auditor_reads_a_task_but_cannot_act_on_it(
    page: Page, live_server: Any, objection: Case
) -> None:
    task = _formal_check(objection)
    sign_in(page, live_server, "auditor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/tasks/{task.pk}/")
    # The task page says why, and offers no button that would change anything.
    expect(page.locator("#task-blocked")).to_contain_text(
        "审计监察人员和流程管理员不办理任务"
    )
    expect(page.get_by_role("button", name="领取")).to_have_count(0)
    # A hand-made request from the auditor's signed-in page is refused (403).
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{live_server.url}/tasks/{task.pk}/claim/",
        headers={"X-CSRFToken": csrf, "Referer": f"{live_server.url}/tasks/"},
    )
    assert refused.status == 403
    assert "无权操作" in refused.text()
    task.refresh_from_db()
    assert task.assignee_id is None
