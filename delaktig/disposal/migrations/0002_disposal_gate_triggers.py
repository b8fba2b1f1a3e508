"""Let the disposal through the append-only and frozen-version triggers, and nothing else.

Re-creates the triggers of the journal, access log, signatures, handovers,
follow-ups and plan versions with the disposal gate (``core/triggers.py``);
the audit trail keeps refusing always. The disposal record is append-only,
never gated.

The SQL below is frozen: it is what this migration runs, written out once (issue 8)
from what ``core/triggers.py`` generated then, so that a later change there cannot
change what this migration did. Never edit it; a change to the triggers is a new
migration (``manage.py trigger_migration``, docs/architecture.md).
"""

from django.db import migrations

GATE_FORWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS records_accesslog_no_update",
        "DROP TRIGGER IF EXISTS records_accesslog_no_delete",
        "CREATE TRIGGER records_accesslog_no_update BEFORE UPDATE ON records_accesslog WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: records_accesslog is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER records_accesslog_no_delete BEFORE DELETE ON records_accesslog WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: records_accesslog is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS records_journalentry_no_update",
        "DROP TRIGGER IF EXISTS records_journalentry_no_delete",
        "CREATE TRIGGER records_journalentry_no_update BEFORE UPDATE ON records_journalentry WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: records_journalentry is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER records_journalentry_no_delete BEFORE DELETE ON records_journalentry WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: records_journalentry is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_signature_no_update",
        "DROP TRIGGER IF EXISTS plans_signature_no_delete",
        "CREATE TRIGGER plans_signature_no_update BEFORE UPDATE ON plans_signature WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_signature is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_signature_no_delete BEFORE DELETE ON plans_signature WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_signature is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_handover_no_update",
        "DROP TRIGGER IF EXISTS plans_handover_no_delete",
        "CREATE TRIGGER plans_handover_no_update BEFORE UPDATE ON plans_handover WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_handover is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_handover_no_delete BEFORE DELETE ON plans_handover WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_handover is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_followup_no_update",
        "DROP TRIGGER IF EXISTS plans_followup_no_delete",
        "CREATE TRIGGER plans_followup_no_update BEFORE UPDATE ON plans_followup WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_followup is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_followup_no_delete BEFORE DELETE ON plans_followup WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plans_followup is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_planversion_frozen",
        "DROP TRIGGER IF EXISTS plans_planversion_transition",
        "DROP TRIGGER IF EXISTS plans_planversion_no_delete",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_insert",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_delete",
        "CREATE TRIGGER plans_planversion_frozen BEFORE UPDATE ON plans_planversion WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND (OLD.state <> 'draft' AND (NEW.content IS NOT OLD.content OR NEW.number <> OLD.number OR NEW.plan_id <> OLD.plan_id OR NEW.content_sha256 IS NOT OLD.content_sha256 OR NEW.sent_for_signing_at IS NOT OLD.sent_for_signing_at OR (OLD.established_on IS NOT NULL AND NEW.established_on IS NOT OLD.established_on))) BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
        "CREATE TRIGGER plans_planversion_transition BEFORE UPDATE OF state ON plans_planversion WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND NOT ((OLD.state = NEW.state) OR (OLD.state = 'draft' AND NEW.state IN ('ready_for_signing', 'closed')) OR (OLD.state = 'ready_for_signing' AND NEW.state IN ('established', 'superseded', 'closed')) OR (OLD.state = 'established' AND NEW.state IN ('superseded', 'closed')) OR (OLD.state = 'superseded' AND NEW.state = 'closed')) BEGIN SELECT RAISE(ABORT, 'delaktig: plan version state change not allowed'); END",
        "CREATE TRIGGER plans_planversion_no_delete BEFORE DELETE ON plans_planversion WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plan versions are never deleted'); END",
        "CREATE TRIGGER plans_planversion_interventions_frozen_insert BEFORE INSERT ON plans_planversion_interventions WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND (SELECT state FROM plans_planversion WHERE id = NEW.planversion_id) <> 'draft' BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
        "CREATE TRIGGER plans_planversion_interventions_frozen_delete BEFORE DELETE ON plans_planversion_interventions WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND (SELECT state FROM plans_planversion WHERE id = OLD.planversion_id) <> 'draft' BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS records_accesslog_append_only ON records_accesslog",
        "DROP TRIGGER IF EXISTS records_accesslog_no_truncate ON records_accesslog",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER records_accesslog_append_only BEFORE UPDATE OR DELETE ON records_accesslog FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER records_accesslog_no_truncate BEFORE TRUNCATE ON records_accesslog FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS records_journalentry_append_only ON records_journalentry",
        "DROP TRIGGER IF EXISTS records_journalentry_no_truncate ON records_journalentry",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER records_journalentry_append_only BEFORE UPDATE OR DELETE ON records_journalentry FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER records_journalentry_no_truncate BEFORE TRUNCATE ON records_journalentry FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_signature_append_only ON plans_signature",
        "DROP TRIGGER IF EXISTS plans_signature_no_truncate ON plans_signature",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_signature_append_only BEFORE UPDATE OR DELETE ON plans_signature FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_signature_no_truncate BEFORE TRUNCATE ON plans_signature FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_handover_append_only ON plans_handover",
        "DROP TRIGGER IF EXISTS plans_handover_no_truncate ON plans_handover",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_handover_append_only BEFORE UPDATE OR DELETE ON plans_handover FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_handover_no_truncate BEFORE TRUNCATE ON plans_handover FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_followup_append_only ON plans_followup",
        "DROP TRIGGER IF EXISTS plans_followup_no_truncate ON plans_followup",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_followup_append_only BEFORE UPDATE OR DELETE ON plans_followup FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_followup_no_truncate BEFORE TRUNCATE ON plans_followup FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_planversion_guard ON plans_planversion",
        "DROP TRIGGER IF EXISTS plans_planversion_no_truncate ON plans_planversion",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_guard ON plans_planversion_interventions",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        """
CREATE OR REPLACE FUNCTION delaktig_planversion_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'delaktig: plan versions are never deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.state <> 'draft' AND (NEW.content IS DISTINCT FROM OLD.content OR NEW.number <> OLD.number OR NEW.plan_id <> OLD.plan_id OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256 OR NEW.sent_for_signing_at IS DISTINCT FROM OLD.sent_for_signing_at OR (OLD.established_on IS NOT NULL AND NEW.established_on IS DISTINCT FROM OLD.established_on)) THEN
        RAISE EXCEPTION 'delaktig: a plan version sent for signing or established cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT ((OLD.state = NEW.state) OR (OLD.state = 'draft' AND NEW.state IN ('ready_for_signing', 'closed')) OR (OLD.state = 'ready_for_signing' AND NEW.state IN ('established', 'superseded', 'closed')) OR (OLD.state = 'established' AND NEW.state IN ('superseded', 'closed')) OR (OLD.state = 'superseded' AND NEW.state = 'closed')) THEN
        RAISE EXCEPTION 'delaktig: plan version state change % -> % not allowed',
            OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
        """
CREATE OR REPLACE FUNCTION delaktig_planversion_link_guard() RETURNS trigger AS $$
DECLARE
    version_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN version_id := OLD.planversion_id;
    ELSE version_id := NEW.planversion_id; END IF;
    IF (SELECT state FROM plans_planversion WHERE id = version_id) <> 'draft' THEN
        RAISE EXCEPTION 'delaktig: a plan version sent for signing or established cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_planversion_guard BEFORE UPDATE OR DELETE ON plans_planversion FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_planversion_guard()",
        "CREATE TRIGGER plans_planversion_no_truncate BEFORE TRUNCATE ON plans_planversion FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_planversion_interventions_guard BEFORE INSERT OR UPDATE OR DELETE ON plans_planversion_interventions FOR EACH ROW WHEN (current_setting('delaktig.disposal', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION delaktig_planversion_link_guard()",
    ],
}
GATE_BACKWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS records_accesslog_no_update",
        "DROP TRIGGER IF EXISTS records_accesslog_no_delete",
        "CREATE TRIGGER records_accesslog_no_update BEFORE UPDATE ON records_accesslog BEGIN SELECT RAISE(ABORT, 'delaktig: records_accesslog is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER records_accesslog_no_delete BEFORE DELETE ON records_accesslog BEGIN SELECT RAISE(ABORT, 'delaktig: records_accesslog is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS records_journalentry_no_update",
        "DROP TRIGGER IF EXISTS records_journalentry_no_delete",
        "CREATE TRIGGER records_journalentry_no_update BEFORE UPDATE ON records_journalentry BEGIN SELECT RAISE(ABORT, 'delaktig: records_journalentry is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER records_journalentry_no_delete BEFORE DELETE ON records_journalentry BEGIN SELECT RAISE(ABORT, 'delaktig: records_journalentry is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_signature_no_update",
        "DROP TRIGGER IF EXISTS plans_signature_no_delete",
        "CREATE TRIGGER plans_signature_no_update BEFORE UPDATE ON plans_signature BEGIN SELECT RAISE(ABORT, 'delaktig: plans_signature is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_signature_no_delete BEFORE DELETE ON plans_signature BEGIN SELECT RAISE(ABORT, 'delaktig: plans_signature is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_handover_no_update",
        "DROP TRIGGER IF EXISTS plans_handover_no_delete",
        "CREATE TRIGGER plans_handover_no_update BEFORE UPDATE ON plans_handover BEGIN SELECT RAISE(ABORT, 'delaktig: plans_handover is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_handover_no_delete BEFORE DELETE ON plans_handover BEGIN SELECT RAISE(ABORT, 'delaktig: plans_handover is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_followup_no_update",
        "DROP TRIGGER IF EXISTS plans_followup_no_delete",
        "CREATE TRIGGER plans_followup_no_update BEFORE UPDATE ON plans_followup BEGIN SELECT RAISE(ABORT, 'delaktig: plans_followup is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER plans_followup_no_delete BEFORE DELETE ON plans_followup BEGIN SELECT RAISE(ABORT, 'delaktig: plans_followup is append-only (DELETE refused)'); END",
        "DROP TRIGGER IF EXISTS plans_planversion_frozen",
        "DROP TRIGGER IF EXISTS plans_planversion_transition",
        "DROP TRIGGER IF EXISTS plans_planversion_no_delete",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_insert",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_delete",
        "CREATE TRIGGER plans_planversion_frozen BEFORE UPDATE ON plans_planversion WHEN (OLD.state <> 'draft' AND (NEW.content IS NOT OLD.content OR NEW.number <> OLD.number OR NEW.plan_id <> OLD.plan_id OR NEW.content_sha256 IS NOT OLD.content_sha256 OR NEW.sent_for_signing_at IS NOT OLD.sent_for_signing_at OR (OLD.established_on IS NOT NULL AND NEW.established_on IS NOT OLD.established_on))) BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
        "CREATE TRIGGER plans_planversion_transition BEFORE UPDATE OF state ON plans_planversion WHEN NOT ((OLD.state = NEW.state) OR (OLD.state = 'draft' AND NEW.state IN ('ready_for_signing', 'closed')) OR (OLD.state = 'ready_for_signing' AND NEW.state IN ('established', 'superseded', 'closed')) OR (OLD.state = 'established' AND NEW.state IN ('superseded', 'closed')) OR (OLD.state = 'superseded' AND NEW.state = 'closed')) BEGIN SELECT RAISE(ABORT, 'delaktig: plan version state change not allowed'); END",
        "CREATE TRIGGER plans_planversion_no_delete BEFORE DELETE ON plans_planversion BEGIN SELECT RAISE(ABORT, 'delaktig: plan versions are never deleted'); END",
        "CREATE TRIGGER plans_planversion_interventions_frozen_insert BEFORE INSERT ON plans_planversion_interventions WHEN (SELECT state FROM plans_planversion WHERE id = NEW.planversion_id) <> 'draft' BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
        "CREATE TRIGGER plans_planversion_interventions_frozen_delete BEFORE DELETE ON plans_planversion_interventions WHEN (SELECT state FROM plans_planversion WHERE id = OLD.planversion_id) <> 'draft' BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS records_accesslog_append_only ON records_accesslog",
        "DROP TRIGGER IF EXISTS records_accesslog_no_truncate ON records_accesslog",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER records_accesslog_append_only BEFORE UPDATE OR DELETE ON records_accesslog FOR EACH ROW EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER records_accesslog_no_truncate BEFORE TRUNCATE ON records_accesslog FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS records_journalentry_append_only ON records_journalentry",
        "DROP TRIGGER IF EXISTS records_journalentry_no_truncate ON records_journalentry",
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
        "DROP TRIGGER IF EXISTS plans_signature_append_only ON plans_signature",
        "DROP TRIGGER IF EXISTS plans_signature_no_truncate ON plans_signature",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_signature_append_only BEFORE UPDATE OR DELETE ON plans_signature FOR EACH ROW EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_signature_no_truncate BEFORE TRUNCATE ON plans_signature FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_handover_append_only ON plans_handover",
        "DROP TRIGGER IF EXISTS plans_handover_no_truncate ON plans_handover",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_handover_append_only BEFORE UPDATE OR DELETE ON plans_handover FOR EACH ROW EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_handover_no_truncate BEFORE TRUNCATE ON plans_handover FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_followup_append_only ON plans_followup",
        "DROP TRIGGER IF EXISTS plans_followup_no_truncate ON plans_followup",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_followup_append_only BEFORE UPDATE OR DELETE ON plans_followup FOR EACH ROW EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_followup_no_truncate BEFORE TRUNCATE ON plans_followup FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "DROP TRIGGER IF EXISTS plans_planversion_guard ON plans_planversion",
        "DROP TRIGGER IF EXISTS plans_planversion_no_truncate ON plans_planversion",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_guard ON plans_planversion_interventions",
        """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
""",
        """
CREATE OR REPLACE FUNCTION delaktig_planversion_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'delaktig: plan versions are never deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.state <> 'draft' AND (NEW.content IS DISTINCT FROM OLD.content OR NEW.number <> OLD.number OR NEW.plan_id <> OLD.plan_id OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256 OR NEW.sent_for_signing_at IS DISTINCT FROM OLD.sent_for_signing_at OR (OLD.established_on IS NOT NULL AND NEW.established_on IS DISTINCT FROM OLD.established_on)) THEN
        RAISE EXCEPTION 'delaktig: a plan version sent for signing or established cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT ((OLD.state = NEW.state) OR (OLD.state = 'draft' AND NEW.state IN ('ready_for_signing', 'closed')) OR (OLD.state = 'ready_for_signing' AND NEW.state IN ('established', 'superseded', 'closed')) OR (OLD.state = 'established' AND NEW.state IN ('superseded', 'closed')) OR (OLD.state = 'superseded' AND NEW.state = 'closed')) THEN
        RAISE EXCEPTION 'delaktig: plan version state change % -> % not allowed',
            OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
        """
CREATE OR REPLACE FUNCTION delaktig_planversion_link_guard() RETURNS trigger AS $$
DECLARE
    version_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN version_id := OLD.planversion_id;
    ELSE version_id := NEW.planversion_id; END IF;
    IF (SELECT state FROM plans_planversion WHERE id = version_id) <> 'draft' THEN
        RAISE EXCEPTION 'delaktig: a plan version sent for signing or established cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
        "CREATE TRIGGER plans_planversion_guard BEFORE UPDATE OR DELETE ON plans_planversion FOR EACH ROW EXECUTE FUNCTION delaktig_planversion_guard()",
        "CREATE TRIGGER plans_planversion_no_truncate BEFORE TRUNCATE ON plans_planversion FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER plans_planversion_interventions_guard BEFORE INSERT OR UPDATE OR DELETE ON plans_planversion_interventions FOR EACH ROW EXECUTE FUNCTION delaktig_planversion_link_guard()",
    ],
}
RECORD_FORWARDS = {
    "sqlite": [
        "CREATE TRIGGER disposal_disposalrecord_no_update BEFORE UPDATE ON disposal_disposalrecord BEGIN SELECT RAISE(ABORT, 'delaktig: disposal_disposalrecord is append-only (UPDATE refused)'); END",
        "CREATE TRIGGER disposal_disposalrecord_no_delete BEFORE DELETE ON disposal_disposalrecord BEGIN SELECT RAISE(ABORT, 'delaktig: disposal_disposalrecord is append-only (DELETE refused)'); END",
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
        "CREATE TRIGGER disposal_disposalrecord_append_only BEFORE UPDATE OR DELETE ON disposal_disposalrecord FOR EACH ROW EXECUTE FUNCTION delaktig_append_only()",
        "CREATE TRIGGER disposal_disposalrecord_no_truncate BEFORE TRUNCATE ON disposal_disposalrecord FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
    ],
}
RECORD_BACKWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS disposal_disposalrecord_no_update",
        "DROP TRIGGER IF EXISTS disposal_disposalrecord_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS disposal_disposalrecord_append_only ON disposal_disposalrecord",
        "DROP TRIGGER IF EXISTS disposal_disposalrecord_no_truncate ON disposal_disposalrecord",
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
        ("disposal", "0001_initial"),
        ("records", "0005_access_log_export"),
        ("plans", "0006_close_unfinished_versions"),
    ]

    operations = [
        migrations.RunPython(run(GATE_FORWARDS), run(GATE_BACKWARDS)),
        migrations.RunPython(run(RECORD_FORWARDS), run(RECORD_BACKWARDS)),
    ]
