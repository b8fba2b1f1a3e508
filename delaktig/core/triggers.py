# ruff: noqa: S608 — DDL built from constant table names, never from input.
"""Database triggers that refuse changes to records (R-ARC-1, non-negotiable 3).

Used from migrations, so the rule holds even for raw SQL that bypasses the ORM.
One function per vendor; SQLite and PostgreSQL are the supported databases.

**The disposal gate** (*gallring*, R-ARC-3). Lawful disposal must remove
records that are otherwise append-only. Triggers created with ``gated=True``
stand aside only while a disposal runs *inside the same transaction*:

* PostgreSQL: the transaction-local setting ``delaktig.disposal = 'on'``
  (``SET LOCAL``, read with ``current_setting('delaktig.disposal', true)`` in
  the trigger's ``WHEN`` clause). It ends with the transaction — commit,
  rollback or rollback to a savepoint — and no other session can see it.
* SQLite: a row in the table ``disposal_gate`` (model
  ``disposal.DisposalGate``), inserted at the start of the disposal
  transaction and deleted before it commits (``WHEN NOT EXISTS (SELECT 1 FROM
  disposal_gate)``). SQLite serialises writers and readers never see an
  uncommitted row, so no other connection can slip through; a rollback removes
  the row.

``delaktig.disposal.gate.disposal_gate()`` opens and closes the gate. The audit
trail (``records_auditevent``) is never gated, and no TRUNCATE trigger is:
disposal never touches audit rows. The gated triggers are installed by
``disposal/migrations/0002_disposal_gate_triggers``; **a later migration that
re-creates any of them must pass ``gated=True``** (the tests in
``tests/disposal`` fail otherwise). The gate guards against mistakes and
application bugs, not against someone with database rights: such a person can
drop triggers too, which the hash-chained audit trail then reveals.
"""

from __future__ import annotations

from typing import Any

#: The SQLite table whose row opens the gate (see the module docstring).
DISPOSAL_GATE_TABLE = "disposal_gate"
#: The PostgreSQL setting that opens the gate for one transaction.
DISPOSAL_SETTING = "delaktig.disposal"

_SQLITE_GATE_CLOSED = f"NOT EXISTS (SELECT 1 FROM {DISPOSAL_GATE_TABLE})"
_PG_GATE_CLOSED = f"current_setting('{DISPOSAL_SETTING}', true) IS DISTINCT FROM 'on'"

#: Append-only tables whose rows a disposal removes (all but the audit trail).
DISPOSAL_GATED_TABLES = (
    "records_accesslog",
    "records_journalentry",
    "plans_signature",
    "plans_handover",
    "plans_followup",
)

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION delaktig_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'delaktig: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;
"""


def append_only_statements(table: str, vendor: str, *, gated: bool = False) -> list[str]:
    """SQL that makes ``table`` refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

    ``gated``: UPDATE and DELETE pass while a disposal runs in the same
    transaction (module docstring); TRUNCATE is refused always.
    """
    if vendor == "sqlite":
        when = f"WHEN {_SQLITE_GATE_CLOSED} " if gated else ""
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {when}"
            f"BEGIN SELECT RAISE(ABORT, 'delaktig: {table} is append-only (UPDATE refused)'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {when}"
            f"BEGIN SELECT RAISE(ABORT, 'delaktig: {table} is append-only (DELETE refused)'); END",
        ]
    if vendor == "postgresql":
        when = f"WHEN ({_PG_GATE_CLOSED}) " if gated else ""
        return [
            PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW {when}EXECUTE FUNCTION delaktig_append_only()",
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


def make_append_only(*tables: str, gated: bool = False) -> tuple[Any, Any]:
    """(forwards, backwards) functions for ``migrations.RunPython``."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in append_only_statements(table, schema_editor.connection.vendor, gated=gated):
                schema_editor.execute(sql, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for table in tables:
            for sql in drop_append_only_statements(table, schema_editor.connection.vendor):
                schema_editor.execute(sql, params=None)

    return forwards, backwards


# A plan version leaves the draft state once and never changes content again
# (R-LIFE-3). Allowed state changes mirror plans.models.TRANSITIONS.
_ALLOWED = (
    "(OLD.state = NEW.state)"
    " OR (OLD.state = 'draft' AND NEW.state IN ('ready_for_signing', 'closed'))"
    " OR (OLD.state = 'ready_for_signing' AND NEW.state IN ('established', 'superseded', 'closed'))"
    " OR (OLD.state = 'established' AND NEW.state IN ('superseded', 'closed'))"
    " OR (OLD.state = 'superseded' AND NEW.state = 'closed')"
)


def _frozen_changed(distinct: str) -> str:
    return (
        f"OLD.state <> 'draft' AND ("
        f"NEW.content {distinct} OLD.content OR NEW.number <> OLD.number"
        f" OR NEW.plan_id <> OLD.plan_id OR NEW.content_sha256 {distinct} OLD.content_sha256"
        f" OR NEW.sent_for_signing_at {distinct} OLD.sent_for_signing_at"
        f" OR (OLD.established_on IS NOT NULL"
        f" AND NEW.established_on {distinct} OLD.established_on))"
    )


def plan_version_guard_statements(vendor: str, *, gated: bool = False) -> list[str]:
    """The frozen-version triggers; ``gated``: they stand aside during a disposal."""
    table = "plans_planversion"
    link = "plans_planversion_interventions"
    if vendor == "sqlite":
        msg = "delaktig: a plan version sent for signing or established cannot change"
        gate = f"{_SQLITE_GATE_CLOSED} AND " if gated else ""
        delete_when = f"WHEN {_SQLITE_GATE_CLOSED} " if gated else ""
        return [
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} "
            f"WHEN {gate}({_frozen_changed('IS NOT')}) BEGIN SELECT RAISE(ABORT, '{msg}'); END",
            f"CREATE TRIGGER {table}_transition BEFORE UPDATE OF state ON {table} "
            f"WHEN {gate}NOT ({_ALLOWED}) "
            "BEGIN SELECT RAISE(ABORT, 'delaktig: plan version state change not allowed'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {delete_when}"
            "BEGIN SELECT RAISE(ABORT, 'delaktig: plan versions are never deleted'); END",
            f"CREATE TRIGGER {link}_frozen_insert BEFORE INSERT ON {link} "
            f"WHEN {gate}(SELECT state FROM {table} WHERE id = NEW.planversion_id) <> 'draft' "
            f"BEGIN SELECT RAISE(ABORT, '{msg}'); END",
            f"CREATE TRIGGER {link}_frozen_delete BEFORE DELETE ON {link} "
            f"WHEN {gate}(SELECT state FROM {table} WHERE id = OLD.planversion_id) <> 'draft' "
            f"BEGIN SELECT RAISE(ABORT, '{msg}'); END",
        ]
    if vendor == "postgresql":
        when = f"WHEN ({_PG_GATE_CLOSED}) " if gated else ""
        return [
            f"""
CREATE OR REPLACE FUNCTION delaktig_planversion_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'delaktig: plan versions are never deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF {_frozen_changed("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION 'delaktig: a plan version sent for signing or established cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT ({_ALLOWED}) THEN
        RAISE EXCEPTION 'delaktig: plan version state change % -> % not allowed',
            OLD.state, NEW.state USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
            f"""
CREATE OR REPLACE FUNCTION delaktig_planversion_link_guard() RETURNS trigger AS $$
DECLARE
    version_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN version_id := OLD.planversion_id;
    ELSE version_id := NEW.planversion_id; END IF;
    IF (SELECT state FROM {table} WHERE id = version_id) <> 'draft' THEN
        RAISE EXCEPTION 'delaktig: a plan version sent for signing or established cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
            f"CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW {when}EXECUTE FUNCTION delaktig_planversion_guard()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION delaktig_append_only()",
            f"CREATE TRIGGER {link}_guard BEFORE INSERT OR UPDATE OR DELETE ON {link} "
            f"FOR EACH ROW {when}EXECUTE FUNCTION delaktig_planversion_link_guard()",
        ]
    raise NotImplementedError(f"Plan version triggers are not written for {vendor}.")


def make_plan_version_guard(*, replace: bool = False, gated: bool = False) -> tuple[Any, Any]:
    """(forwards, backwards) for RunPython; ``replace`` drops the old triggers first."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if replace:
            backwards(apps, schema_editor)
        if vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION, params=None)
        for sql in plan_version_guard_statements(vendor, gated=gated):
            schema_editor.execute(sql, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        drop_plan_version_guard(schema_editor)

    return forwards, backwards


def drop_plan_version_guard(schema_editor: Any) -> None:
    names = {
        "sqlite": [
            "DROP TRIGGER IF EXISTS plans_planversion_frozen",
            "DROP TRIGGER IF EXISTS plans_planversion_transition",
            "DROP TRIGGER IF EXISTS plans_planversion_no_delete",
            "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_insert",
            "DROP TRIGGER IF EXISTS plans_planversion_interventions_frozen_delete",
        ],
        "postgresql": [
            "DROP TRIGGER IF EXISTS plans_planversion_guard ON plans_planversion",
            "DROP TRIGGER IF EXISTS plans_planversion_no_truncate ON plans_planversion",
            "DROP TRIGGER IF EXISTS plans_planversion_interventions_guard"
            " ON plans_planversion_interventions",
        ],
    }
    for sql in names[schema_editor.connection.vendor]:
        schema_editor.execute(sql, params=None)


def make_disposal_gate_triggers() -> tuple[Any, Any]:
    """(forwards, backwards) for RunPython: re-create the disposal-gated triggers.

    Forwards drops the append-only triggers of :data:`DISPOSAL_GATED_TABLES`
    and the plan-version guard and creates them again with ``gated=True``;
    backwards restores the ungated triggers. The audit trail is not touched.
    """

    def install(schema_editor: Any, *, gated: bool) -> None:
        vendor = schema_editor.connection.vendor
        for table in DISPOSAL_GATED_TABLES:
            for sql in drop_append_only_statements(table, vendor):
                schema_editor.execute(sql, params=None)
            for sql in append_only_statements(table, vendor, gated=gated):
                schema_editor.execute(sql, params=None)
        drop_plan_version_guard(schema_editor)
        if vendor == "postgresql":
            schema_editor.execute(PG_FUNCTION, params=None)
        for sql in plan_version_guard_statements(vendor, gated=gated):
            schema_editor.execute(sql, params=None)

    def forwards(apps: Any, schema_editor: Any) -> None:
        install(schema_editor, gated=True)

    def backwards(apps: Any, schema_editor: Any) -> None:
        install(schema_editor, gated=False)

    return forwards, backwards


# The outbox (oversight.Notification): what was sent never changes; a sent message
# stays sent; a message without an address is never sent. Only the delivery
# columns (status, attempts, last_error, last_attempt_at, claimed_at, sent_at)
# change. Rows may be deleted: a disposal removes them with the person file.
OUTBOX_TABLE = "oversight_notification"
_OUTBOX_CONTENT = (
    "id",
    "municipality_id",
    "case_id",
    "kind",
    "recipient",
    "subject",
    "body",
    "created_at",
    "created_by_id",
)


def _outbox_refused(distinct: str) -> str:
    content = " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in _OUTBOX_CONTENT)
    return (
        f"({content})"
        " OR (OLD.status = 'sent'"
        f" AND (NEW.status <> 'sent' OR NEW.sent_at {distinct} OLD.sent_at))"
        " OR (NEW.status = 'sent' AND NEW.sent_at IS NULL)"
        " OR (OLD.status = 'unaddressed' AND NEW.status <> 'unaddressed')"
    )


def outbox_guard_statements(vendor: str) -> list[str]:
    """The trigger that keeps an outgoing message's content immutable (see above)."""
    msg = "delaktig: what an outgoing message says, and that it was sent, cannot change"
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {OUTBOX_TABLE}_guard BEFORE UPDATE ON {OUTBOX_TABLE} "
            f"WHEN {_outbox_refused('IS NOT')} BEGIN SELECT RAISE(ABORT, '{msg}'); END",
        ]
    if vendor == "postgresql":
        return [
            f"""
CREATE OR REPLACE FUNCTION delaktig_outbox_guard() RETURNS trigger AS $$
BEGIN
    IF {_outbox_refused("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{msg}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
""",
            f"CREATE TRIGGER {OUTBOX_TABLE}_guard BEFORE UPDATE ON {OUTBOX_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION delaktig_outbox_guard()",
        ]
    raise NotImplementedError(f"Outbox triggers are not written for {vendor}.")


def make_outbox_guard() -> tuple[Any, Any]:
    """(forwards, backwards) for RunPython: install or drop the outbox guard."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for sql in outbox_guard_statements(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS {OUTBOX_TABLE}_guard ON {OUTBOX_TABLE}", params=None
            )
            schema_editor.execute("DROP FUNCTION IF EXISTS delaktig_outbox_guard()", params=None)
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {OUTBOX_TABLE}_guard", params=None)

    return forwards, backwards
