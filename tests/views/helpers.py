"""Shared checks for the view tests: page structure, links, sections and login redirects.

Simple regular expressions over the rendered HTML: the templates are ours and
regular, so this is enough, and ``test_page_checks.py`` shows each check can fail.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

from django.http import HttpResponse

from delaktig.people.models import Person

LOGIN_PATH = "/accounts/login/"
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Pages about a person are addressed by random UUIDs only: the person, a case, a plan.
PERSON_PATH_RE = re.compile(rf"/(?:person|arende|plan)/{UUID_RE}/(?:[a-z0-9-]+/)*")

_TAG_RE = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.IGNORECASE)
_ATTR_RE = re.compile(r'([a-zA-Z_:-]+)="([^"]*)"')
_LABEL_FOR_RE = re.compile(r'<label\b[^>]*\bfor="([^"]+)"', re.IGNORECASE)
_H1_RE = re.compile(r"<h1[\s>]", re.IGNORECASE)
_HREF_RE = re.compile(r'\bhref="([^"]*)"', re.IGNORECASE)
_PERSON_LINK_RE = re.compile(rf'<a href="(/person/{UUID_RE}/)">([^<]*)</a>')
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


def page(response: HttpResponse) -> str:
    """The decoded body of a rendered page."""
    return response.content.decode(response.charset or "utf-8")


def attributes(tag_body: str) -> dict[str, str]:
    return {name.lower(): value for name, value in _ATTR_RE.findall(tag_body)}


def page_problems(html: str) -> list[str]:
    """What is wrong with a page's basic structure: language, one <h1>, labelled fields."""
    problems = []
    if '<html lang="sv"' not in html:
        problems.append('saknar <html lang="sv">')
    h1_count = len(_H1_RE.findall(html))
    if h1_count != 1:
        problems.append(f"har {h1_count} <h1>, ska ha en")
    labelled = set(_LABEL_FOR_RE.findall(html))
    for tag, body in _TAG_RE.findall(html):
        attrs = attributes(body)
        if tag.lower() == "input" and attrs.get("type", "text") in UNLABELLED_TYPES:
            continue
        field_id = attrs.get("id")
        if field_id is None:
            problems.append(f"<{tag} name={attrs.get('name')!r}> saknar id")
        elif field_id not in labelled:
            problems.append(f"<{tag} id={field_id!r}> saknar <label for=...>")
    ids = re.findall(r'\sid="([^"]+)"', html)
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"id används flera gånger: {', '.join(duplicates)}")
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    if title is None or "<" in title.group(1) or len(title.group(1)) > 150:
        problems.append("saknar en kort <title> utan taggar")
    return problems


def assert_page_structure(html: str) -> None:
    """<html lang="sv">, exactly one <h1>, and a <label for=...> for every form field."""
    problems = page_problems(html)
    assert not problems, problems


def form_field_ids(html: str) -> list[str]:
    """Ids of the visible form fields (to show the label check had something to check)."""
    return [
        attributes(body).get("id", "")
        for tag, body in _TAG_RE.findall(html)
        if not (tag.lower() == "input" and attributes(body).get("type", "text") in UNLABELLED_TYPES)
    ]


def hrefs(html: str) -> list[str]:
    return [html_lib.unescape(h) for h in _HREF_RE.findall(html)]


def personnummer_forms(person: Person) -> list[str]:
    """The ways a personnummer can be written: 12 or 10 digits, with or without the dash."""
    canonical = person.personnummer  # YYYYMMDD-NNNN
    twelve = canonical.replace("-", "")
    return [canonical, twelve, canonical[2:], twelve[2:]]


def assert_no_personal_data_in_hrefs(html: str, persons: list[Person]) -> None:
    """No link on the page carries a personnummer or a name; person links use a UUID."""
    links = hrefs(html)
    person_links = [h for h in links if h.startswith(("/person/", "/arende/", "/plan/"))]
    assert person_links, "the page links to no person: nothing was checked"
    for href in person_links:
        assert PERSON_PATH_RE.fullmatch(href), href
    for person in persons:
        forbidden = [*personnummer_forms(person), person.last_name, person.first_name]
        for href in links:
            for value in forbidden:
                assert value not in href, (value, href)


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section aria-labelledby=heading_id> (sections do not nest here)."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{re.escape(heading_id)}"[^>]*>(.*?)</section>',
        html,
        re.DOTALL,
    )
    assert match is not None, f"no section {heading_id!r}"
    return match.group(1)


def person_links(html: str) -> list[tuple[str, str]]:
    """(href, name) of every link to a person page, in page order."""
    return [(href, html_lib.unescape(name).strip()) for href, name in _PERSON_LINK_RE.findall(html)]


def names_in(html: str) -> list[str]:
    return [name for _, name in person_links(html)]


def text(html: str) -> str:
    """Visible text with tags removed and whitespace collapsed (for phrases across tags)."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    collapsed = re.sub(r"\s+", " ", html_lib.unescape(without_tags)).strip()
    return re.sub(r" ([,.])", r"\1", collapsed)  # "<strong>Beslut</strong>, dnr"


def table_rows(html: str) -> list[list[str]]:
    """The cells' text of each body row of the tables in ``html``."""
    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.DOTALL):
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
            rows.append([text(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)])
    return rows


def row_for(html: str, name: str) -> list[str]:
    matches = [row for row in table_rows(html) if row and row[0] == name]
    assert len(matches) == 1, (name, table_rows(html))
    return matches[0]


def assert_redirects_to_login(response: HttpResponse, path: str) -> None:
    """A redirect to the login page whose ``next`` is exactly ``path`` (no query, no data)."""
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == LOGIN_PATH
    assert parse_qs(location.query) == {"next": [path]}


def select_options(html: str, field_id: str) -> dict[str, str]:
    """value -> label of the <option>s of the <select id=field_id>."""
    match = re.search(rf'<select[^>]*id="{re.escape(field_id)}"[^>]*>(.*?)</select>', html, re.S)
    assert match is not None, f"no select {field_id!r}"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', match.group(1))
    return {value: html_lib.unescape(label).strip() for value, label in options}
