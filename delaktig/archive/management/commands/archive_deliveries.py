"""Build the packages of every pending archive delivery (R-ARC-4).

Idempotent and safe from cron or a systemd timer: a delivery is built once;
a second run finds nothing pending and builds nothing. Each delivery is built
and saved on its own (one short write transaction each), so one failure stops
nothing else. Output carries ids and counts only, never names (R-LIFE-8).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from delaktig.archive.models import ArchiveDelivery, DeliveryStatus
from delaktig.archive.services import delivery_build
from delaktig.archive.validation import PackageInvalid


class Command(BaseCommand):
    help = (
        "Bygger arkivpaket för alla avslutade ärenden som väntar på leverans till arkivet. "
        "Kan köras flera gånger: ett paket byggs bara en gång."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle byggas, bygg inget."
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="Bygg högst så här många paket."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        pending = ArchiveDelivery.objects.filter(status=DeliveryStatus.PENDING).order_by(
            "created_at", "pk"
        )
        ids = list(pending.values_list("pk", flat=True)[: options["limit"]])
        if options["dry_run"]:
            self.stdout.write(f"Skulle bygga {len(ids)} arkivpaket.")
            for pk in ids:
                self.stdout.write(f"  leverans {pk}")
            return
        built = skipped = 0
        failed: list[int] = []
        for pk in tqdm(ids, desc="Arkivpaket", unit="paket", file=self.stderr, disable=None):
            delivery = ArchiveDelivery.objects.filter(pk=pk).first()
            if delivery is None:
                skipped += 1
                continue
            try:
                package = delivery_build(delivery=delivery)
            except PackageInvalid as exc:
                failed.append(pk)
                self.stderr.write(f"Leverans {pk}: paketet klarade inte kontrollen: {exc}")
                continue
            except Exception as exc:  # one broken case must not stop the others
                failed.append(pk)
                # The type only: a message could quote the plan's text.
                self.stderr.write(
                    f"Leverans {pk}: paketet kunde inte byggas ({type(exc).__name__})."
                )
                continue
            if package is None:
                skipped += 1  # built by another run meanwhile
            else:
                built += 1
        self.stdout.write(
            f"Byggde {built} arkivpaket. Hoppade över {skipped}. Misslyckades: {len(failed)}."
        )
        if failed:
            raise CommandError(
                f"{len(failed)} paket kunde inte byggas (leverans {', '.join(map(str, failed))})."
            )
