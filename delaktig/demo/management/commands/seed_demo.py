"""Load the demo municipality (idempotent), or generate a large one for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from delaktig.demo.constants import DEMO_PASSWORD
from delaktig.demo.generate import generate_municipality
from delaktig.demo.seed import DEMO_USERS, demo_exists, seed_demo


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
        self.stdout.write("")
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            name = f"{spec.first_name} {spec.last_name}"
            self.stdout.write(f"  {spec.username:<12} {name:<16} {spec.sees}")
        self.stdout.write("")
        self.stdout.write("Öppna http://127.0.0.1:8000 i webbläsaren.")
