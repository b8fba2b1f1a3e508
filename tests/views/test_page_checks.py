"""The shared page checks in ``helpers.py`` catch what they claim to catch.

Without these, a check that silently passed on every page would make the view
tests' structure assertions worthless.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse

from tests.views.helpers import (
    assert_redirects_to_login,
    page_problems,
    section,
    table_rows,
)

GOOD = """<!doctype html><html lang="sv"><head><title>Sida</title></head><body><h1>Rubrik</h1>
<form><input type="hidden" name="csrfmiddlewaretoken" value="x">
<label for="id_a">A</label><input type="text" name="a" id="id_a">
<label for="id_b">B</label><select name="b" id="id_b"><option value="">-</option></select>
<button type="submit">Spara</button></form></body></html>"""


def test_it_accepts_a_well_formed_page() -> None:
    assert page_problems(GOOD) == []


def test_it_reports_a_page_in_the_wrong_language() -> None:
    assert page_problems(GOOD.replace('lang="sv"', 'lang="en"')) == ['saknar <html lang="sv">']


@pytest.mark.parametrize(("h1s", "count"), [("", 0), ("<h1>Två</h1>", 2)])
def test_it_reports_a_page_without_exactly_one_h1(h1s: str, count: int) -> None:
    html = GOOD.replace("<h1>Rubrik</h1>", "") if count == 0 else GOOD + h1s
    assert page_problems(html) == [f"har {count} <h1>, ska ha en"]


def test_it_reports_markup_that_ended_up_in_the_title() -> None:
    html = GOOD.replace("<title>Sida</title>", "<title>Sida<section>x</section></title>")
    assert page_problems(html) == ["saknar en kort <title> utan taggar"]


def test_it_reports_an_id_used_twice() -> None:
    html = GOOD.replace("<h1>Rubrik</h1>", '<h1 id="x">Rubrik</h1><p id="x">Två</p>')
    assert page_problems(html) == ["id används flera gånger: x"]


def test_it_reports_a_field_without_a_label() -> None:
    html = GOOD.replace('<label for="id_b">B</label>', "")
    assert page_problems(html) == ["<select id='id_b'> saknar <label for=...>"]


def test_it_reports_a_field_without_an_id() -> None:
    html = GOOD.replace("</form>", '<textarea name="c"></textarea></form>')
    assert page_problems(html) == ["<textarea name='c'> saknar id"]


def test_it_finds_a_section_by_its_heading_id_and_reads_its_rows() -> None:
    html = (
        '<section aria-labelledby="a-h"><h2 id="a-h">A</h2><table><tbody>'
        "<tr><td><a>Eva</a></td><td>2026-03-01</td></tr></tbody></table></section>"
        '<section aria-labelledby="b-h"><p>Inga.</p></section>'
    )
    assert table_rows(section(html, "a-h")) == [["Eva", "2026-03-01"]]
    assert table_rows(section(html, "b-h")) == []
    with pytest.raises(AssertionError):
        section(html, "c-h")


def test_it_rejects_a_login_redirect_that_carries_a_query_string() -> None:
    response = HttpResponse(status=302)
    response["Location"] = "/accounts/login/?next=/enhet/1/%3Fpnr%3D194003219823"
    with pytest.raises(AssertionError):
        assert_redirects_to_login(response, "/enhet/1/")
    response["Location"] = "/accounts/login/?next=/enhet/1/"
    assert_redirects_to_login(response, "/enhet/1/")
