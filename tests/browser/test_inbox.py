"""The reviewers' inbox in a real browser: the bulk claim, a form error on its field.

The demo city's credit office clerk (``office_clerk``) works objections the
company clerk (``subject_b``) filed against market supervision records.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, sign_in
from workflows.credit.filing import case_file
from workflows.credit.models import CreditRecord, Department
from workflows.credit.services.departments import membership_grant
from workflows.models import HumanTask
from workflows.services.tasks import task_claim

RECORD = "张市监罚〔2026〕101号"  # SCJ's general-grade penalty on company B


def _objections(n: int) -> list[str]:
    """File n objections as company B, each on a record like the demo's."""
    rep = User.objects.get(username="subject_b")
    numbers = []
    for i in range(n):
        record = CreditRecord.objects.get(decision_number=RECORD)
        record.pk = None
        record.decision_number = f"张市监罚〔2026〕9{i:02d}号"
        record.save()
        case = case_file(
            actor=rep,
            kind="objection",
            data={"record": record.pk, "grounds": "record_wrong", "reason": "金额错误"},
        )
        numbers.append(case.number)
    return numbers


def _task(number: str) -> HumanTask:
    return HumanTask.objects.get(case_number=number, element_id="formal_check")


def test_a_clerk_claims_three_tasks_at_once_and_sees_each_outcome(
    page: Page, live_server: Any, demo: None
) -> None:
    numbers = _objections(3)
    colleague = User.objects.create_user("office_clerk_2")
    membership_grant(
        actor=None,
        user=colleague,
        department=Department.objects.get(is_credit_office=True),
        role="clerk",
    )
    sign_in(page, live_server, "office_clerk", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("inbox:list") + "?tab=queue")
    rows = page.locator("#inbox-results tbody tr")
    expect(rows).to_have_count(3)

    # While the clerk looks at the list, a colleague takes one of the three.
    task_claim(actor=colleague, task_id=_task(numbers[1]).pk)

    for number in numbers:
        page.locator("tr", has_text=number).locator("input[type=checkbox]").check()
    page.locator("#bulk-claim button[type=submit]").click()

    flash = page.locator("#flash")
    expect(flash.locator(".alert-success")).to_have_count(2)
    expect(flash.locator(".alert-warning")).to_have_count(1)
    expect(flash.locator(".alert-warning")).to_contain_text(numbers[1])
    expect(flash.locator(".alert-warning")).to_contain_text("office_clerk_2")
    expect(page.locator('[data-count="mine"]')).to_have_text("2")
    expect(page.locator('[data-count="queue"]')).to_have_text("0")
    # The list was swapped in place: still the queue's address, no reload.
    assert page.url.endswith("/tasks/?tab=queue")
    holders = {
        number: _task(number).assignee.get_username()  # type: ignore[union-attr]
        for number in numbers
    }
    assert holders == {
        numbers[0]: "office_clerk",
        numbers[1]: "office_clerk_2",
        numbers[2]: "office_clerk",
    }


def test_a_missing_reason_is_shown_on_its_field(
    page: Page, live_server: Any, demo: None
) -> None:
    (number,) = _objections(1)
    sign_in(page, live_server, "office_clerk", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("inbox:task", args=[_task(number).pk]))
    page.check("input[name=formal_check_result][value=not_accept]")
    page.locator("#complete-task").click()
    page.wait_for_load_state()

    field = page.locator('[data-field="formal_check_reason"]')
    expect(field.locator(".errorlist")).to_contain_text("必填")
    expect(page.locator("#id_formal_check_reason")).to_have_attribute(
        "aria-invalid", "true"
    )
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    summary.locator("a[href='#id_formal_check_reason']").click()
    expect(page.locator("#id_formal_check_reason")).to_be_focused()
    # The choice made is kept, and nothing was completed.
    expect(
        page.locator("input[name=formal_check_result][value=not_accept]")
    ).to_be_checked()
    assert _task(number).is_open
    assert re.search(r"/tasks/[0-9a-f-]+/(#.*)?$", page.url)
