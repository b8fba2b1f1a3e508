"""Re-create the triggers of plans_hslconfirmation (append-only, gated), plans_changeapproval (append-only, gated), plans_datecorrection (append-only, gated).

Written by ``manage.py trigger_migration``. The SQL below is frozen: it is what
this migration runs, so that a later change to the generators cannot change what
it did. Never edit it; a change to the triggers is a new migration.
"""

from django.db import migrations

FORWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_no_update",
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_no_delete",
        "CREATE TRIGGER plans_hslconfirmation_no_update BEFORE UPDATE ON plans_hslconfirmation WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_hslconfirmation is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_hslconfirmation_no_delete BEFORE DELETE ON plans_hslconfirmation WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_hslconfirmation is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_changeapproval_no_update",
        "DROP TRIGGER IF EXISTS plans_changeapproval_no_delete",
        "CREATE TRIGGER plans_changeapproval_no_update BEFORE UPDATE ON plans_changeapproval WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_changeapproval is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_changeapproval_no_delete BEFORE DELETE ON plans_changeapproval WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_changeapproval is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_datecorrection_no_update",
        "DROP TRIGGER IF EXISTS plans_datecorrection_no_delete",
        "CREATE TRIGGER plans_datecorrection_no_update BEFORE UPDATE ON plans_datecorrection WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_datecorrection is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_datecorrection_no_delete BEFORE DELETE ON plans_datecorrection WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_datecorrection is append-only (DELETE refused)'); END",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_append_only ON plans_hslconfirmation",
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_no_truncate ON plans_hslconfirmation",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_hslconfirmation_append_only BEFORE UPDATE OR DELETE ON plans_hslconfirmation FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_hslconfirmation_no_truncate BEFORE TRUNCATE ON plans_hslconfirmation FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_changeapproval_append_only ON plans_changeapproval",
        "DROP TRIGGER IF EXISTS plans_changeapproval_no_truncate ON plans_changeapproval",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_changeapproval_append_only BEFORE UPDATE OR DELETE ON plans_changeapproval FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_changeapproval_no_truncate BEFORE TRUNCATE ON plans_changeapproval FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_datecorrection_append_only ON plans_datecorrection",
        "DROP TRIGGER IF EXISTS plans_datecorrection_no_truncate ON plans_datecorrection",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_datecorrection_append_only BEFORE UPDATE OR DELETE ON plans_datecorrection FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_datecorrection_no_truncate BEFORE TRUNCATE ON plans_datecorrection FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
    ],
}
BACKWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_no_update",
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_no_delete",
        "DROP TRIGGER IF EXISTS plans_changeapproval_no_update",
        "DROP TRIGGER IF EXISTS plans_changeapproval_no_delete",
        "DROP TRIGGER IF EXISTS plans_datecorrection_no_update",
        "DROP TRIGGER IF EXISTS plans_datecorrection_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_append_only ON plans_hslconfirmation",
        "DROP TRIGGER IF EXISTS plans_hslconfirmation_no_truncate ON plans_hslconfirmation",
        "DROP TRIGGER IF EXISTS plans_changeapproval_append_only ON plans_changeapproval",
        "DROP TRIGGER IF EXISTS plans_changeapproval_no_truncate ON plans_changeapproval",
        "DROP TRIGGER IF EXISTS plans_datecorrection_append_only ON plans_datecorrection",
        "DROP TRIGGER IF EXISTS plans_datecorrection_no_truncate ON plans_datecorrection",
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
    dependencies = [('disposal', '0001_initial'), ('plans', '0008_approvals_hsl_confirmations_date_corrections')]

    operations = [
        migrations.RunPython(run(FORWARDS), run(BACKWARDS)),
    ]
