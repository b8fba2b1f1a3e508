"""The foundation's main flows in a real browser, with axe-core on every page.

R-QA-1 (overview), R-LIFE-1 (deadlines), R-LIFE-2 (contact person task),
R-CASE-1/R-CASE-3 (registering a person and a decision), R-LIFE-8 (denied = 404).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from delaktig import rules

from .conftest import LoginFn

Shot = Callable[[Page, str], Path]
Axe = Callable[[Page], None]


def test_a_unit_manager_sees_late_and_due_plans(
    page: Page, login: LoginFn, screenshot: Shot, assert_no_serious_axe_violations: Axe
) -> None:
    login(page, "enhetschef")
    # Issue 10: she lands on all her units, worst first, and opens one.
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina enheter")
    assert_no_serious_axe_violations(page)
    screenshot(page, "units-summary")
    page.get_by_role("link", name="Gruppbostaden Linden (LSS)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Översikt")
    late = page.locator("section[aria-labelledby=late-h]")
    expect(late.get_by_role("heading", name="Försenade planer")).to_be_visible()
    expect(late.locator("tbody tr").first).to_be_visible()
    soon = page.locator("section[aria-labelledby=soon-h]")
    expect(soon.locator("tbody tr").first).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "unit-overview")

    # Switch unit with the keyboard-reachable unit tabs.
    page.get_by_role("navigation", name="Mina enheter").get_by_role(
        "link", name="Hemtjänst Centrum"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hemtjänst Centrum")


def test_a_contact_person_sees_their_persons_and_tasks(
    page: Page, login: LoginFn, screenshot: Shot, assert_no_serious_axe_violations: Axe
) -> None:
    login(page, "kontaktman")
    expect(page.get_by_role("heading", name="Mina personer", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Att göra")).to_be_visible()
    rows = page.locator("table.list tbody tr")
    assert rows.count() >= 8
    assert_no_serious_axe_violations(page)
    screenshot(page, "my-persons")

    first = rows.first.get_by_role("link")
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    # No personal data in the address: a random UUID addresses the person.
    assert re.search(r"/person/[0-9a-f-]{36}/$", page.url)
    assert_no_serious_axe_violations(page)
    screenshot(page, "person")


def test_a_unit_manager_registers_a_person_a_decision_and_a_contact_person(
    page: Page, login: LoginFn, screenshot: Shot, assert_no_serious_axe_violations: Axe
) -> None:
    login(page, "enhetschef")
    page.get_by_role("link", name="Hemtjänst Centrum").click()
    page.get_by_role("link", name="Registrera ny person").click()

    good = rules.generate_personnummer(date(1938, 7, 9), 986)
    bad = good[:-1] + str((int(good[-1]) + 3) % 10)
    page.get_by_label("Personnummer eller samordningsnummer").fill(bad)
    page.get_by_label("Förnamn").fill("Vera")
    page.get_by_label("Efternamn").fill("Blom")
    page.get_by_role("button", name="Registrera").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(re.compile("kontrollsiffra", re.IGNORECASE))
    assert_no_serious_axe_violations(page)
    screenshot(page, "person-form-error")

    page.get_by_label("Personnummer eller samordningsnummer").fill(good)
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utse kontaktman för Vera Blom")
    page.get_by_label(re.compile(r"^Kontaktman")).select_option(label="Anna Lindqvist")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vera Blom")

    page.get_by_role("link", name="Registrera beslut").click()
    today = rules.swedish_today()
    start = today - timedelta(days=3)
    page.get_by_label("Beslutsdatum").fill(start.isoformat())
    page.get_by_label("Mål enligt beslutet").fill("Att kunna bo kvar hemma.")
    first = page.get_by_role("group", name="Beviljad insats 1")
    first.get_by_label(re.compile(r"^Insats")).select_option(label="Hemtjänst – dusch")
    first.get_by_label("Startdatum").fill(start.isoformat())
    first.get_by_label("Slutdatum").fill((start - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("Slutdatum kan inte vara före startdatum.").first).to_be_visible()
    first.get_by_label("Slutdatum").fill("")
    page.get_by_role("button", name="Spara beslutet").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vera Blom")
    deadline = (start + timedelta(days=14)).isoformat()  # Hemtjänst Centrum follows S1: 14 days
    expect(page.get_by_role("cell", name=re.compile(deadline))).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "person-after-decision")

    # The contact person now has a task to contact Vera.
    page.get_by_role("button", name="Logga ut").click()
    login(page, "kontaktman")
    expect(page.get_by_role("link", name="Vera Blom").first).to_be_visible()


def test_staff_of_another_unit_get_404_for_a_person(page: Page, login: LoginFn) -> None:
    login(page, "kontaktman")
    page.get_by_role("table").get_by_role("link").first.click()
    url = page.url
    page.get_by_role("button", name="Logga ut").click()
    login(page, "kontaktman2")  # works at Boendestöd Norr, not in home care
    response = page.goto(url)
    assert response is not None and response.status == 404
