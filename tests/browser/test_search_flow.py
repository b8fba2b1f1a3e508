"""The person search in a real browser: results while typing, nothing in the URL (issue 10).

R-LIFE-8 (no personal data in URLs), WCAG 2.2 AA (a labelled field, a live region), axe.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import LoginFn

Shot = Callable[[Page, str], Path]
Axe = Callable[[Page], None]


def test_a_contact_person_finds_a_person_while_typing(
    page: Page, login: LoginFn, screenshot: Shot, assert_no_serious_axe_violations: Axe
) -> None:
    login(page, "kontaktman")
    name = page.locator("table.list tbody tr").first.get_by_role("link").inner_text()
    last_name = name.split()[-1]

    page.get_by_role("search", name="Sök person").get_by_role("button", name="Sök").click()
    expect(page.get_by_role("heading", name="Sök person", level=1)).to_be_visible()
    field = page.get_by_label("Namn eller personnummer")
    field.press_sequentially(last_name[:3].lower(), delay=50)

    results = page.locator("#sokresultat")
    expect(results.get_by_role("link", name=name).first).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("hittades")
    assert re.search(r"/sok/$", page.url), page.url  # the text typed is in no URL
    assert_no_serious_axe_violations(page)
    screenshot(page, "search")

    field.fill("x")
    expect(page.locator("#sokresultat")).to_contain_text("Skriv minst 2 bokstäver av namnet.")

    field.fill(last_name)
    results.get_by_role("link", name=name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    assert re.search(r"/person/[0-9a-f-]{36}/$", page.url)
