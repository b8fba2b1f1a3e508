"""Journal entries are never changed or removed (R-LIFE-6, R-ARC-1).

The SQL below is frozen: it is what this migration runs, written out once (issue 8)
from what ``core/triggers.py`` generated then, so that a later change there cannot
change what this migration did. Never edit it; a change to the triggers is a new
migration (``manage.py trigger_migration``, docs/architecture.md).
"""

from django.db import migrations

FORWARDS = {
    "sqlite": [
        "CREATE TRIGGER records_journalentry_no_update BEFORE UPDATE ON records_journalentry BEGIN SELECT RAISE(ABORT, 'delaktig: records_journalentry is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER records_journalentry_no_delete BEFORE DELETE ON records_journalentry BEGIN SELECT RAISE(ABORT, 'delaktig: records_journalentry is append-only (DELETE refused)'); END",
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
        "CREATE TRIGGER records_journalentry_append_only BEFORE UPDATE OR DELETE ON records_journalentry FOR EACH ROW EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER records_journalentry_no_truncate BEFORE TRUNCATE ON records_journalentry FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
    ],
}
BACKWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS records_journalentry_no_update",
        "DROP TRIGGER IF EXISTS records_journalentry_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS records_journalentry_append_only ON records_journalentry",
        "DROP TRIGGER IF EXISTS records_journalentry_no_truncate ON records_journalentry",
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
    dependencies = [("records", "0003_journal_entry")]

    operations = [
        migrations.RunPython(run(FORWARDS), run(BACKWARDS)),
    ]
