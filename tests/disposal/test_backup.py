"""The backup and restore drill (docs/backup.md), on the database the suite runs on.

The data is made by ``migrate`` + ``seed_demo`` in subprocesses against a
throw-away database (a temporary SQLite file, or a PostgreSQL database created
and dropped here) — not in pytest-django's test database, which lives inside
an open transaction. Then: ``backup_database``, ``restore_database`` into a
fresh database, ``verify_audit`` on the restored copy (exit 0) and equal row
counts in every table.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings

# migrate, seed_demo, backup and restore in subprocesses: CI runs them, make test-fast not.
pytestmark = pytest.mark.slow

BASE_DIR = Path(settings.BASE_DIR)
DB = settings.DATABASES["default"]
IS_POSTGRES = "postgresql" in DB["ENGINE"]
FAKE_PASSWORD = "not-printed-" + uuid.uuid4().hex[:8]


def _env(**overrides: str) -> dict[str, str]:
    drop = {"DATABASE_URL", "SQLITE_PATH", "DB", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["DELAKTIG_TESTING"] = "1"
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if ok:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        counts["(triggers)"] = conn.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
        ).fetchone()[0]
    return counts


def _sqlite_drill(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    env = _env(SQLITE_PATH=str(live))
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo")
    backup = tmp_path / "backups" / "delaktig.sqlite3"
    out = manage(env, "backup_database", "--output", str(backup)).stdout
    assert "Säkerhetskopia klar" in out and backup.exists()
    # Never over an existing file.
    assert manage(env, "backup_database", "--output", str(backup), ok=False).returncode != 0
    restored = tmp_path / "restored.sqlite3"
    manage(env, "restore_database", "--input", str(backup), "--target", str(restored))
    refused = manage(
        env, "restore_database", "--input", str(backup), "--target", str(restored), ok=False
    )
    assert refused.returncode != 0 and "finns redan" in refused.stderr
    refused = manage(
        env, "restore_database", "--input", str(backup), "--target", str(live), ok=False
    )
    assert refused.returncode != 0
    verified = manage(_env(SQLITE_PATH=str(restored)), "verify_audit")
    assert "intakt" in verified.stdout
    assert _sqlite_counts(restored) == _sqlite_counts(live)
    assert _sqlite_counts(restored)["records_auditevent"] > 100


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_url(name: str, *, password: str) -> str:
    user = quote(str(DB.get("USER") or "postgres"))
    secret = f":{quote(password)}" if password else ""
    host = DB.get("HOST") or "127.0.0.1"
    port = DB.get("PORT") or 5432
    return f"postgres://{user}{secret}@{host}:{port}/{name}"


def _pg_connect(name: str) -> Any:
    import psycopg

    return psycopg.connect(
        host=DB.get("HOST") or None,
        port=DB.get("PORT") or None,
        user=DB.get("USER") or None,
        password=DB.get("PASSWORD") or None,
        dbname=name,
        autocommit=True,
    )


def _pg_counts(name: str) -> dict[str, int]:
    with _pg_connect(name) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        counts["(triggers)"] = conn.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal"
        ).fetchone()[0]
    return counts


@pytest.fixture
def pg_databases() -> Iterator[tuple[str, str]]:
    from psycopg import sql

    suffix = uuid.uuid4().hex[:8]
    names = (f"delaktig_drill_{suffix}", f"delaktig_drill_{suffix}_restored")
    with _pg_connect("postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(names[0])))
    try:
        yield names
    finally:
        with _pg_connect("postgres") as conn:
            for name in names:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def _pg_drill(tmp_path: Path, live: str, restored: str) -> None:
    # With trust authentication a password is never asked for: use a fake one to prove
    # that it is not printed. With a real password, that one must not be printed.
    password = str(DB.get("PASSWORD") or FAKE_PASSWORD)
    env = _env(DATABASE_URL=_pg_url(live, password=password))
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo")
    backup = tmp_path / "delaktig.pgdump"
    results = [manage(env, "backup_database", "--output", str(backup))]
    assert backup.read_bytes()[:5] == b"PGDMP"
    results.append(manage(env, "restore_database", "--input", str(backup), "--target", restored))
    refused = manage(
        env, "restore_database", "--input", str(backup), "--target", restored, ok=False
    )
    assert refused.returncode != 0 and "inte tom" in refused.stderr
    refused = manage(env, "restore_database", "--input", str(backup), "--target", live, ok=False)
    assert refused.returncode != 0
    results += [refused]
    for result in results:
        assert password not in result.stdout + result.stderr
    verified = manage(_env(DATABASE_URL=_pg_url(restored, password=password)), "verify_audit")
    assert "intakt" in verified.stdout
    assert _pg_counts(restored) == _pg_counts(live)
    assert _pg_counts(restored)["records_auditevent"] > 100


@pytest.mark.sqlite_only
def test_the_sqlite_backup_restores_and_verifies(tmp_path: Path) -> None:
    _sqlite_drill(tmp_path)


@pytest.mark.skipif(not IS_POSTGRES, reason="runs when the suite runs on PostgreSQL (DATABASE_URL)")
def test_the_postgresql_backup_restores_and_verifies(
    tmp_path: Path, pg_databases: tuple[str, str]
) -> None:
    _pg_drill(tmp_path, *pg_databases)
