"""Log review (loggkontroll) for the unit manager (R-LIFE-8): who read whose file, when."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.people.models import Case
from delaktig.records.models import AuditEvent
from tests.fixtures import client_for
from tests.views.helpers import assert_page_structure, assert_redirects_to_login, page, text
from tests.world import World


@pytest.fixture
def cases(world: World, frozen_today: date) -> tuple[Case, Case]:
    astrid = world.add_person(world.home_care, start=date(2026, 2, 10), contact=world.bob)
    greta = world.add_person(
        world.home_care,
        start=date(2026, 2, 10),
        serial=984,
        birth=(1938, 4, 4),
        first_name="Greta",
        last_name="Berg",
    )
    bob = client_for("bob")
    bob.get(reverse("person_detail", args=[astrid.person.uuid]))
    bob.get(reverse("person_detail", args=[greta.person.uuid]))
    client_for("alice").get(reverse("person_detail", args=[greta.person.uuid]))
    return astrid, greta


def url(world: World) -> str:
    return reverse("access_log_review", args=[world.home_care.pk])


def test_the_unit_manager_sees_every_read(world: World, cases: tuple[Case, Case]) -> None:
    html = page(client_for("alice").get(url(world)))
    assert_page_structure(html)
    body = text(html)
    assert "3 händelser" in body
    assert body.count("Öppnade personen") == 3 + 1  # three rows and the filter option
    assert "Astrid Lind" in body and "Greta Berg" in body


def test_filters_by_user_and_person(world: World, cases: tuple[Case, Case]) -> None:
    alice = client_for("alice")
    by_alice = text(page(alice.get(url(world) + f"?anvandare={world.alice.pk}")))
    assert "1 händelse " in by_alice and "Astrid Lind" not in by_alice
    astrid = cases[0].person
    about_astrid = text(page(alice.get(url(world) + f"?person={astrid.uuid}")))
    assert "1 händelse " in about_astrid and "Greta Berg" not in about_astrid
    nonsense = text(page(alice.get(url(world) + "?person=inte-ett-id")))
    assert "0 händelser" in nonsense


def test_the_export_is_csv_and_is_itself_audited(world: World, cases: tuple[Case, Case]) -> None:
    response = client_for("alice").get(reverse("access_log_export", args=[world.home_care.pk]))
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "Tidpunkt;Användare;Person;Personnummer;Händelse;Objekt"
    assert len(lines) == 4
    assert AuditEvent.objects.filter(action="access_log.exported").count() == 1


@pytest.mark.parametrize("who", ["bob", "charlie", "dana"])
def test_only_the_unit_manager_may_review(world: World, cases: tuple[Case, Case], who: str) -> None:
    client = client_for(who)
    assert client.get(url(world)).status_code == 404
    assert client.get(reverse("access_log_export", args=[world.home_care.pk])).status_code == 404


def test_anonymous_is_sent_to_login(world: World, cases: tuple[Case, Case]) -> None:
    assert_redirects_to_login(Client().get(url(world)), url(world))
