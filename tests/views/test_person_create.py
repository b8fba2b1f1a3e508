"""Registering a new person and opening a case at the unit (R-CASE-1, R-LIFE-8).

The personnummer is checksum-validated with a plain Swedish error; bad input
changes nothing. Only the unit's manager may register; others get 404.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.organisation.models import Unit
from delaktig.people.models import Case, Person
from delaktig.rules import InvalidPersonnummer, parse_personnummer, valid_personnummer
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_page_structure,
    assert_redirects_to_login,
    form_field_ids,
    page,
    text,
)
from tests.world import World, pnr

VALID = pnr(1941, 3, 21, serial=982)  # 19410321-9822
WRONG_CHECKSUM = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)


def create_url(unit: Unit) -> str:
    return reverse("person_create", args=[unit.pk])


def form_data(**overrides: str) -> dict[str, str]:
    data = {
        "personnummer": VALID,
        "first_name": "Greta",
        "last_name": "Holm",
        "phone": "070-111 22 33",
        "address": "Storgatan 1",
        "opened_on": "2026-03-02",
    }
    return {**data, **overrides}


def checksum_message() -> str:
    """What the rules engine says about a wrong check digit."""
    with pytest.raises(InvalidPersonnummer) as info:
        parse_personnummer(WRONG_CHECKSUM)
    assert info.value.code == "checksum"
    return str(info.value)


def counts() -> tuple[int, int]:
    return Person.objects.count(), Case.objects.count()


def test_it_shows_the_form_with_todays_date_as_the_opening_date(
    world: World, frozen_today: date
) -> None:
    html = page(client_for("alice").get(create_url(world.home_care)))

    assert "<h1>Registrera ny person – Hemtjänst Väst</h1>" in html
    assert "Personnummer eller samordningsnummer" in html
    assert re.search(r'<input type="date" name="opened_on" value="2026-03-02"', html)
    assert_page_structure(html)
    assert "id_personnummer" in form_field_ids(html)


def test_it_registers_the_person_opens_a_case_and_asks_for_a_contact_person(
    world: World, frozen_today: date
) -> None:
    response = client_for("alice").post(create_url(world.home_care), form_data())

    person = Person.objects.get()
    assert (person.personnummer, person.first_name, person.last_name) == (
        "19410321-9822",
        "Greta",
        "Holm",
    )
    assert (person.phone, person.address, person.protected_identity) == (
        "070-111 22 33",
        "Storgatan 1",
        False,
    )
    case = Case.objects.get()
    assert (case.person_id, case.unit_id, case.opened_on, case.closed_on) == (
        person.pk,
        world.home_care.pk,
        date(2026, 3, 2),
        None,
    )
    assert response.status_code == 302
    assert response["Location"] == f"/arende/{case.uuid}/kontaktman/"


def test_its_redirect_carries_no_personnummer(world: World, frozen_today: date) -> None:
    response = client_for("alice").post(create_url(world.home_care), form_data())

    for value in (VALID, VALID.replace("-", ""), VALID[2:], "Holm"):
        assert value not in response["Location"]
    follow = client_for("alice").get(response["Location"])
    assert "<h1>Utse kontaktman för Greta Holm</h1>" in page(follow)


def test_it_says_the_person_is_registered(world: World, frozen_today: date) -> None:
    response = client_for("alice").post(create_url(world.home_care), form_data(), follow=True)

    assert "Personen är registrerad. Utse en kontaktman." in page(response)


def test_it_accepts_the_ten_digit_form_and_stores_the_canonical_one(
    world: World, frozen_today: date
) -> None:
    client_for("alice").post(create_url(world.home_care), form_data(personnummer="4103219822"))

    assert Person.objects.get().personnummer == "19410321-9822"


def test_a_wrong_check_digit_gives_a_swedish_error_and_creates_nothing(
    world: World, frozen_today: date
) -> None:
    before = counts()
    response = client_for("alice").post(
        create_url(world.home_care), form_data(personnummer=WRONG_CHECKSUM)
    )
    html = page(response)

    assert response.status_code == 200
    assert checksum_message() in html
    assert "Kontrollsiffran" in html
    assert '<p class="error" id="id_personnummer_error">' in html
    assert 'value="Greta"' in html  # what was typed is kept
    assert counts() == before
    assert_page_structure(html)


def test_missing_required_fields_give_swedish_errors_and_create_nothing(
    world: World, frozen_today: date
) -> None:
    before = counts()
    html = page(
        client_for("alice").post(
            create_url(world.home_care), form_data(personnummer="", first_name="", last_name="")
        )
    )

    summary = text(html)
    for label in ("Personnummer eller samordningsnummer", "Förnamn", "Efternamn"):
        assert f"{label}: Detta fält måste fyllas i." in summary
    assert counts() == before


def test_it_refuses_a_second_open_case_at_the_same_unit(world: World, frozen_today: date) -> None:
    alice = client_for("alice")
    alice.post(create_url(world.home_care), form_data())
    before = counts()

    html = page(alice.post(create_url(world.home_care), form_data(first_name="Annan")))

    assert "Personen har redan ett öppet ärende på enheten." in html
    assert counts() == before


def test_it_opens_a_case_for_a_person_already_known_in_the_municipality(
    world: World, frozen_today: date
) -> None:
    known = world.add_person(world.nursing_home, start=date(2026, 2, 1), birth=(1941, 3, 21))

    client_for("alice").post(create_url(world.home_care), form_data())

    assert Person.objects.count() == 1
    assert set(Case.objects.values_list("person_id", "unit_id")) == {
        (known.person_id, world.nursing_home.pk),
        (known.person_id, world.home_care.pk),
    }


def test_the_example_personnummer_in_the_help_text_is_valid(
    world: World, frozen_today: date
) -> None:
    html = page(client_for("alice").get(create_url(world.home_care)))

    example = re.search(r"till exempel (\d{8}-\d{4})", html)
    assert example is not None
    assert valid_personnummer(example.group(1))


def test_every_aria_describedby_points_at_an_element_on_the_page(
    world: World, frozen_today: date
) -> None:
    html = page(client_for("alice").get(create_url(world.home_care)))

    referenced = re.findall(r'aria-describedby="([^"]+)"', html)
    assert referenced  # the personnummer and protected-identity fields have help texts
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert [ref for ref in referenced if ref not in ids] == []


# --- access (R-LIFE-8)


@pytest.mark.parametrize(
    ("username", "unit_attr"),
    [
        ("bob", "home_care"),  # staff, not unit manager
        ("charlie", "home_care"),  # staff of another unit
        ("dana", "home_care"),  # quality controller
        ("alice", "housing_support"),  # manages other units only
    ],
)
def test_it_404s_and_creates_nothing_for_anyone_but_the_units_manager(
    world: World, frozen_today: date, username: str, unit_attr: str
) -> None:
    unit: Unit = getattr(world, unit_attr)
    client = client_for(username)

    assert client.get(create_url(unit)).status_code == 404
    assert client.post(create_url(unit), form_data()).status_code == 404
    assert counts() == (0, 0)


def test_it_redirects_anonymous_users_to_the_login_page_and_creates_nothing(
    world: World,
) -> None:
    url = create_url(world.home_care)

    assert_redirects_to_login(Client().get(url), url)
    assert_redirects_to_login(Client().post(url, form_data()), url)
    assert counts() == (0, 0)
