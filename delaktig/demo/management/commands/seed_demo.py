"""Load the demo municipality (idempotent), or generate a large one for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from delaktig.demo.banner import demo_banner
from delaktig.demo.generate import generate_municipality
from delaktig.demo.seed import demo_exists, seed_demo


class Command(BaseCommand):
    help = "Skapar demokommunen (om den saknas) och skriver ut demoinloggningarna."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--persons",
            type=int,
            default=0,
            help="Generera i stället en stor kommun med så många personer (för mätningar).",
        )
        parser.add_argument("--code", default="9902", help="Kommunkod för den genererade kommunen.")
        parser.add_argument(
            "--no-logins",
            action="store_true",
            help="Skriv inte ut inloggningarna (make run skriver dem när servern är i gång).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo has published passwords and a superuser: never in a real installation.
        if not settings.DEV_MODE:
            raise CommandError(
                "Demodata skapas bara i demoläget (DELAKTIG_DEMO=1) eller med DEBUG=1, "
                "aldrig i en riktig installation."
            )
        today = timezone.localdate()
        if options["persons"]:
            started = time.perf_counter()
            municipality = generate_municipality(
                persons=options["persons"], today=today, code=options["code"]
            )
            self.stdout.write(
                f"Genererade {options['persons']} personer i {municipality.name} "
                f"på {time.perf_counter() - started:.1f} s."
            )
            return
        if demo_exists():
            self.stdout.write("Demokommunen finns redan – inget ändrat.")
        else:
            seed_demo(today=today)
            self.stdout.write(self.style.SUCCESS("Demokommunen Storbacka kommun är skapad."))
        if not options["no_logins"]:
            base = settings.DELAKTIG_BASE_URL
            self.stdout.write(demo_banner(base + "/"))
