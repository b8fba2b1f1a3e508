"""Send what the outbox still holds (idempotent; run from cron every few minutes)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from delaktig.oversight.models import Notification
from delaktig.oversight.outbox import Outcome, outbox_send, unsent_ids


class Command(BaseCommand):
    help = (
        "Skickar utgående meddelanden som väntar eller misslyckades. Kan köras flera gånger, "
        "även samtidigt, utan att ett meddelande skickas två gånger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle skickas.")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = unsent_ids()
        if options["dry_run"]:
            self.stdout.write(f"Skulle försöka skicka {len(ids)} meddelanden.")
            # Ids only, never addresses (the output may end up in cron mail or logs).
            rows = Notification.objects.filter(pk__in=ids).order_by("pk")
            for pk, status, attempts in rows.values_list("pk", "status", "attempts"):
                self.stdout.write(f"  meddelande {pk}: {status}, {attempts} försök hittills")
            return
        outcomes = Counter(outbox_send(notification_id=pk) for pk in ids)
        self.stdout.write(
            f"Skickade {outcomes[Outcome.SENT]} meddelanden; "
            f"{outcomes[Outcome.FAILED]} misslyckades (försöks igen vid nästa körning); "
            f"{outcomes[Outcome.SKIPPED]} hoppades över (redan skickade eller under sändning)."
        )
