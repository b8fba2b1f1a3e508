"""The archive's answer: receipt, or return with a reason, and a new package (R-ARC-4).

Erik is archivist at the administration; a second administration's archivist,
Fia, may not answer for its units.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from delaktig.archive.models import (
    ArchiveDelivery,
    ArchivePackage,
    ArchiveReceipt,
    DeliveryStatus,
    ReceiptKind,
)
from delaktig.archive.services import (
    case_close,
    delivery_build,
    delivery_rebuild_request,
    delivery_receive,
    delivery_return,
)
from delaktig.core.models import AppendOnlyError
from delaktig.core.types import User
from delaktig.organisation.models import Administration
from delaktig.plans.services import plan_start
from delaktig.records.models import AuditEvent
from tests.archive.helpers import START, TODAY, end_interventions, make_archivist
from tests.world import World

# No test here reads a plan's PDF: the packages get a placeholder (tests/fixtures.py).
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")


def built_delivery(world: World) -> ArchiveDelivery:
    case = world.add_person(world.home_care, start=START, contact=world.bob)
    plan_start(case=case, by=world.bob, on=START)
    end_interventions(case)
    delivery = case_close(case=case, on=TODAY, by=world.alice)
    assert delivery is not None
    delivery_build(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT
    return delivery


def test_the_archivist_receives_a_delivery(world: World, erik: User) -> None:
    delivery = built_delivery(world)

    receipt = delivery_receive(delivery=delivery, on=TODAY, by=erik)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RECEIVED
    assert (delivery.received_on, delivery.received_by_id) == (TODAY, erik.pk)
    assert delivery.received_at == receipt.recorded_at
    assert (receipt.kind, receipt.answered_on, receipt.package_id, receipt.recorded_by_id) == (
        ReceiptKind.RECEIVED,
        TODAY,
        delivery.package_id,
        erik.pk,
    )
    event = AuditEvent.objects.get(action="archive.received")
    assert (event.object_id, event.actor_id) == (str(delivery.pk), erik.pk)
    assert event.data == {
        "package": delivery.package_id,
        "sha256": delivery.package_sha256,
        "on": "2026-03-02",
    }


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 3, 3), "Mottagningsdatum kan inte ligga i framtiden."),
        (date(2026, 3, 1), "Paketet kan inte ha tagits emot innan det byggdes (2026-03-02)."),
    ],
)
def test_a_receipt_date_must_be_possible(world: World, erik: User, on: date, expected: str) -> None:
    delivery = built_delivery(world)

    with pytest.raises(ValidationError) as refused:
        delivery_receive(delivery=delivery, on=on, by=erik)

    assert expected in refused.value.messages
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT
    assert not ArchiveReceipt.objects.exists()


def test_a_delivery_without_a_package_cannot_be_received(world: World, erik: User) -> None:
    case = world.add_person(world.home_care, start=START, contact=world.bob)
    plan_start(case=case, by=world.bob, on=START)
    end_interventions(case)
    delivery = case_close(case=case, on=TODAY, by=world.alice)
    assert delivery is not None

    with pytest.raises(ValidationError) as refused:
        delivery_receive(delivery=delivery, on=TODAY, by=erik)

    assert (
        "Leveransen kan inte tas emot eller skickas tillbaka: den har status "
        "”Väntar på arkivpaket”." in refused.value.messages
    )


def test_a_received_delivery_is_received_once(world: World, erik: User) -> None:
    delivery = built_delivery(world)
    delivery_receive(delivery=delivery, on=TODAY, by=erik)

    with pytest.raises(ValidationError):
        delivery_receive(delivery=delivery, on=TODAY, by=erik)
    with pytest.raises(ValidationError):
        delivery_return(delivery=delivery, reason="Fel", by=erik)

    assert ArchiveReceipt.objects.count() == 1


@pytest.mark.parametrize("username", ["alice", "bob", "charlie", "dana", "fia"])
def test_only_the_administrations_archivist_may_answer(
    world: World, erik: User, username: str
) -> None:
    other = Administration.objects.create(municipality=world.municipality, name="Annan")
    make_archivist(other, "fia")
    user = User.objects.get(username=username)
    delivery = built_delivery(world)

    with pytest.raises(ValidationError) as received:
        delivery_receive(delivery=delivery, on=TODAY, by=user)
    with pytest.raises(ValidationError) as returned:
        delivery_return(delivery=delivery, reason="Fel", by=user)

    expected = "Bara förvaltningens arkivarie kan ta emot eller skicka tillbaka leveransen."
    assert expected in received.value.messages and expected in returned.value.messages
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_return_needs_a_reason(world: World, erik: User, reason: str) -> None:
    delivery = built_delivery(world)

    with pytest.raises(ValidationError) as refused:
        delivery_return(delivery=delivery, reason=reason, by=erik)

    assert refused.value.messages == ["Skriv varför paketet skickas tillbaka."]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT
    assert not ArchiveReceipt.objects.exists()


def test_a_returned_delivery_gets_a_new_package_and_keeps_the_old(world: World, erik: User) -> None:
    delivery = built_delivery(world)
    first = delivery.package
    assert first is not None

    receipt = delivery_return(
        delivery=delivery, reason="  PDF-filen för version 1 går inte att öppna. ", by=erik
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETURNED
    assert delivery.return_reason == "PDF-filen för version 1 går inte att öppna."
    assert (delivery.returned_by_id, delivery.returned_at) == (erik.pk, receipt.recorded_at)
    returned = AuditEvent.objects.get(action="archive.returned")
    assert "PDF" not in str(returned.data)  # free text stays out of the audit trail

    with pytest.raises(ValidationError):
        delivery_rebuild_request(delivery=delivery, by=world.bob)
    delivery_rebuild_request(delivery=delivery, by=world.alice)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING

    second = delivery_build(delivery=delivery)
    assert second is not None
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BUILT
    assert (second.number, delivery.package_id) == (2, second.pk)
    assert second.sha256 != first.sha256 and delivery.package_sha256 == second.sha256
    assert list(
        ArchivePackage.objects.filter(delivery=delivery).values_list("number", flat=True)
    ) == [
        1,
        2,
    ]
    files = {f["path"] for f in second.files}
    assert "metadata/descriptive/delaktig-arkiv.xml" in files

    delivery_receive(delivery=delivery, on=TODAY, by=erik)
    kinds = list(ArchiveReceipt.objects.filter(delivery=delivery).values_list("kind", "package_id"))
    assert kinds == [(ReceiptKind.RETURNED, first.pk), (ReceiptKind.RECEIVED, second.pk)]


def test_only_a_returned_delivery_gets_a_new_package(world: World, erik: User) -> None:
    delivery = built_delivery(world)

    with pytest.raises(ValidationError) as refused:
        delivery_rebuild_request(delivery=delivery, by=world.alice)

    assert "Bara en återsänd leverans kan få ett nytt paket." in refused.value.messages


def test_receipts_are_never_changed_or_removed(world: World, erik: User) -> None:
    delivery = built_delivery(world)
    receipt = delivery_receive(delivery=delivery, on=TODAY, by=erik)

    with pytest.raises(AppendOnlyError):
        receipt.save()
    with pytest.raises(AppendOnlyError):
        ArchiveReceipt.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE archive_archivereceipt SET answered_on = %s", [date(2026, 1, 1)])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_archivereceipt")
    assert ArchiveReceipt.objects.get().answered_on == TODAY
