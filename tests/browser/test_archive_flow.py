"""The archivist receives a delivered package (R-ARC-4), and the disposal page opens (R-ARC-3)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import LoginFn

Shot = Callable[[Page, str], Path]
Axe = Callable[[Page], None]


def test_the_archivist_downloads_and_receives_a_package(
    page: Page, login: LoginFn, screenshot: Shot, assert_no_serious_axe_violations: Axe
) -> None:
    login(page, "arkivarie")
    assert_no_serious_axe_violations(page)
    page.locator("main table a").first.click()
    assert_no_serious_axe_violations(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner arkivpaketet (ZIP)").click()
    names = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())).namelist()
    assert any(n.endswith("/METS.xml") for n in names)
    assert any(n.endswith(".pdf") for n in names)
    screenshot(page, "archive-delivery")
    page.get_by_role("button", name="Ta emot").click()
    expect(page.get_by_text("Mottagen av arkivet").first).to_be_visible()
    page.get_by_role("link", name="Gallring").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_axe_violations(page)
