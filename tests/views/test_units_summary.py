"""A unit manager's summary of all her units, worst first (issue 10, R-QA-1).

Allowed: Alice (unit manager of the home-care unit and the nursing home). Denied:
Bob (staff) and Charlie (another unit) get 404; anonymous users go to the login.
The page shows counts only, no person.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tests.fixtures import client_for
from tests.views.helpers import assert_page_structure, assert_redirects_to_login, page
from tests.world import World

URL = reverse("units_summary")


def _rows(html: str) -> list[list[str]]:
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_worst_unit_comes_first_with_its_counts(world: World, frozen_today: date) -> None:
    world.add_person(world.nursing_home, start=date(2026, 1, 5), serial=101)  # late (21 days)
    world.add_person(world.nursing_home, start=date(2026, 1, 6), serial=102)  # late
    world.add_person(world.home_care, start=date(2026, 2, 27), serial=103)  # not yet due
    html = page(client_for("alice").get(URL))
    assert_page_structure(html)
    assert _rows(html) == [
        ["Solbacken", "2", "0", "2", "0"],
        ["Hemtjänst Väst", "0", "0", "1", "0"],
    ]
    assert "Astrid" not in html  # counts only
    overview = page(client_for("alice").get(reverse("unit_overview", args=[world.home_care.pk])))
    assert f'href="{URL}"' in overview


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_get_404(world: World, who: str) -> None:
    assert client_for(who).get(URL).status_code == 404


def test_anonymous_users_go_to_the_login_page(world: World) -> None:
    assert_redirects_to_login(Client().get(URL), URL)


def test_the_query_count_does_not_grow_with_the_units_persons(
    world: World, frozen_today: date, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for("alice")
    world.add_person(world.nursing_home, start=date(2026, 1, 5), serial=101)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for serial in range(110, 125):
        world.add_person(world.home_care, start=date(2026, 1, 5), serial=serial)
    with django_assert_max_num_queries(20) as many:
        client.get(URL)
    assert len(few.captured_queries) == len(many.captured_queries)
