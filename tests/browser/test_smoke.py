"""The smallest end-to-end check: the login page renders, accessibly labelled."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import LOGIN_URL


def test_login_page_has_heading_and_labelled_username(
    page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    response = page.goto(LOGIN_URL)
    assert response is not None and response.ok, f"GET {LOGIN_URL}: {response and response.status}"

    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    username = page.locator('input[name="username"]')
    expect(username).to_have_count(1)
    field_id = username.get_attribute("id")
    assert field_id, "the username field has no id, so no <label for=…> can name it"
    expect(page.locator(f'label[for="{field_id}"]')).to_have_count(1)

    screenshot(page, "login")
