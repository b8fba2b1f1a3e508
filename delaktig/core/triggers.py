"""Database triggers that refuse changes to records (R-ARC-1, non-negotiable 3).

Used from migrations, so the rule holds even for raw SQL that bypasses the ORM.
One function per vendor; SQLite and PostgreSQL are the supported databases.
"""

from __future__ import annotations

from typing import Any

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
"""


def append_only_statements(table: str, vendor: str) -> list[str]:
    """SQL that makes ``table`` refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)."""
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'delaktig: {table} is append-only (UPDATE refused)'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'delaktig: {table} is append-only (DELETE refused)'); END",
        ]
    if vendor == "postgresql":
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION delaktig_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        ]
    raise NotImplementedError(f"Append-only triggers are not written for {vendor}.")


def drop_append_only_statements(table: str, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


def make_append_only(*tables: str) -> tuple[Any, Any]:
    """(forwards, backwards) functions for ``migrations.RunPython``."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in append_only_statements(table, schema_editor.connection.vendor):
                schema_editor.execute(sql, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in drop_append_only_statements(table, schema_editor.connection.vendor):
                schema_editor.execute(sql, params=None)

    return forwards, backwards
