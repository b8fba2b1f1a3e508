"""Every role's main pages at a phone's and a desktop's width (issue 10, WCAG 1.4.10 Reflow).

At 390 × 844 no page scrolls sideways: list tables become stacked cards whose cells
say their column, so the state column is never hidden. axe-core is clean at both
widths and every page is screenshotted at both.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from .conftest import LoginFn

Shot = Callable[[Page, str], Path]
Axe = Callable[[Page], None]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def _visit_links(page: Page) -> list[str]:
    """The first person page and the first plan page (or plan action) linked from the page."""
    links: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('main a[href]'))
            .map(a => a.getAttribute('href'))
            .filter(h => /^\\/(person|plan)\\//.test(h))"""
    )
    found: dict[str, str] = {}
    for href in links:
        found.setdefault(href.split("/")[1], href)
    return list(found.values())


@pytest.mark.parametrize(
    ("username", "follow"),
    [
        ("kontaktman", True),
        ("enhetschef", True),
        ("planerare", False),
        ("kvalitet", False),
        ("arkivarie", False),
    ],
)
def test_a_roles_pages_reflow_at_phone_width(
    page: Page,
    login: LoginFn,
    screenshot: Shot,
    assert_no_serious_axe_violations: Axe,
    username: str,
    follow: bool,
) -> None:
    login(page, username)
    pages = [page.url]
    if follow:
        origin = "/".join(page.url.split("/")[:3])
        pages += [origin + href for href in _visit_links(page)]
    if username == "enhetschef":
        pages.append("/".join(page.url.split("/")[:3]) + "/enheter/")  # all her units
    for number, url in enumerate(pages):
        page.goto(url)
        for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            assert _overflow(page) <= 0, f"{url} scrolls sideways at {size['width']} px"
            assert_no_serious_axe_violations(page)
            screenshot(page, f"{username}-{number}-{name}")
        if page.locator("table.list tbody tr").count():
            page.set_viewport_size(PHONE)
            cell = page.locator("table.list tbody td").first
            assert cell.get_attribute("data-label"), f"{url}: a card's cell does not say its column"
