"""The archivist's pages: list, delivery, download, receipt and return (R-ARC-4, R-LIFE-8).

Erik is archivist at the administration; Fia is archivist at another one and
may see nothing of it. Everyone else gets 404; anonymous users the login page.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from delaktig.archive.models import ArchiveDelivery, ArchiveReceipt, DeliveryStatus
from delaktig.archive.services import delivery_receive
from delaktig.core.types import User
from delaktig.organisation.models import Administration
from delaktig.records.models import AccessAction, AccessLog
from tests.archive.helpers import TODAY, built, make_archivist, quick_delivery
from tests.fixtures import client_for
from tests.views.helpers import (
    assert_page_structure,
    assert_redirects_to_login,
    page,
    personnummer_forms,
    section,
    table_rows,
    text,
)
from tests.world import World

# No test here reads a plan's PDF: the packages get a placeholder (tests/fixtures.py).
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")

LIST = reverse("archive_list")
# Measured: session, user, memberships (is an archivist?), count, page of deliveries
# with case, person and unit, navigation memberships.
LIST_QUERIES = 7  # 6 reads and the access log of the persons shown


def detail_url(delivery: ArchiveDelivery) -> str:
    return reverse("archive_detail", args=[delivery.uuid])


def download_url(delivery: ArchiveDelivery, number: int = 1) -> str:
    return reverse("archive_download", args=[delivery.uuid, number])


def receive_url(delivery: ArchiveDelivery) -> str:
    return reverse("archive_receive", args=[delivery.uuid])


def return_url(delivery: ArchiveDelivery) -> str:
    return reverse("archive_return", args=[delivery.uuid])


def test_the_list_shows_the_deliveries_to_receive_first(world: World, erik: User) -> None:
    waiting = quick_delivery(world, 0)
    to_receive = built(quick_delivery(world, 1, unit=world.nursing_home))
    erik_client = client_for("erik")

    html = page(erik_client.get(LIST))

    assert [row[0] for row in table_rows(html)] == ["Person01 Testsson 19400321-****"]
    assert table_rows(html)[0][1:4] == ["Solbacken", "2026-03-02", "Levererad – väntar på kvittens"]
    assert f'href="{detail_url(to_receive)}"' in html
    assert '<option value="built" selected>Att ta emot</option>' in html
    everything = page(erik_client.get(LIST, {"status": ""}))
    assert len(table_rows(everything)) == 2
    only_waiting = page(erik_client.get(LIST, {"status": "pending"}))
    assert [r[0] for r in table_rows(only_waiting)] == ["Person00 Testsson 19400321-****"]
    assert waiting.status == DeliveryStatus.PENDING
    assert len(table_rows(page(erik_client.get(LIST, {"status": "nonsense"})))) == 2
    assert_page_structure(html)


def test_the_list_shows_only_the_archivists_administration(world: World, erik: User) -> None:
    built(quick_delivery(world))
    other = Administration.objects.create(municipality=world.municipality, name="Annan")
    make_archivist(other, "fia")

    html = page(client_for("fia").get(LIST, {"status": ""}))

    assert table_rows(html) == []
    assert "Inga leveranser att visa." in html


def test_the_delivery_page_lists_the_package_contents_and_logs_the_read(
    world: World, erik: User
) -> None:
    delivery = built(quick_delivery(world))
    package = delivery.package
    assert package is not None

    response = client_for("erik").get(detail_url(delivery))

    html = page(response)
    assert "<h1>Arkivleverans – Person00 Testsson</h1>" in html
    assert delivery.case.person.personnummer in html  # to file it in the person file
    rows = table_rows(section(html, "paket-h"))
    assert [row[0] for row in rows] == [f["path"] for f in package.files]
    assert all(row[2] == f["sha256"] for row, f in zip(rows, package.files, strict=True))
    assert [r[0] for r in rows if r[0].endswith(".pdf")] == [
        "representations/rep1/data/plan-v1.pdf"
    ]
    assert package.sha256 in html
    assert f'href="{download_url(delivery)}"' in html
    assert 'id="id_received_on"' in html and 'id="id_reason"' in html
    assert_page_structure(html)
    log = AccessLog.objects.get()
    assert (log.user_id, log.person_id, log.action, log.object_id) == (
        erik.pk,
        delivery.case.person_id,
        AccessAction.VIEW_PERSON,
        str(delivery.uuid),
    )


def test_the_download_is_the_package_named_by_its_id_and_logged_as_an_export(
    world: World, erik: User
) -> None:
    delivery = built(quick_delivery(world))
    package = delivery.package
    assert package is not None
    person = delivery.case.person

    response = client_for("erik").get(download_url(delivery))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="arkivpaket-{package.uuid}.zip"'
    for value in [*personnummer_forms(person), person.first_name, person.last_name]:
        assert value not in disposition
    assert re.fullmatch(r'attachment; filename="arkivpaket-[0-9a-f-]{36}\.zip"', disposition)
    assert hashlib.sha256(response.content).hexdigest() == package.sha256
    log = AccessLog.objects.get()
    assert (log.action, log.person_id, log.case_id, log.object_id) == (
        AccessAction.EXPORT,
        person.pk,
        delivery.case_id,
        str(package.uuid),
    )


def test_a_package_number_that_does_not_exist_is_404(world: World, erik: User) -> None:
    delivery = built(quick_delivery(world))

    assert client_for("erik").get(download_url(delivery, 2)).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_archivist_receives_the_delivery(world: World, erik: User) -> None:
    delivery = built(quick_delivery(world))
    client = client_for("erik")

    response = client.post(receive_url(delivery), {"received_on": "2026-03-02"})

    assert response.status_code == 302 and response["Location"] == detail_url(delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RECEIVED
    assert (delivery.received_on, delivery.received_by_id) == (TODAY, erik.pk)
    html = page(client.get(response["Location"]))
    assert "Kvittensen är registrerad." in html
    assert "Mottagen 2026-03-02 av Erik Arkivarie" in text(html)
    assert 'id="id_received_on"' not in html  # nothing left to answer
    assert "Alla leveranser är mottagna av arkivet." in page(
        client_for("alice").get(reverse("archive_unit_list"))
    )


def test_a_receipt_in_the_future_is_refused_with_a_swedish_message(
    world: World, erik: User
) -> None:
    delivery = built(quick_delivery(world))

    response = client_for("erik").post(receive_url(delivery), {"received_on": "2026-03-09"})

    assert response.status_code == 200
    assert "Mottagningsdatum kan inte ligga i framtiden." in page(response)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT


def test_a_return_without_a_reason_is_refused(world: World, erik: User) -> None:
    delivery = built(quick_delivery(world))

    response = client_for("erik").post(return_url(delivery), {"reason": "  "})

    assert response.status_code == 200
    assert "Skriv varför paketet skickas tillbaka." in page(response)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT
    assert not ArchiveReceipt.objects.exists()


def test_a_return_with_a_reason_goes_back_to_the_unit(world: World, erik: User) -> None:
    delivery = built(quick_delivery(world))

    response = client_for("erik").post(
        return_url(delivery), {"reason": "Fel förvaltning – ska till IFO."}
    )

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETURNED
    assert delivery.return_reason == "Fel förvaltning – ska till IFO."
    unit_page = page(client_for("alice").get(reverse("archive_unit_list")))
    assert "Fel förvaltning – ska till IFO." in unit_page


@pytest.mark.parametrize("username", ["alice", "bob", "charlie", "dana", "fia"])
def test_every_archivist_page_404s_for_anyone_else(world: World, erik: User, username: str) -> None:
    other = Administration.objects.create(municipality=world.municipality, name="Annan")
    make_archivist(other, "fia")
    delivery = built(quick_delivery(world))
    client = client_for(username)

    responses = [
        client.get(detail_url(delivery)),
        client.get(download_url(delivery)),
        client.post(receive_url(delivery), {"received_on": "2026-03-02"}),
        client.post(return_url(delivery), {"reason": "Fel"}),
    ]
    if username != "fia":  # an archivist elsewhere has a list, without this delivery
        responses.append(client.get(LIST))

    assert [r.status_code for r in responses] == [404] * len(responses)
    assert all("Person00" not in page(r) for r in responses)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT
    assert not AccessLog.objects.exists()


def test_every_archivist_page_redirects_anonymous_users_to_the_login_page(world: World) -> None:
    delivery = built(quick_delivery(world))

    for url in (LIST, detail_url(delivery), download_url(delivery)):
        assert_redirects_to_login(Client().get(url), url)
    assert_redirects_to_login(
        Client().post(receive_url(delivery), {"received_on": "2026-03-02"}), receive_url(delivery)
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT


def test_answers_are_posted_not_fetched(world: World, erik: User) -> None:
    delivery = built(quick_delivery(world))

    assert client_for("erik").get(receive_url(delivery)).status_code == 405
    assert client_for("erik").get(return_url(delivery)).status_code == 405


def test_a_received_delivery_cannot_be_answered_again(world: World, erik: User) -> None:
    delivery = built(quick_delivery(world))
    delivery_receive(delivery=delivery, on=TODAY, by=erik)

    response = client_for("erik").post(return_url(delivery), {"reason": "Fel"})

    assert response.status_code == 200
    assert "den har status ”Mottagen av arkivet”" in page(response)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RECEIVED


def test_the_list_query_count_is_the_same_for_2_and_for_8_deliveries(
    world: World, erik: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for("erik")
    for n in range(2):
        quick_delivery(world, n)
    with django_assert_max_num_queries(LIST_QUERIES) as few:
        two = page(client.get(LIST, {"status": ""}))
    for n in range(2, 8):
        quick_delivery(world, n, unit=world.nursing_home if n % 2 else None)
    with django_assert_max_num_queries(LIST_QUERIES) as many:
        eight = page(client.get(LIST, {"status": ""}))

    assert len(table_rows(two)) == 2 and len(table_rows(eight)) == 8
    assert len(few.captured_queries) == len(many.captured_queries)
