"""Restore a backup into a NEW database (never over the running one). See docs/backup.md.

SQLite: the backup file is copied (with the backup API) into a new file given
by ``--target``. PostgreSQL: ``pg_restore`` into the database named by
``--target`` on the same server, created if missing and refused unless empty.
Then point the application at the copy (``SQLITE_PATH`` / ``DATABASE_URL``)
and run ``manage.py verify_audit``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


def vendor_of(db: dict[str, Any]) -> str:
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise CommandError(f"Säkerhetskopiering stöds inte för {engine}.")


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} saknas (installera PostgreSQL-klienten).")
    return path


def pg_environment(db: dict[str, Any], *, dbname: str | None = None) -> dict[str, str]:
    """libpq environment for pg_dump/pg_restore: the password never appears on a command line."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = db.get("OPTIONS") or {}
    values = {
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": dbname or str(db["NAME"]),
        "PGSSLMODE": str(options.get("sslmode") or ""),
        "PGAPPNAME": "delaktig-backup",
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _connect_maintenance(db: dict[str, Any]) -> Any:
    import psycopg

    options = db.get("OPTIONS") or {}
    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        sslmode=options.get("sslmode") or None,
        autocommit=True,
    )


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia till en NY databas (SQLite: ny fil, PostgreSQL: "
        "en tom databas som skapas vid behov). Skriver aldrig över den databas som används."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="Säkerhetskopian.")
        parser.add_argument(
            "--target",
            required=True,
            help="SQLite: sökväg till en ny fil. PostgreSQL: namnet på en ny eller tom databas.",
        )
        parser.add_argument(
            "--database", default="default", help="Databasalias (server och inloggning)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        db = settings.DATABASES[options["database"]]
        source = Path(options["input"]).expanduser().resolve()
        if not source.is_file():
            raise CommandError(f"{source} finns inte.")
        with source.open("rb") as handle:
            head = handle.read(16)
        started = time.perf_counter()
        vendor = vendor_of(db)
        if vendor == "sqlite":
            if not head.startswith(SQLITE_MAGIC):
                raise CommandError(f"{source} är ingen SQLite-databas.")
            where = self._sqlite(db, source, Path(options["target"]).expanduser().resolve())
        else:
            if not head.startswith(PG_CUSTOM_MAGIC):
                raise CommandError(f"{source} är ingen pg_dump-fil (--format=custom).")
            where = self._postgresql(db, source, options["target"])
        self.stdout.write(
            f"Återställd till {where} ({time.perf_counter() - started:.1f} s). "
            "Kontrollera den med manage.py verify_audit."
        )

    def _sqlite(self, db: dict[str, Any], source: Path, target: Path) -> str:
        if target.exists():
            raise CommandError(f"{target} finns redan: återställ alltid till en ny fil.")
        if target == Path(str(db["NAME"])).expanduser().resolve():
            raise CommandError("Målet är den databas som används.")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            copy = sqlite3.connect(partial)
            try:
                backup.backup(copy)
                result = copy.execute("PRAGMA integrity_check").fetchone()
                if not result or result[0] != "ok":
                    raise CommandError("Säkerhetskopian klarade inte integritetskontrollen.")
            finally:
                copy.close()
                backup.close()
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return str(target)

    def _postgresql(self, db: dict[str, Any], source: Path, name: str) -> str:
        from psycopg import sql

        if name == db["NAME"]:
            raise CommandError("Målet är den databas som används.")
        pg_restore = require_tool("pg_restore")
        with _connect_maintenance(db) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        env = pg_environment(db, dbname=name)
        if exists:
            import psycopg

            options = db.get("OPTIONS") or {}
            with psycopg.connect(
                host=db.get("HOST") or None,
                port=db.get("PORT") or None,
                user=db.get("USER") or None,
                password=db.get("PASSWORD") or None,
                dbname=name,
                sslmode=options.get("sslmode") or None,
            ) as target:
                row = target.execute(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public'"
                ).fetchone()
                if row and row[0]:
                    raise CommandError(f"Databasen {name} är inte tom: återställ till en ny.")
        result = subprocess.run(  # noqa: S603 — fixed program, argument list
            [
                pg_restore,
                "--no-password",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--dbname",
                name,
                str(source),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore misslyckades: {result.stderr.strip()}")
        return f"databasen {name}"
