"""Walk the audit hash chains and report the first broken link of each (R-ARC-1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from delaktig.records.audit import verify_chain


class Command(BaseCommand):
    help = "Kontrollerar granskningsloggens hashkedjor. Avslutas med felkod om en kedja är bruten."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chain", type=int, default=None, help="Bara denna kedja (kommun-id).")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(options["chain"])
        for broken in result.breaks:
            self.stderr.write(
                f"Kedja {broken.chain} bruten vid löpnummer {broken.seq}: {broken.reason}"
            )
        if not result.ok:
            raise CommandError(f"Granskningsloggen är inte intakt ({len(result.breaks)} brott).")
        self.stdout.write(f"Granskningsloggen är intakt: {result.checked} händelser kontrollerade.")
