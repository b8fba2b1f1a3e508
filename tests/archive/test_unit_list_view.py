"""The unit manager's outstanding archive deliveries (R-ARC-4, R-QA-1); asking for a new package."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from delaktig.archive.models import ArchiveDelivery, DeliveryStatus
from delaktig.archive.services import delivery_receive, delivery_return
from delaktig.core.types import User
from delaktig.organisation.models import Membership, Role
from tests.archive.helpers import TODAY, built, make_archivist, quick_delivery
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_page_structure,
    assert_redirects_to_login,
    page,
    table_rows,
    text,
)
from tests.world import World, make_user

# No test here reads a plan's PDF: the packages get a placeholder (tests/fixtures.py).
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")

URL = reverse("archive_unit_list")
# Measured: session, user, memberships (is a manager?), deliveries with case, person
# and unit, navigation memberships.
LIST_QUERIES = 6  # 5 reads and the access log of the persons shown


def rebuild_url(delivery: ArchiveDelivery) -> str:
    return reverse("archive_rebuild_request", args=[delivery.uuid])


def test_it_lists_every_delivery_the_archive_has_not_received(world: World, erik: User) -> None:
    waiting = quick_delivery(world, 0)
    sent = built(quick_delivery(world, 1, unit=world.nursing_home))
    returned = built(quick_delivery(world, 2))
    delivery_return(delivery=returned, reason="Fel personakt angiven.", by=erik)
    received = built(quick_delivery(world, 3))
    delivery_receive(delivery=received, on=TODAY, by=erik)

    html = page(client_for("alice").get(URL))

    rows = table_rows(html)
    assert [row[0] for row in rows] == [
        "Person00 Testsson 19400321-****",
        "Person01 Testsson 19400321-****",
        "Person02 Testsson 19400321-****",
    ]
    assert rows[0][1:4] == ["Hemtjänst Väst", "2026-03-02", "Väntar på arkivpaket"]
    assert rows[1][1:4] == [
        "Solbacken",
        "2026-03-02",
        "Levererad – väntar på kvittens sedan 2026-03-02",
    ]
    assert rows[2][3] == "Återsänd av arkivet 2026-03-02: Fel personakt angiven."
    assert "Person03" not in html
    assert "3 leveranser väntar på kvittens" in text(html)
    assert "1 återsänd av arkivet" in text(html)
    assert f'action="{rebuild_url(returned)}"' in html
    assert rebuild_url(waiting) not in html and rebuild_url(sent) not in html
    assert_page_structure(html)


def test_it_says_so_when_everything_is_received(world: World) -> None:
    html = page(client_for("alice").get(URL))

    assert "Alla leveranser är mottagna av arkivet." in html


def test_the_unit_manager_asks_for_a_new_package_after_a_return(world: World, erik: User) -> None:
    delivery = built(quick_delivery(world))
    delivery_return(delivery=delivery, reason="Trasig fil.", by=erik)
    alice = client_for("alice")

    response = alice.post(rebuild_url(delivery))

    assert response.status_code == 302 and response["Location"] == URL
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    html = page(alice.get(URL))
    assert "Ett nytt arkivpaket byggs vid nästa körning" in html
    assert "Paketet byggs vid nästa körning" in html


def test_a_new_package_is_refused_unless_the_delivery_was_returned(world: World) -> None:
    delivery = built(quick_delivery(world))
    alice = client_for("alice")

    response = alice.post(rebuild_url(delivery), follow=True)

    assert "Bara en återsänd leverans kan få ett nytt paket." in page(response)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT


@pytest.mark.parametrize("username", ["bob", "charlie", "dana", "erik"])
def test_it_404s_for_anyone_but_a_unit_manager(world: World, erik: User, username: str) -> None:
    delivery = built(quick_delivery(world))
    delivery_return(delivery=delivery, reason="Trasig fil.", by=erik)
    client = client_for(username)

    listed = client.get(URL)
    rebuilt = client.post(rebuild_url(delivery))

    assert listed.status_code == rebuilt.status_code == 404
    assert "Person00" not in page(listed)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETURNED


def test_a_manager_of_other_units_sees_none_of_these(world: World) -> None:
    quick_delivery(world)
    carl = make_user("carl")
    Membership.objects.create(user=carl, role=Role.UNIT_MANAGER, unit=world.housing_support)

    html = page(client_for("carl").get(URL))

    assert "Person00" not in html
    assert "Alla leveranser är mottagna av arkivet." in html


def test_it_redirects_anonymous_users_to_the_login_page(world: World) -> None:
    delivery = quick_delivery(world)

    assert_redirects_to_login(Client().get(URL), URL)
    assert_redirects_to_login(Client().post(rebuild_url(delivery)), rebuild_url(delivery))


def test_a_get_of_the_new_package_request_is_refused(world: World) -> None:
    delivery = quick_delivery(world)

    assert client_for("alice").get(rebuild_url(delivery)).status_code == 405


def test_its_query_count_is_the_same_for_2_and_for_8_deliveries(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    make_archivist(world.administration, "frans")
    alice = client_for("alice")
    for n in range(2):
        quick_delivery(world, n)
    with django_assert_max_num_queries(LIST_QUERIES) as few:
        two = page(alice.get(URL))
    for n in range(2, 8):
        quick_delivery(world, n, unit=world.nursing_home if n % 2 else None)
    with django_assert_max_num_queries(LIST_QUERIES) as many:
        eight = page(alice.get(URL))

    assert len(table_rows(two)) == 2 and len(table_rows(eight)) == 8
    assert len(few.captured_queries) == len(many.captured_queries)
