"""Browser tests: a real Chromium drives the live Django server.

- One headless Chromium (Debian's ``/usr/bin/chromium``; Playwright downloads none)
  for all browser tests; each test gets a fresh context and page.
- The server is pytest-django's ``live_server``; every test here runs on a
  transactional database (marked automatically), so the server thread sees the rows,
  with ``serialized_rollback``: the flush after each test would otherwise also
  remove what migrations put in (role groups, policies), which the next test needs.
- ``demo`` loads ``manage.py demo`` and deploys ``bpmn/``: users such as
  ``subject_a`` or ``scj_reviewer`` with password ``Demo-2026!``.
- ``sign_in(page, live_server, username, password)`` signs in through the real form.
- A failing test leaves a screenshot in ``$VAR_DIR/test-screenshots/``.
- Without /usr/bin/chromium every test here is skipped, saying why.

Why ``DJANGO_ALLOW_ASYNC_UNSAFE``: Playwright's sync API keeps an asyncio event loop
registered as *running* on the main thread for as long as Playwright is started.
Django then takes every ORM call made by the test itself (creating rows, the demo
loader) for a call from async code and raises ``SynchronousOnlyOperation``, although
nothing runs concurrently: the loop only waits on Chromium's pipe. The variable is
set while Playwright runs (this package's tests only) and restored afterwards, and
Playwright is stopped after the last browser test, so the rest of the suite keeps
Django's check.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "Demo-2026!"  # the demo data's announced password
HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Chromium against the live server (tests/browser)"
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Mark this folder's tests: browser, transactional DB; skip without Chromium."""
    skip = pytest.mark.skip(
        reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    )
    for item in items:
        if HERE not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.browser)
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
        if not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the browser tests (see the module docstring)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    playwright = sync_playwright().start()
    # With Playwright's loop running, Django hands this thread other connection
    # objects (asgiref's Local is per context): give them the migrated content that
    # serialized_rollback restores after each flush.
    for alias, contents in serialized.items():
        if contents is not None:
            connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies) per test, in Chinese by default."""
    ctx = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 1280, "height": 900},
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


def _screenshot_dir() -> Path:
    return Path(os.environ.get("VAR_DIR", settings.BASE_DIR / "var")) / (
        "test-screenshots"
    )


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page of a fresh context; screenshotted if the test fails."""
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = _screenshot_dir()
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hash passwords cheaply: the demo makes 15 users, each test signs in."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def demo(transactional_db: None) -> None:
    """Load the demo city (manage.py demo) and deploy every model in bpmn/."""
    out = io.StringIO()
    call_command("demo", force=True, stdout=out)
    call_command("bpmn", "deploy", str(settings.BPMN_DIR), stdout=out)


def sign_in(page: Page, live_server: Any, username: str, password: str) -> None:
    """Sign in through the sign-in form and wait until the browser has left it."""
    url = live_server.url + reverse("accounts:sign_in")
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_url(lambda current: not current.startswith(url))
