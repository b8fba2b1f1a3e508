"""The whole plan flow in a real browser (issues 3 and 4).

A contact person writes a plan from the decision, watches a completeness item
and an HSL warning disappear as the text is fixed, sends it for signing; the
person's and the unit manager's signatures are recorded; the plan is
established; the PDF downloads and is PDF/A; a follow-up with "change" makes a
new version; a denied user gets 404. axe-core checks every page.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from delaktig import rules

from .conftest import LoginFn

Shot = Callable[[Page, str], Path]
Axe = Callable[[Page], None]


def _panel(page: Page):
    return page.locator("#check-panel")


def _write_plan(page: Page) -> None:
    """Fill in everything a complete plan needs, with an HSL word first, then fixed."""
    parts = page.locator('input[name$="-key"][name^="interventions-"]').count()
    assert parts >= 1
    for i in range(parts):
        page.locator(f'[name="interventions-{i}-when"]').fill("Måndagar och torsdagar kl. 9")
        page.locator(f'[name="interventions-{i}-where"]').fill("Hemma")
        page.locator(f'[name="interventions-{i}-goals-0-text"]').fill("Att klara mer själv")
        page.locator(f'[name="interventions-{i}-activities-0-description"]').fill(
            "Stöd enligt beslutet"
        )
        page.locator(f'[name="interventions-{i}-activities-0-responsible"]').fill("Kontaktmannen")
        page.locator(f'[name="interventions-{i}-how"]').fill(
            "Personalen ger insulin och hjälper till."
        )
    page.locator('[name="participation_how"]').fill(
        "Deltog i samtalet hemma och valde tider själv."
    )
    page.locator('[name="wishes_weight"]').fill("Tiderna följer önskemålen.")
    page.locator('[name="statements-0-text"]').fill("Jag vill klara mig själv så länge det går.")
    page.locator('[name="participants-0-name"]').fill("Den enskilde")
    page.locator('[name="participants-0-role"]').fill("Den enskilde")
    page.locator('[name="master_data_checked"]').check()
    page.locator('[name="cooperation"]').fill("Kontakt med handläggaren vid ändrade behov.")
    page.locator('[name="cooperation"]').blur()
    # The live panel names the health-care word, and what is still missing; the
    # warning is beside the field too, while typing (R-PLAN-11).
    expect(_panel(page)).to_contain_text("insulin", timeout=10_000)
    expect(page.locator("#hsl-id_interventions-0-how")).to_contain_text("insulin")
    expect(_panel(page)).to_contain_text("följas upp")
    page.locator('[name="follow_up_how"]').fill("Samtal med den enskilde var sjätte månad.")
    page.locator('[name="follow_up_how"]').blur()
    expect(_panel(page)).not_to_contain_text("följas upp", timeout=10_000)
    # R-PLAN-7: the first intervention says when and how it is followed up.
    page.locator('[name="interventions-0-follow_up_how"]').fill(
        "Efter en månad frågar kontaktmannen hur det går."
    )
    for i in range(parts):
        page.locator(f'[name="interventions-{i}-how"]').fill(
            "Den enskilde gör själv, personalen stöttar."
        )
    page.locator(f'[name="interventions-{parts - 1}-how"]').blur()
    expect(_panel(page)).not_to_contain_text("insulin", timeout=10_000)
    expect(page.locator("#hsl-id_interventions-0-how")).to_be_empty()
    # Text that names a health-care word without documenting health care: kept, and
    # confirmed when the plan is sent (S1 also wants the other information).
    page.locator('[name="other_information"]').fill(
        "Insulinet sköts av distriktssköterskan och dokumenteras i hennes journal."
    )
    page.locator('[name="other_information"]').blur()
    expect(_panel(page)).to_contain_text("Insulinet", timeout=10_000)
    expect(_panel(page)).to_contain_text("Allt som krävs är ifyllt.")


def test_a_plan_is_written_signed_established_printed_and_followed_up(
    page: Page, login: LoginFn, screenshot: Shot, assert_no_serious_axe_violations: Axe
) -> None:
    login(page, "kontaktman")
    late_badge = page.locator(".badge-late", has_text=re.compile("^Försenad$"))
    late = page.locator("table.list tbody tr").filter(has=late_badge).first
    name = late.get_by_role("link").inner_text()
    late.get_by_role("link").click()
    page.get_by_role("button", name="Skriv genomförandeplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Genomförandeplan för {name}")
    assert_no_serious_axe_violations(page)
    _write_plan(page)
    screenshot(page, "plan-editor-complete")
    plan_url = page.url.replace("redigera/", "")

    page.get_by_role("button", name="Skicka för signering").first.click()
    # The warning is repeated: each hit is confirmed before the plan is sent.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hälso- och sjukvård hör inte hemma i planen"
    )
    assert_no_serious_axe_violations(page)
    screenshot(page, "plan-hsl-confirm")
    page.get_by_role("button", name="Bekräfta och skicka för signering").click()
    expect(page.locator(".error-summary")).to_contain_text("Bekräfta att ”Insulinet”")
    page.get_by_label(re.compile("^Texten med ”Insulinet”")).check()
    page.get_by_role("button", name="Bekräfta och skicka för signering").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signering och fastställande")
    expect(page.locator("#hsl-confirmed")).to_contain_text("”Insulinet”")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Registrera genomgång och överlämnande").click()
    expect(page.get_by_text("Överlämnandet är registrerat i journalen.")).to_be_visible()
    # A paper signature dated before the plan was sent for signing is refused (issue 9).
    # The person's choice starts empty: signing or not is a deliberate act (issue 10).
    expect(page.get_by_label("Den enskilde har signerat planen")).not_to_be_checked()
    page.get_by_label("Den enskilde har signerat planen").check()
    expect(page.get_by_role("button", name="Registrera genomgång och överlämnande")).to_have_count(
        0
    )
    backdated = (rules.swedish_today() - timedelta(days=30)).isoformat()
    page.get_by_label("Datum", exact=True).fill(backdated)
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text(
        "kan inte ligga före den dag planen skickades för signering"
    )
    assert_no_serious_axe_violations(page)
    page.get_by_label("Den enskilde har signerat planen").check()
    page.get_by_label("Datum", exact=True).fill(rules.swedish_today().isoformat())
    page.get_by_role("button", name="Registrera", exact=True).click()  # the person signed on paper
    expect(page.get_by_text("Den enskildes signatur är registrerad.")).to_be_visible()
    page.get_by_role("button", name="Signera som kontaktman").click()
    expect(page.get_by_text("Saknas: enhetschef.")).to_be_visible()
    screenshot(page, "plan-signing")

    page.get_by_role("button", name="Logga ut").click()
    login(page, "enhetschef")
    page.get_by_role("link", name="Att signera").click()
    assert_no_serious_axe_violations(page)
    page.get_by_role("row").filter(has_text=name).get_by_role("checkbox").check()
    page.get_by_role("button", name="Signera valda planer").click()
    expect(page.get_by_text("Du har signerat 1 plan.")).to_be_visible()
    page.goto(plan_url + "signering/")
    page.get_by_role("button", name="Fastställ planen").click()
    expect(page.get_by_text("Planen är fastställd.")).to_be_visible()
    expect(page.locator(".badge-established").first).to_have_text("Fastställd")
    assert_no_serious_axe_violations(page)
    screenshot(page, "plan-established")

    with page.expect_download() as info:
        page.get_by_role("link", name="Skriv ut (PDF)").click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    metadata = PdfReader(io.BytesIO(data)).xmp_metadata
    assert metadata is not None
    assert re.search(rb"pdfaid:part[^0-9]*2", metadata.stream.get_data())
    assert name not in info.value.suggested_filename

    # A follow-up with a change opens a new version of the plan.
    page.get_by_role("link", name="Följ upp planen").click()
    expect(page.get_by_role("heading", name="Följ upp genomförandeplanen")).to_be_visible()
    expect(page.locator("section.agreed")).to_contain_text(
        "Efter en månad frågar kontaktmannen hur det går."
    )
    assert_no_serious_axe_violations(page)
    page.get_by_label("På vilket sätt följdes planen upp?").fill("Samtal hemma")
    page.get_by_label(re.compile("^Hur upplever den enskilde")).fill(
        "Vill ha stöd även på kvällen."
    )
    page.get_by_label(re.compile("^Har insatserna genomförts")).fill("Ja.")
    page.get_by_label(re.compile("^Bedömning av den enskildes situation")).fill("Behöver mer stöd.")
    for group in page.locator("fieldset.goal").all():
        group.get_by_label("Delvis uppnått").check()
    page.get_by_label("Behovet har ökat").check()
    page.get_by_label(re.compile("^Vi har gått igenom vem")).check()
    page.get_by_label(re.compile("^Jag har kontrollerat")).check()
    page.get_by_label(re.compile("^Förändring")).check()
    screenshot(page, "follow-up-form")
    page.get_by_role("button", name="Registrera uppföljningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Genomförandeplan för {name}")
    expect(page.get_by_text("Utkast, version 2")).to_be_visible()
    expect(page.get_by_text("Handläggaren har fått ett meddelande")).to_be_visible()

    # Someone from another unit gets 404 for the plan.
    page.get_by_role("button", name="Logga ut").click()
    login(page, "kontaktman2")
    response = page.goto(plan_url)
    assert response is not None and response.status == 404


def test_the_overview_and_the_quality_report(
    page: Page, login: LoginFn, screenshot: Shot, assert_no_serious_axe_violations: Axe
) -> None:
    login(page, "enhetschef")
    page.get_by_role("link", name="Hemtjänst Centrum").click()
    expect(page.get_by_role("heading", name="Väntar på signatur")).to_be_visible()
    expect(page.get_by_role("heading", name="Försenade uppföljningar")).to_be_visible()
    page.get_by_role("link", name="Följsamhet").click()
    expect(page.get_by_role("heading", name="Följsamhet till rutinerna")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "quality-report")
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner Excel").click()
    assert info.value.suggested_filename.endswith(".xlsx")
