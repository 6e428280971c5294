"""The page frame in a real browser: language switch, public search, notifications."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import ConsoleMessage, Page, expect

from notifications.models import Notification
from tests.browser.conftest import DEMO_PASSWORD, sign_in
from workflows.credit.filing import case_file
from workflows.credit.models import CreditRecord


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


def test_language_switch_changes_the_header_and_back(
    page: Page, live_server: Any, demo: None, problems: list[str]
) -> None:
    sign_in(page, live_server, "scj_reviewer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="通知")).to_be_visible()
    expect(header.get_by_role("button", name="退出登录")).to_be_visible()
    expect(header).to_contain_text("市场监管局")

    header.get_by_role("button", name="English").click()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    expect(header.get_by_role("link", name="Notifications")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/notifications/")

    header.get_by_role("button", name="中文").click()
    expect(header.get_by_role("button", name="退出登录")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert problems == []


def test_public_list_search_updates_results_in_place(
    page: Page, live_server: Any, demo: None, problems: list[str]
) -> None:
    page.goto(f"{live_server.url}/public/serious-dishonesty/")
    results = page.locator("#results")
    expect(results).to_contain_text("江南建材有限公司")

    search = page.get_by_label("名称或统一社会信用代码")
    search.fill("不存在的公司")
    expect(results).to_contain_text("没有符合条件的结果")
    expect(page).to_have_url(re.compile(r"/public/serious-dishonesty/\?q=%E4%B8%8D"))

    search.fill("建材")
    search.press("Enter")
    expect(results).to_contain_text("江南建材有限公司")
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="登录")).to_be_visible()
    assert problems == []


def test_notifications_page_marks_read_and_updates_the_badge(
    page: Page, live_server: Any, demo: None, problems: list[str]
) -> None:
    person = User.objects.get(username="subject_a")
    Notification.objects.filter(recipient=person).delete()
    for title in ("受理通知", "补正通知"):
        Notification.objects.create(recipient=person, kind="case.accepted", title=title)

    sign_in(page, live_server, "subject_a", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    badge = page.locator("#notice-badge")
    expect(badge).to_contain_text("2")

    first = page.locator(".notice").filter(has_text="受理通知")
    first.get_by_role("button", name="标为已读").click()
    expect(first).not_to_have_class(re.compile(r"\bis-unread\b"))
    expect(first).to_contain_text("已读")
    expect(badge).to_contain_text("1")
    # The htmx swap did not reload the page: the other row is untouched.
    expect(page.locator(".notice.is-unread")).to_have_count(1)

    mark_all = page.locator("main").get_by_role("button", name="全部标为已读")
    dialog = page.locator("#confirm-dialog")
    mark_all.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("将所有通知标为已读？")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    expect(mark_all).to_be_focused()
    expect(page.locator(".notice.is-unread")).to_have_count(1)

    mark_all.click()
    dialog.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("#flash")).to_contain_text("已将 1 条通知标为已读。")
    expect(page.locator(".notice.is-unread")).to_have_count(0)
    expect(badge).to_have_class("count count-empty")
    assert Notification.objects.filter(recipient=person, read_at=None).count() == 0
    assert problems == []


def test_an_htmx_error_is_shown_in_the_flash_region(
    page: Page, live_server: Any, demo: None, problems: list[str]
) -> None:
    person = User.objects.get(username="subject_a")
    gone = Notification.objects.create(
        recipient=person, kind="case.accepted", title="将被删除的通知"
    )
    sign_in(page, live_server, "subject_a", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    Notification.objects.filter(pk=gone.pk).delete()

    row = page.locator(".notice").filter(has_text="将被删除的通知")
    row.get_by_role("button", name="标为已读").click()

    alert = page.locator("#flash [role=alert]")
    expect(alert).to_contain_text("该通知已不存在。")
    expect(alert).to_be_focused()
    expect(row).to_be_visible()  # the 404 answer replaced nothing else
    assert [p for p in problems if "404" not in p] == []


def test_dashboard_draws_its_charts_under_the_content_security_policy(
    page: Page, live_server: Any, demo: None, problems: list[str]
) -> None:
    representative = User.objects.get(username="subject_a")
    record = CreditRecord.objects.filter(subject__accounts=representative).first()
    assert record is not None
    data = {"record": record.pk, "grounds": "record_wrong", "reason": "金额有误"}
    case_file(actor=representative, kind="objection", data=data)

    sign_in(page, live_server, "office_clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")

    drawn = page.locator("canvas[data-chart][data-drawn='1']")
    expect(drawn).to_have_count(2)  # open cases and tasks; no step completed yet
    table = page.get_by_role("table").first
    expect(table).to_contain_text("异议")
    assert problems == []
