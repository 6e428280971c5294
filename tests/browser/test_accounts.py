"""Signing in and out in a real browser, with the Content-Security-Policy enforced."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page

from tests.browser.conftest import sign_in

PASSWORD = "Browser-Pass-2026"


def _csp_reports(page: Page) -> list[str]:
    reports: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            reports.append(message.text)

    page.on("console", listen)
    return reports


def test_a_subject_signs_in_and_out_without_csp_violations(
    page: Page, live_server: Any
) -> None:
    user = User.objects.create_user("browser_subject", password=PASSWORD)
    user.groups.add(Group.objects.get(name="subject"))
    reports = _csp_reports(page)

    sign_in(page, live_server, "browser_subject", PASSWORD)
    assert page.url == live_server.url + reverse("portal:home")

    page.locator("form.sign-out button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("accounts:sign_in"))
    assert page.locator("input[name=username]").is_visible()
    assert reports == []


def test_a_wrong_password_is_answered_beside_the_form(
    page: Page, live_server: Any
) -> None:
    User.objects.create_user("browser_typo", password=PASSWORD)
    reports = _csp_reports(page)
    page.goto(live_server.url + reverse("accounts:sign_in"))
    page.fill("input[name=username]", "browser_typo")
    page.fill("input[name=password]", "not-the-password")
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist, .alert-error").first.is_visible()
    assert reports == []


def test_the_sign_in_page_fits_a_360_pixel_screen(page: Page, live_server: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + reverse("accounts:sign_in"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in {"A", "INPUT", "BUTTON"}
