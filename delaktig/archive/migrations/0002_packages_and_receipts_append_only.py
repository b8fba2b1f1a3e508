"""Archive packages and receipts are records: never changed or removed (R-ARC-1, R-ARC-4).

A package's bytes and checksum, once built, cannot be overwritten even by raw
SQL; a rebuilt package is a new row. Receipts and returns are kept as they were.

The triggers are *gated* (``core/triggers.py``, "the disposal gate"): a lawful
disposal of the person file (R-ARC-3) removes them with the rest of the file,
inside its own transaction; nothing else can. SQLite's gate reads the table
``disposal_gate``, hence the dependency on the disposal app.

The SQL below is frozen: it is what this migration runs, written out once (issue 8)
from what ``core/triggers.py`` generated then, so that a later change there cannot
change what this migration did. Never edit it; a change to the triggers is a new
migration (``manage.py trigger_migration``, docs/architecture.md).
"""

from django.db import migrations

FORWARDS = {
    "sqlite": [
        "CREATE TRIGGER archive_archivepackage_no_update BEFORE UPDATE ON archive_archivepackage WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: archive_archivepackage is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER archive_archivepackage_no_delete BEFORE DELETE ON archive_archivepackage WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: archive_archivepackage is append-only (DELETE refused)'); END",
        "CREATE TRIGGER archive_archivereceipt_no_update BEFORE UPDATE ON archive_archivereceipt WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: archive_archivereceipt is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER archive_archivereceipt_no_delete BEFORE DELETE ON archive_archivereceipt WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: archive_archivereceipt is append-only (DELETE refused)'); END",
    ],
    "postgresql": [
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER archive_archivepackage_append_only BEFORE UPDATE OR DELETE ON archive_archivepackage FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER archive_archivepackage_no_truncate BEFORE TRUNCATE ON archive_archivepackage FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER archive_archivereceipt_append_only BEFORE UPDATE OR DELETE ON archive_archivereceipt FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER archive_archivereceipt_no_truncate BEFORE TRUNCATE ON archive_archivereceipt FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
    ],
}
BACKWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS archive_archivepackage_no_update",
        "DROP TRIGGER IF EXISTS archive_archivepackage_no_delete",
        "DROP TRIGGER IF EXISTS archive_archivereceipt_no_update",
        "DROP TRIGGER IF EXISTS archive_archivereceipt_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS archive_archivepackage_append_only ON archive_archivepackage",
        "DROP TRIGGER IF EXISTS archive_archivepackage_no_truncate ON archive_archivepackage",
        "DROP TRIGGER IF EXISTS archive_archivereceipt_append_only ON archive_archivereceipt",
        "DROP TRIGGER IF EXISTS archive_archivereceipt_no_truncate ON archive_archivereceipt",
    ],
}


def run(statements):
    """RunPython code that executes the frozen ``statements`` of the connection's vendor."""

    def code(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"These triggers are not written for {vendor}.")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    code.frozen_sql = statements
    return code


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_deliveries_packages_receipts"),
        ("disposal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(run(FORWARDS), run(BACKWARDS)),
    ]
