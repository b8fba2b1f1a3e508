"""The system's time of establishment and the reason of a plan registered afterwards (issue 9).

Adds ``established_at`` and ``registered_afterwards_reason`` to plan versions, both
frozen once set, and re-creates the triggers of plans_planversion (frozen
versions, allowed transitions) with them. On SQLite, adding a column rebuilds the
table, which drops its triggers and breaks those of plans_planversion_interventions
that refer to it: they are dropped first and all re-created at the end.

Written by ``manage.py trigger_migration``. The SQL below is frozen: it is what
this migration runs, so that a later change to the generators cannot change what
it did. Never edit it; a change to the triggers is a new migration.
"""

from django.conf import settings
from django.db import migrations, models

FORWARDS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS plans_planversion_frozen",
        "DROP TRIGGER IF EXISTS plans_planversion_transition",
        "DROP TRIGGER IF EXISTS plans_planversion_no_delete",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_insert",
        "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_delete",
        "CREATE TRIGGER plans_planversion_frozen BEFORE UPDATE ON plans_planversion WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND (OLD.state <> 'draft' AND (NEW.content IS NOT OLD.content OR NEW.number <> OLD.number OR NEW.plan_id <> OLD.plan_id OR NEW.content_sha256 IS NOT OLD.content_sha256 OR NEW.sent_for_signing_at IS NOT OLD.sent_for_signing_at OR (OLD.established_on IS NOT NULL AND NEW.established_on IS NOT OLD.established_on) OR (OLD.established_at IS NOT NULL AND NEW.established_at IS NOT OLD.established_at) OR (OLD.registered_afterwards_reason IS NOT NULL AND NEW.registered_afterwards_reason IS NOT OLD.registered_afterwards_reason))) BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
        "CREATE TRIGGER plans_planversion_transition BEFORE UPDATE OF state ON plans_planversion WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND NOT ((OLD.state = NEW.state) OR (OLD.state = 'draft' AND NEW.state IN ('ready_for_signing', 'closed')) OR (OLD.state = 'ready_for_signing' AND NEW.state IN ('established', 'superseded', 'closed')) OR (OLD.state = 'established' AND NEW.state IN ('superseded', 'closed')) OR (OLD.state = 'superseded' AND NEW.state = 'closed')) BEGIN SELECT RAISE(ABORT, 'delaktig: plan version state change not allowed'); END",
        "CREATE TRIGGER plans_planversion_no_delete BEFORE DELETE ON plans_planversion WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) BEGIN SELECT RAISE(ABORT, 'delaktig: plan versions are never deleted'); END",
        "CREATE TRIGGER plans_planversion_interventions_frozen_insert BEFORE INSERT ON plans_planversion_interventions WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND (SELECT state FROM plans_planversion WHERE id = NEW.planversion_id) <> 'draft' BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
        "CREATE TRIGGER plans_planversion_interventions_frozen_delete BEFORE DELETE ON plans_planversion_interventions WHEN NOT EXISTS (SELECT 1 FROM disposal_gate) AND (SELECT state FROM plans_planversion WHERE id = OLD.planversion_id) <> 'draft' BEGIN SELECT RAISE(ABORT, 'delaktig: a plan version sent for signing or established cannot change'); END",
    ],
    "postgresql": [
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
    IF OLD.state <> 'draft' AND (NEW.content IS DISTINCT FROM OLD.content OR NEW.number <> OLD.number OR NEW.plan_id <> OLD.plan_id OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256 OR NEW.sent_for_signing_at IS DISTINCT FROM OLD.sent_for_signing_at OR (OLD.established_on IS NOT NULL AND NEW.established_on IS DISTINCT FROM OLD.established_on) OR (OLD.established_at IS NOT NULL AND NEW.established_at IS DISTINCT FROM OLD.established_at) OR (OLD.registered_afterwards_reason IS NOT NULL AND NEW.registered_afterwards_reason IS DISTINCT FROM OLD.registered_afterwards_reason)) THEN
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
BACKWARDS = {
    "sqlite": [
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



SQLITE_DROP = [s for s in FORWARDS["sqlite"] if s.startswith("DROP TRIGGER")]


def drop_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_initial'),
        ('people', '0002_case_officer_email'),
        ('plans', '0006_close_unfinished_versions'),
        ('disposal', '0002_disposal_gate_triggers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_on_sqlite, run(BACKWARDS)),
        migrations.AddField(
            model_name='planversion',
            name='established_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='fastställd i Delaktig'),
        ),
        migrations.AddField(
            model_name='planversion',
            name='registered_afterwards_reason',
            field=models.TextField(blank=True, null=True, verbose_name='skäl till registrering i efterhand'),
        ),
        migrations.AddConstraint(
            model_name='planversion',
            constraint=models.CheckConstraint(condition=models.Q(('registered_afterwards_reason__isnull', True), models.Q(('registered_afterwards_reason', ''), _negated=True), _connector='OR'), name='plan_version_afterwards_has_reason'),
        ),
        migrations.RunPython(run(FORWARDS), drop_on_sqlite),
    ]
