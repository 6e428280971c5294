"""The staff case page draws the process with where the case stands, in a browser."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import DEMO_PASSWORD, sign_in
from workflows.credit.filing import case_file
from workflows.credit.models import Case, CreditRecord


@pytest.fixture
def problems(page: Page) -> list[str]:
    """Console errors and uncaught exceptions (CSP violations show up here)."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            found.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(str(error)))
    return found


def _objection(subject_account: str, decision_number: str) -> Case:
    """File an objection as a demo subject's account; it waits at the formal check."""
    record = CreditRecord.objects.get(decision_number=decision_number)
    return case_file(
        actor=User.objects.get(username=subject_account),
        kind="objection",
        data={"record": record.pk, "grounds": "record_wrong", "reason": "日期有误"},
    )


def test_the_case_page_draws_the_process_with_the_current_task_marked(
    page: Page, live_server: Any, demo: None, problems: list[str]
) -> None:
    case = _objection("citizen_c", "张税罚〔2026〕402号")
    sign_in(page, live_server, "office_clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.number}/")
    diagram = page.locator("[data-bpmn-diagram]")
    expect(diagram).to_have_attribute("data-state", "ready")
    # The laid-out model is an SVG; the formal check waits, the start is done.
    expect(diagram.locator("svg").first).to_be_visible()
    current = diagram.locator('g.djs-element.current[data-element-id="formal_check"]')
    expect(current).to_have_count(1)
    done = diagram.locator(
        'g.djs-element.completed[data-element-id="objection_submitted"]'
    )
    expect(done).to_have_count(1)
    expect(diagram.locator("g.djs-element.current")).to_have_count(1)
    page.get_by_role("button", name="适合窗口").click()  # the controls work
    # A person's ID number is masked; a clerk may reveal it (audited), in place.
    identifier = page.locator("#subject-identifier")
    full = case.subject.code
    expect(identifier).to_contain_text(case.subject.masked_code)
    expect(identifier).not_to_contain_text(full)
    identifier.get_by_role("button", name="显示完整号码").click()
    expect(identifier).to_contain_text(full)
    assert problems == []


def test_the_console_draws_a_deployed_version_without_states(
    page: Page, live_server: Any, demo: None, problems: list[str]
) -> None:
    sign_in(page, live_server, "process_admin", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/console/definitions/")
    page.get_by_role("link", name="第 1 版").first.click()
    diagram = page.locator("[data-bpmn-diagram]")
    expect(diagram).to_have_attribute("data-state", "ready")
    expect(diagram.locator("g.djs-element").first).to_be_attached()
    expect(diagram.locator("g.djs-element.current")).to_have_count(0)
    assert problems == []
