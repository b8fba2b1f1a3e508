"""Propose the person files due for disposal (gallring), per municipality (R-ARC-3)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from delaktig.disposal.services import proposal_create
from delaktig.organisation.models import Municipality

ANALYZED_TABLES = (
    "people_person",
    "people_case",
    "people_decision",
    "people_grantedintervention",
    "plans_plan",
    "plans_planversion",
    "plans_signature",
    "plans_handover",
    "plans_followup",
    "records_journalentry",
    "disposal_disposalproposalitem",
)


class Command(BaseCommand):
    help = (
        "Skapar gallringsförslag: personakter vars gallringsdatum har passerat. "
        "Skriver bara ut antal, aldrig namn eller personnummer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Gallringsdatum ÅÅÅÅ-MM-DD (standard: i dag).",
        )
        parser.add_argument("--municipality", default=None, help="Bara denna kommun (kommunkod).")
        parser.add_argument(
            "--no-analyze",
            action="store_true",
            help="PostgreSQL: hoppa över ANALYZE av tabellerna före urvalet.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on: date = options["date"] or timezone.localdate()
        municipalities = Municipality.objects.order_by("code")
        if options["municipality"]:
            municipalities = municipalities.filter(code=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"Ingen kommun med kod {options['municipality']}.")
        if connection.vendor == "postgresql" and not options["no_analyze"]:
            # Fresh statistics: after bulk imports (and with autovacuum off) stale ones make
            # PostgreSQL plan the per-person subqueries as scans of whole tables.
            with connection.cursor() as cursor:
                for table in ANALYZED_TABLES:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        for municipality in municipalities:
            started = time.perf_counter()
            result = proposal_create(municipality=municipality, on=on)
            elapsed = time.perf_counter() - started
            prefix = f"Kommun {municipality.code}:"
            if result.keep_all:
                self.stdout.write(f"{prefix} bevarar allt – inget att gallra.")
                continue
            if result.proposal is None:
                self.stdout.write(f"{prefix} inga nya akter att gallra per {on:%Y-%m-%d}.")
            else:
                self.stdout.write(
                    f"{prefix} gallringsförslag {result.proposal.pk} med "
                    f"{result.proposed} personakter per {on:%Y-%m-%d}."
                )
            if result.hand_over:
                self.stdout.write(
                    f"  varav {result.hand_over} att lämna över till nämnden (23 d § LSS)."
                )
            if result.research_sample:
                self.stdout.write(f"  {result.research_sample} bevaras (forskningsurvalet).")
            if result.invalid_personnummer:
                self.stdout.write(
                    f"  {result.invalid_personnummer} bevaras: ogiltigt personnummer, "
                    "kontrollera akten."
                )
            self.stdout.write(f"  ({elapsed:.2f} s)")
