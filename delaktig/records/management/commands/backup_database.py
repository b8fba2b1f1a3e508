"""Back up the whole database to one file, consistently, while the application runs.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a
consistent snapshot page by page. PostgreSQL: ``pg_dump --format=custom``
(one consistent snapshot, compressed). See docs/backup.md.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from delaktig.records.management.commands.restore_database import (
    pg_environment,
    require_tool,
    vendor_of,
)


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen till en fil (SQLite: online backup-API, "
        "PostgreSQL: pg_dump --format=custom). Skriver aldrig ut lösenord."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="Filen som skapas.")
        parser.add_argument("--database", default="default", help="Databasalias i inställningarna.")
        parser.add_argument("--force", action="store_true", help="Skriv över en befintlig fil.")

    def handle(self, *args: Any, **options: Any) -> None:
        db = settings.DATABASES[options["database"]]
        output = Path(options["output"]).expanduser().resolve()
        if output.exists() and not options["force"]:
            raise CommandError(f"{output} finns redan (använd --force för att skriva över).")
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        partial.unlink(missing_ok=True)
        started = time.perf_counter()
        vendor = vendor_of(db)
        try:
            if vendor == "sqlite":
                self._sqlite(db, partial)
            else:
                self._postgresql(db, partial)
            os.replace(partial, output)  # the backup appears complete or not at all
        finally:
            partial.unlink(missing_ok=True)
        size = output.stat().st_size
        self.stdout.write(
            f"Säkerhetskopia klar: {output} ({size / 1_048_576:.1f} MB, "
            f"{time.perf_counter() - started:.1f} s)."
        )

    def _sqlite(self, db: dict[str, Any], target: Path) -> None:
        source_path = Path(str(db["NAME"]))
        if not source_path.exists():
            raise CommandError(f"SQLite-databasen {source_path} finns inte.")
        source = sqlite3.connect(source_path, timeout=60)
        copy = sqlite3.connect(target)
        try:
            # Copies a consistent snapshot even while the application writes (WAL mode);
            # a step that sees a concurrent write starts over, so the copy is one instant.
            source.backup(copy, pages=1024, sleep=0.01)
            # A self-contained file: no -wal/-shm beside it (the application sets WAL again).
            copy.execute("PRAGMA journal_mode=DELETE")
            result = copy.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                raise CommandError("Kopian klarade inte integritetskontrollen.")
        finally:
            copy.close()
            source.close()

    def _postgresql(self, db: dict[str, Any], target: Path) -> None:
        pg_dump = require_tool("pg_dump")
        command = [
            pg_dump,
            "--format=custom",
            "--no-password",
            "--file",
            str(target),
            "--dbname",
            str(db["NAME"]),
        ]
        result = subprocess.run(  # noqa: S603 — fixed program, argument list
            command, env=pg_environment(db), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump misslyckades: {result.stderr.strip()}")
