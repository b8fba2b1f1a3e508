"""The demo's first impression in a real browser (issue 10).

The app runs as the demo does (DELAKTIG_DEMO=1, DEBUG off): static files come through
whitenoise, errors get the Swedish pages, and Chromium is Swedish (chromium-l10n,
``--lang=sv-SE``), as a Swedish user's browser is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import LoginFn


def test_the_browser_is_swedish(page: Page, live_app: str) -> None:
    page.goto("/accounts/login/")

    assert page.evaluate("navigator.language") == "sv-SE"
    assert page.evaluate("new Date(2026, 2, 2).toLocaleDateString()") == "2026-03-02"
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().locale") == "sv-SE"


def test_an_unknown_address_gets_the_swedish_page_in_the_sites_look(
    page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    response = page.goto("/finns-inte/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Sidan finns inte")).to_be_visible()
    expect(page.get_by_text("URLconf")).to_have_count(0)
    # The stylesheet came through whitenoise (DEBUG is off): the header has its colour.
    header_bg = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent"), header_bg
    page.get_by_role("link", name="Till startsidan").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    screenshot(page, "404-then-login")


def test_the_quality_controller_lands_on_the_report_with_swedish_month_fields(
    page: Page, login: LoginFn, screenshot: Callable[[Page, str], Path]
) -> None:
    login(page, "kvalitet")

    expect(page.get_by_role("heading", name="Följsamhet till rutinerna")).to_be_visible()
    expect(page.get_by_label("Från")).to_have_attribute("type", "month")
    screenshot(page, "quality-report-sv")


def test_the_administrator_lands_in_the_admin(page: Page, login: LoginFn) -> None:
    login(page, "admin")

    assert page.url.endswith("/admin/")
    expect(page.get_by_text("Organisation, personal och rutiner")).to_be_visible()
