"""Registering a relative or legal representative (R-CASE-1, R-PLAN-5): allowed vs denied."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.people.models import Case, Relative
from delaktig.records.models import AccessAction, AccessLog, AuditEvent
from tests.fixtures import client_for
from tests.views.helpers import assert_page_structure, assert_redirects_to_login, page, text
from tests.world import World


@pytest.fixture
def astrid(world: World, frozen_today: date) -> Case:
    return world.add_person(world.home_care, start=date(2026, 2, 10), contact=world.bob)


def url(case: Case) -> str:
    return reverse("relative_add", args=[case.person.uuid])


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_staff_of_the_unit_add_a_legal_representative(world: World, astrid: Case, who: str) -> None:
    client = client_for(who)
    html = page(client.get(url(astrid)))
    assert_page_structure(html)
    assert AccessLog.objects.filter(action=AccessAction.VIEW_PERSON).count() == 1
    response = client.post(
        url(astrid), {"name": "Per Gode", "kind": "god_man", "relation": "", "phone": ""}
    )
    assert response.status_code == 302
    relative = Relative.objects.get(person=astrid.person)
    assert (relative.name, relative.is_legal_representative) == ("Per Gode", True)
    assert AuditEvent.objects.filter(action="relative.added").count() == 1
    detail = text(page(client.get(reverse("person_detail", args=[astrid.person.uuid]))))
    assert "Per Gode – God man" in detail


@pytest.mark.parametrize("who", ["charlie", "dana"])
def test_others_get_404_and_nothing_is_saved(world: World, astrid: Case, who: str) -> None:
    client = client_for(who)
    assert client.get(url(astrid)).status_code == 404
    assert client.post(url(astrid), {"name": "X", "kind": "relative"}).status_code == 404
    assert not Relative.objects.exists()


def test_anonymous_is_sent_to_login(world: World, astrid: Case) -> None:
    assert_redirects_to_login(Client().get(url(astrid)), url(astrid))


def test_a_missing_name_and_an_unknown_kind_are_refused_in_swedish(
    world: World, astrid: Case
) -> None:
    response = client_for("bob").post(url(astrid), {"name": "", "kind": "katt"})
    body = text(page(response))
    assert "Detta fält måste fyllas i." in body
    assert "Välj ett giltigt alternativ." in body
    assert not Relative.objects.exists()


def test_a_browser_asking_for_english_still_gets_swedish_messages(
    world: World, astrid: Case
) -> None:
    """No English catalogue exists, so no English error under Swedish labels (issue 8)."""
    response = client_for("bob").post(
        url(astrid), {"name": "", "kind": "katt"}, headers={"accept-language": "en-GB,en;q=0.9"}
    )
    html = page(response)
    assert '<html lang="sv">' in html
    assert "Detta fält måste fyllas i." in text(html)
    assert "This field is required." not in html
    assert not Relative.objects.exists()
