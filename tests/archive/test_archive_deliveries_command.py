"""``manage.py archive_deliveries``: builds each pending package once; ``--dry-run`` builds none."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from delaktig.archive import services
from delaktig.archive.models import ArchiveDelivery, ArchivePackage, DeliveryStatus
from delaktig.archive.services import case_close
from delaktig.plans.services import plan_start
from delaktig.records.models import AuditEvent
from tests.archive.helpers import START, TODAY, end_interventions
from tests.world import World

# No test here reads a plan's PDF: the packages get a placeholder (tests/fixtures.py).
pytestmark = pytest.mark.usefixtures("placeholder_pdfs")


def pending(world: World, count: int) -> list[ArchiveDelivery]:
    """``count`` closed cases with one draft plan each: quick to build."""
    deliveries = []
    for n in range(count):
        case = world.add_person(
            world.home_care, start=START, contact=world.bob, serial=300 + n, first_name=f"P{n}"
        )
        plan_start(case=case, by=world.bob, on=START)
        end_interventions(case)
        delivery = case_close(case=case, on=TODAY, by=world.alice)
        assert delivery is not None
        deliveries.append(delivery)
    return deliveries


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("archive_deliveries", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_builds_every_pending_delivery_once(world: World) -> None:
    deliveries = pending(world, 2)

    first, _ = run()
    second, _ = run()

    assert first == "Byggde 2 arkivpaket. Hoppade över 0. Misslyckades: 0.\n"
    assert second == "Byggde 0 arkivpaket. Hoppade över 0. Misslyckades: 0.\n"
    assert ArchivePackage.objects.count() == 2
    for delivery in deliveries:
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.BUILT
        assert delivery.package is not None and delivery.package.number == 1
    assert AuditEvent.objects.filter(action="archive.package_built").count() == 2


def test_its_output_names_no_person(world: World) -> None:
    pending(world, 1)

    out, err = run("--dry-run")
    built_out, built_err = run()

    for text in (out, err, built_out, built_err):
        assert "P0" not in text and "Lind" not in text
        assert "1940" not in text


def test_dry_run_changes_nothing(world: World) -> None:
    deliveries = pending(world, 2)
    events = AuditEvent.objects.count()

    out, _ = run("--dry-run")

    assert out.splitlines() == [
        "Skulle bygga 2 arkivpaket.",
        *(f"  leverans {d.pk}" for d in deliveries),
    ]
    assert not ArchivePackage.objects.exists()
    assert set(ArchiveDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert AuditEvent.objects.count() == events


def test_limit_builds_the_oldest_first(world: World) -> None:
    first, second = pending(world, 2)

    out, _ = run("--limit", "1")

    assert out.startswith("Byggde 1 arkivpaket.")
    assert list(ArchivePackage.objects.values_list("delivery_id", flat=True)) == [first.pk]
    second.refresh_from_db()
    assert second.status == DeliveryStatus.PENDING


def test_a_package_that_fails_its_checks_is_not_saved_and_the_rest_are_built(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken, fine = pending(world, 2)
    real = services.verify_package
    calls: list[bytes] = []

    def first_one_broken(data: bytes) -> list[str]:
        calls.append(data)
        return ["METS.xml: trasig"] if len(calls) == 1 else real(data)

    monkeypatch.setattr(services, "verify_package", first_one_broken)

    with pytest.raises(CommandError, match=f"1 paket kunde inte byggas \\(leverans {broken.pk}\\)"):
        run()

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == DeliveryStatus.PENDING and broken.package is None
    assert fine.status == DeliveryStatus.BUILT
    assert not ArchivePackage.objects.filter(delivery=broken).exists()


def test_a_delivery_built_meanwhile_is_skipped(world: World) -> None:
    (delivery,) = pending(world, 1)
    services.delivery_build(delivery=delivery)

    assert services.delivery_build(delivery=delivery) is None
    assert ArchivePackage.objects.count() == 1


def test_an_unexpected_error_in_one_case_stops_no_other(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken, fine = pending(world, 2)
    real = services.build_package

    def fails_for_the_first(delivery: ArchiveDelivery, **kwargs: object) -> object:
        if delivery.pk == broken.pk:
            raise RuntimeError("Astrid Lind")
        return real(delivery, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "build_package", fails_for_the_first)
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("archive_deliveries", stdout=StringIO(), stderr=err)

    assert f"Leverans {broken.pk}: paketet kunde inte byggas (RuntimeError)." in err.getvalue()
    assert "Astrid" not in err.getvalue()
    fine.refresh_from_db()
    assert fine.status == DeliveryStatus.BUILT
