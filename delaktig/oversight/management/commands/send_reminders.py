"""Send today's reminders (idempotent; safe from cron or a systemd timer)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from delaktig.oversight.reminders import pending_reminders, send_reminders


class Command(BaseCommand):
    help = (
        "Skickar dagens påminnelser om planer och uppföljningar till inkorgen. "
        "Kan köras flera gånger utan att något skickas två gånger."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Visa vad som skulle skickas.")
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, help="Dagens datum (ÅÅÅÅ-MM-DD)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        reminders = pending_reminders(today) if options["dry_run"] else send_reminders(today)
        verb = "Skulle skicka" if options["dry_run"] else "Skickade"
        counts = Counter(r.kind.label for r in reminders)
        self.stdout.write(f"{verb} {len(reminders)} påminnelser för {today:%Y-%m-%d}.")
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {count:>5}  {label}")
        if options["dry_run"]:
            # Ids only, never names (the output may end up in cron mail or logs).
            for r in reminders:
                self.stdout.write(f"  användare {r.user_id}: {r.key}")
