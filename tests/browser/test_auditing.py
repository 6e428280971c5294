"""The auditors' workspace in a real browser: search, verify now, the timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import ConsoleMessage, Page, expect

from audit.services import record
from audit.tasks import verify_chain
from tests.browser.conftest import DEMO_PASSWORD, sign_in


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


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a queued verification at once, as a Celery worker would."""

    def delay(*args: Any, **kwargs: Any) -> None:
        verify_chain.apply(args=args, kwargs=kwargs, throw=True)

    monkeypatch.setattr(verify_chain, "delay", delay)


def test_an_auditor_verifies_the_chain_and_every_page_then_says_so(
    page: Page,
    live_server: Any,
    demo: None,
    worker: None,
    problems: list[str],
) -> None:
    sign_in(page, live_server, "auditor", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/audit/")
    status = page.locator("section.chain-status")
    expect(status).to_contain_text("从未校验")

    status.get_by_role("button", name="立即校验").click()

    expect(page.locator(".verify-job")).to_contain_text("校验通过：完整")
    page.reload()
    expect(status).to_contain_text("auditor")
    expect(status.locator(".badge-success")).to_be_visible()

    with transaction.atomic():
        record(
            action="case.status",
            actor=None,
            system="engine",
            case_number="YY-2026-000099",
            before={"status": "submitted"},
            after={"status": "accepted"},
        )
    page.locator("#id_action").fill("case.status")
    page.get_by_role("button", name="搜索").click()
    page.locator("table.audit-events").get_by_role(
        "link", name="YY-2026-000099"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("YY-2026-000099")
    expect(page.locator(".audit-diff")).to_contain_text("accepted")
    expect(page.locator("section.chain-status")).to_contain_text("auditor")
    page.set_viewport_size({"width": 360, "height": 800})
    # Nothing but wide tables (which scroll in their own box) runs off a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert problems == []


def test_the_public_key_is_plain_text_for_anyone(
    page: Page, live_server: Any, demo: None
) -> None:
    response = page.goto(f"{live_server.url}/audit/public-key.pem")

    assert response is not None
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "BEGIN PUBLIC KEY" in page.content()
